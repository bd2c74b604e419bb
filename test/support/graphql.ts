import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
import { type DocumentNode, print } from 'graphql';
import { type Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';
import type { RunningServer } from './server.js';

export interface GraphQLResponse<T> {
  status: number;
  body: {
    data?: T | null;
    errors?: Array<{ message: string; path?: string[]; extensions?: Record<string, unknown> }>;
    extensions?: Record<string, unknown>;
  };
}

export interface RequestOptions {
  /** API key sent as `Authorization: Bearer`; null sends none. Defaults to the admin key. */
  apiKey?: string | null;
  headers?: Record<string, string>;
}

/**
 * A typed document: a TypedDocumentNode (test/generated), a TypedDocumentString (the typed client,
 * client/generated: a String), or plain text.
 */
export type Document<T, V> = DocumentTypeDecoration<T, V> | string;

const source = <T, V>(doc: Document<T, V>) =>
  typeof doc === 'string' ? doc : doc instanceof String ? doc.toString() : print(doc as unknown as DocumentNode);

/** One GraphQL request over real HTTP. */
export async function gql<T, V>(
  server: Pick<RunningServer, 'url' | 'adminKey'>,
  document: Document<T, V>,
  variables?: V,
  opts: RequestOptions = {},
): Promise<GraphQLResponse<T>> {
  const apiKey = opts.apiKey === undefined ? server.adminKey : opts.apiKey;
  const res = await fetch(server.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
      ...opts.headers,
    },
    body: JSON.stringify({ query: source(document), variables }),
  });
  return { status: res.status, body: (await res.json()) as GraphQLResponse<T>['body'] };
}

/** Like gql, but fails the test unless the response has data and no errors. */
export async function gqlOk<T, V>(
  server: Pick<RunningServer, 'url' | 'adminKey'>,
  document: Document<T, V>,
  variables?: V,
  opts?: RequestOptions,
): Promise<T> {
  const res = await gql(server, document, variables, opts);
  if (res.status !== 200 || res.body.errors?.length || !res.body.data) {
    throw new Error(`GraphQL request failed (HTTP ${res.status}): ${JSON.stringify(res.body)}`);
  }
  return res.body.data;
}

/** A real graphql-ws client. */
export function wsClient(server: Pick<RunningServer, 'wsUrl'>, connectionParams?: Record<string, unknown>): Client {
  return createClient({
    url: server.wsUrl,
    webSocketImpl: WebSocket,
    connectionParams,
    retryAttempts: 0,
    lazy: true,
  });
}

/** A subscription's error: a GraphQL error list, or the CloseEvent of its connection. */
function describeError(error: unknown): string {
  if (error && typeof error === 'object' && 'code' in error && 'reason' in error) {
    const close = error as { code: number; reason: string };
    return `connection closed: ${close.code} ${close.reason}`;
  }
  return JSON.stringify(error);
}

/** Collects what a graphql-ws subscription delivers; `next(n)` waits until n items arrived. */
export function subscribeWs<T, V>(
  client: Client,
  document: Document<T, V>,
  variables?: V,
  /** sent in the subscribe message, as GraphiQL sends its headers tab: `{ headers: {...} }` */
  extensions?: Record<string, unknown>,
) {
  const items: Array<{ data?: T | null; errors?: unknown[] }> = [];
  const waiters: Array<() => void> = [];
  let error: unknown = null;
  let completed = false;
  const wake = () => {
    for (const w of waiters.splice(0)) w();
  };
  const dispose = client.subscribe<T>(
    {
      query: source(document),
      variables: variables as Record<string, unknown>,
      ...(extensions ? { extensions } : {}),
    },
    {
      next: (value) => {
        items.push(value as never);
        wake();
      },
      error: (err) => {
        error = err;
        wake();
      },
      complete: () => {
        completed = true;
        wake();
      },
    },
  );
  return {
    items,
    get error() {
      return error;
    },
    get completed() {
      return completed;
    },
    dispose,
    /** Resolves once `count` results arrived (or rejects on error/timeout). */
    async next(count: number, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (items.length < count) {
        if (error) throw error instanceof Error ? error : new Error(describeError(error));
        if (completed) throw new Error(`subscription completed after ${items.length} of ${count} results`);
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`timed out with ${items.length} of ${count} results`);
        await new Promise<void>((resolve) => {
          const t = setTimeout(resolve, left);
          waiters.push(() => {
            clearTimeout(t);
            resolve();
          });
        });
      }
      return items.slice(0, count);
    },
  };
}

/** A GraphQL subscription over Server-Sent Events (Yoga's distinct-connection SSE), read from the raw stream. */
export async function subscribeSse(
  server: Pick<RunningServer, 'url' | 'adminKey'>,
  query: string,
  variables: Record<string, unknown> = {},
  apiKey: string | null = server.adminKey,
) {
  const controller = new AbortController();
  const res = await fetch(server.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'text/event-stream',
      ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
    signal: controller.signal,
  });
  const events: Array<{ event: string; data: unknown }> = [];
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  // pause(): the body is no longer read, so the server's writes back up as they would for a stalled client
  let gate: Promise<void> | null = null;
  let openGate = () => {};
  const pump = (async (): Promise<Error | null> => {
    try {
      for (;;) {
        if (gate) await gate;
        const { value, done } = await reader.read();
        if (done) return null;
        buffer += decoder.decode(value, { stream: true });
        let sep: number;
        while ((sep = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, sep);
          buffer = buffer.slice(sep + 2);
          let event = 'message';
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith('event:')) event = line.slice(6).trim();
            else if (line.startsWith('data:')) data.push(line.slice(5).trim());
          }
          // `complete` comes with an empty data line
          const text = data.join('\n');
          if (data.length) events.push({ event, data: text === '' ? null : JSON.parse(text) });
        }
      }
    } catch (err) {
      return err as Error; // close() aborted the request, or the connection was cut
    }
  })();
  return {
    status: res.status,
    contentType: res.headers.get('content-type'),
    events,
    /** Resolves when the stream is over: null when the server ended it, else the error that cut it. */
    ended: pump,
    async waitFor(count: number, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      while (events.length < count) {
        if (Date.now() > deadline) throw new Error(`timed out with ${events.length} of ${count} SSE events`);
        await new Promise((r) => setTimeout(r, 20));
      }
      return events.slice(0, count);
    },
    /** Stops reading the response body (after the chunk being read). */
    pause() {
      gate ??= new Promise<void>((resolve) => (openGate = resolve));
    },
    resume() {
      gate = null;
      openGate();
    },
    async close() {
      controller.abort();
      this.resume();
      await pump;
    },
  };
}
