// A GraphQL request whose body is checked chunk by chunk as its parser reads it.
import type { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

export type FetchAPI = Parameters<NonNullable<Plugin['onRequestParse']>>[0]['fetchAPI'];

/**
 * The request with its body piped through `check`: a chunk it finds fault with fails the read
 * with that error (the parser answers it), the others pass unchanged.
 */
export function withCheckedBody(
  request: Request,
  check: (chunk: Uint8Array) => GraphQLError | null,
  fetchAPI: FetchAPI,
): Request {
  // A native body stream pipes only into the native TransformStream, the ponyfill's into its own.
  const Transform = request.body instanceof ReadableStream ? globalThis.TransformStream : fetchAPI.TransformStream;
  const checked = request.body!.pipeThrough(
    new Transform<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        const problem = check(chunk);
        if (problem) controller.error(problem);
        else controller.enqueue(chunk);
      },
    }),
  );
  return new fetchAPI.Request(request.url, {
    method: request.method,
    headers: request.headers,
    signal: request.signal,
    body: checked,
    duplex: 'half',
  } as RequestInit);
}
