// The page's two transports to the gateway's public GraphQL API, both on this origin:
// queries and mutations over HTTP POST /graphql, subscriptions over graphql-ws.
import { type Client, createClient } from 'graphql-ws';
import type { TypedDocumentString } from '../../client/generated/graphql';

/** A refused request or subscription: the first GraphQL error, its code, and the HTTP status if any. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    message: string,
    readonly code: string | null,
    readonly status: number | null = null,
  ) {
    super(message);
  }
}

export type SocketState = 'idle' | 'connecting' | 'connected' | 'reconnecting';

export interface Sink<T> {
  next(data: T): void;
  error(error: ApiError): void;
  complete?(): void;
}

interface GraphQLErrorShape {
  message: string;
  extensions?: { code?: string };
}

const toApiError = (errors: readonly GraphQLErrorShape[], status: number | null) =>
  new ApiError(errors[0]?.message ?? 'Request failed', errors[0]?.extensions?.code ?? null, status);

function describeFailure(failure: unknown): ApiError {
  if (Array.isArray(failure)) return toApiError(failure as GraphQLErrorShape[], null);
  if (failure && typeof failure === 'object' && 'code' in failure && 'reason' in failure) {
    const close = failure as { code: number; reason: string };
    return new ApiError(`Connection closed (${close.code}${close.reason ? `: ${close.reason}` : ''})`, 'CLOSED');
  }
  return new ApiError(failure instanceof Error ? failure.message : 'Connection failed', 'NETWORK');
}

export class Api {
  private readonly socket: Client;
  private readonly socketListeners = new Set<(state: SocketState) => void>();
  socketState: SocketState = 'idle';

  constructor(private readonly apiKey: string) {
    const scheme = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
    this.socket = createClient({
      url: `${scheme}//${window.location.host}/graphql`,
      // The key travels in connection_init, never in the URL.
      connectionParams: { apiKey },
      lazy: true,
      retryAttempts: Number.POSITIVE_INFINITY,
      on: {
        connecting: (isRetry) => this.setSocketState(isRetry ? 'reconnecting' : 'connecting'),
        connected: () => this.setSocketState('connected'),
        closed: () => this.setSocketState('idle'),
      },
    });
  }

  private setSocketState(state: SocketState) {
    this.socketState = state;
    for (const listener of this.socketListeners) listener(state);
  }

  /** Listens to the socket's state; returns the way to stop. */
  onSocketState(listener: (state: SocketState) => void): () => void {
    this.socketListeners.add(listener);
    return () => this.socketListeners.delete(listener);
  }

  /** One query or mutation over HTTP. */
  async request<R, V>(document: TypedDocumentString<R, V>, variables: V): Promise<R> {
    let res: Response;
    try {
      res = await fetch('/graphql', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          accept: 'application/graphql-response+json, application/json',
          authorization: `Bearer ${this.apiKey}`,
        },
        body: JSON.stringify({ query: document.toString(), variables }),
        credentials: 'omit',
        cache: 'no-store',
      });
    } catch (err) {
      throw describeFailure(err);
    }
    let body: { data?: R | null; errors?: GraphQLErrorShape[] };
    try {
      body = (await res.json()) as typeof body;
    } catch {
      throw new ApiError(`The gateway answered HTTP ${res.status} without a GraphQL body`, 'NETWORK', res.status);
    }
    if (body.errors?.length) throw toApiError(body.errors, res.status);
    if (!body.data) throw new ApiError(`The gateway answered HTTP ${res.status} without data`, null, res.status);
    return body.data;
  }

  /** A subscription over graphql-ws; returns the way to end it. */
  subscribe<R, V>(document: TypedDocumentString<R, V>, variables: V, sink: Sink<R>): () => void {
    return this.socket.subscribe<R>(
      { query: document.toString(), variables: variables as Record<string, unknown> },
      {
        next: (result) => {
          if (result.errors?.length) sink.error(toApiError(result.errors, null));
          else if (result.data) sink.next(result.data);
        },
        error: (failure) => sink.error(describeFailure(failure)),
        complete: () => sink.complete?.(),
      },
    );
  }

  async close(): Promise<void> {
    this.socketListeners.clear();
    await this.socket.dispose();
  }
}
