import http from 'node:http';

export interface JsonResponse<T = unknown> {
  status: number;
  body: T;
}

/**
 * A keep-alive HTTP client for JSON POSTs. One agent per target, sized to the load's
 * concurrency, so every request reuses one of `sockets` open connections.
 */
export function jsonClient(endpoint: string, sockets: number, headers: Record<string, string> = {}) {
  const url = new URL(endpoint);
  const agent = new http.Agent({ keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets });
  const post = <T = unknown>(body: unknown, retried = false): Promise<JsonResponse<T>> =>
    new Promise((resolve, reject) => {
      const payload = Buffer.from(JSON.stringify(body));
      const req = http.request(
        {
          agent,
          host: url.hostname,
          port: url.port,
          path: url.pathname + url.search,
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            accept: 'application/graphql-response+json, application/json',
            'content-length': payload.length,
            ...headers,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            try {
              resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as T });
            } catch {
              reject(new Error(`HTTP ${res.statusCode}: not JSON: ${text.slice(0, 200)}`));
            }
          });
          res.on('error', reject);
        },
      );
      req.on('error', (err: NodeJS.ErrnoException) => {
        // A kept-alive socket the server closed while it sat idle: the request never reached it.
        if (req.reusedSocket && err.code === 'ECONNRESET' && !retried) post<T>(body, true).then(resolve, reject);
        else reject(err);
      });
      req.end(payload);
    });
  return { post, close: () => agent.destroy() };
}

export type JsonClient = ReturnType<typeof jsonClient>;

interface GraphQLBody<T> {
  data?: T;
  errors?: Array<{ message: string }>;
  extensions?: Record<string, unknown>;
}

/** Posts a GraphQL operation and returns `data`, throwing on HTTP or GraphQL errors. */
export async function graphqlData<T>(client: JsonClient, query: string, variables?: Record<string, unknown>) {
  const res = await client.post<GraphQLBody<T>>({ query, variables });
  if (res.status !== 200 || res.body.errors?.length || !res.body.data) {
    throw new Error(`GraphQL request failed (HTTP ${res.status}): ${JSON.stringify(res.body).slice(0, 300)}`);
  }
  return { data: res.body.data, extensions: res.body.extensions ?? {} };
}
