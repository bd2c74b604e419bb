// How the crash harness talks to the gateway: GraphQL (JSON and multipart) and the REST routes,
// over real HTTP. A request whose connection fails gets no answer: LostAnswerError.

export interface GatewayAddress {
  /** http://127.0.0.1:PORT */
  origin: string;
  /** http://127.0.0.1:PORT/graphql */
  url: string;
}

/** An answer as the client saw it: the HTTP status and the parsed body (undefined when empty). */
export interface Answer {
  status: number;
  body: unknown;
}

/** The connection failed before a whole answer arrived (the gateway died): the outcome is unknown. */
export class LostAnswerError extends Error {
  constructor(cause: unknown) {
    super(`no answer: ${String((cause as Error)?.cause ?? cause)}`);
  }
}

/** Longer than any answer may take (a wait=true delete waits up to OPERATION_WAIT_TIMEOUT, 60 s). */
const REQUEST_TIMEOUT_MS = 180_000;

async function exchange(url: string, init: RequestInit): Promise<Answer> {
  let res: Response;
  let text: string;
  try {
    res = await fetch(url, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
    text = await res.text();
  } catch (err) {
    if ((err as Error).name === 'TimeoutError')
      throw new Error(`${init.method} ${url} took over ${REQUEST_TIMEOUT_MS} ms`);
    throw new LostAnswerError(err);
  }
  let body: unknown;
  try {
    body = text === '' ? undefined : JSON.parse(text);
  } catch {
    body = text;
  }
  return { status: res.status, body };
}

const bearer = (apiKey: string) => ({ authorization: `Bearer ${apiKey}` });

/** A GraphQL request; the answer's body is the whole GraphQL response. */
export function graphql(
  gateway: GatewayAddress,
  apiKey: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<Answer> {
  return exchange(gateway.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/graphql-response+json, application/json',
      ...bearer(apiKey),
    },
    body: JSON.stringify({ query, variables }),
  });
}

interface GraphQLBody {
  data?: Record<string, unknown> | null;
  errors?: unknown[];
}

/** A GraphQL request that must succeed; its `data`. */
export async function graphqlData<T>(
  gateway: GatewayAddress,
  apiKey: string,
  query: string,
  variables: Record<string, unknown> = {},
): Promise<T> {
  return dataOf<T>(await graphql(gateway, apiKey, query, variables));
}

function dataOf<T>(answer: Answer): T {
  const body = answer.body as GraphQLBody | undefined;
  if (answer.status !== 200 || !body?.data || body.errors?.length) {
    throw new Error(`GraphQL request failed (HTTP ${answer.status}): ${JSON.stringify(answer.body).slice(0, 2000)}`);
  }
  return body.data as T;
}

export interface UploadPart {
  /** where the file goes in the variables, e.g. `variables.input.files.0` */
  path: string;
  name: string;
  content: string | Uint8Array<ArrayBuffer>;
  type: string;
}

/** A GraphQL multipart request (operations, map, file parts) that must succeed; its `data`. */
export async function graphqlUpload<T>(
  gateway: GatewayAddress,
  apiKey: string,
  query: string,
  variables: Record<string, unknown>,
  files: readonly UploadPart[],
): Promise<T> {
  const form = new FormData();
  form.set('operations', JSON.stringify({ query, variables }));
  form.set('map', JSON.stringify(Object.fromEntries(files.map((f, i) => [String(i), [f.path]]))));
  for (const [i, f] of files.entries()) form.set(String(i), new Blob([f.content], { type: f.type }), f.name);
  return dataOf<T>(await exchange(gateway.url, { method: 'POST', body: form, headers: bearer(apiKey) }));
}

/** A REST request (`pathAndQuery` from the origin), with the Idempotency-Key header when given. */
export function rest(
  gateway: GatewayAddress,
  apiKey: string,
  method: string,
  pathAndQuery: string,
  idempotencyKey?: string,
): Promise<Answer> {
  return exchange(`${gateway.origin}${pathAndQuery}`, {
    method,
    headers: { ...bearer(apiKey), ...(idempotencyKey ? { 'idempotency-key': idempotencyKey } : {}) },
  });
}
