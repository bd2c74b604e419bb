// MAX_REQUEST_BYTES for GraphQL requests, without a stream per request: Yoga's own limit pipes
// every body through a TransformStream into a new Request, a large share of a small mutation's CPU.
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

const tooLarge = () =>
  new GraphQLError('Request body too large', {
    extensions: { code: 'REQUEST_ENTITY_TOO_LARGE', http: { status: 413 } },
  });

const invalidLength = () =>
  new GraphQLError('Content-Length header is invalid.', {
    extensions: { code: 'BAD_REQUEST', http: { status: 400 } },
  });

/** One non-negative integer: a list ("10, 10", a smuggling attempt) or a sign is refused. */
const CONTENT_LENGTH = /^\d+$/;

/**
 * Refuses a body over `maxBytes` (413). Node's HTTP parser reads exactly Content-Length bytes
 * as the body (a request with both Content-Length and Transfer-Encoding is refused before it
 * gets here), so a body that declares its length is checked by its header alone; only a
 * chunked body is counted while it is read. List it after the plugins that choose the request
 * parser (the multipart one), so it bounds the parser that runs.
 */
export function useRequestBodyLimit(maxBytes: number): Plugin {
  return {
    onRequestParse({ request, requestParser, setRequestParser, fetchAPI }) {
      const declared = request.headers.get('content-length');
      if (declared !== null) {
        if (!CONTENT_LENGTH.test(declared)) throw invalidLength();
        if (Number(declared) > maxBytes) throw tooLarge();
        return;
      }
      if (!requestParser || !request.body) return;
      const parse = requestParser;
      setRequestParser((req) => parse(withCountedBody(req, maxBytes, fetchAPI)));
    },
  };
}

type FetchAPI = Parameters<NonNullable<Plugin['onRequestParse']>>[0]['fetchAPI'];

/** The request with a body that fails with 413 once more than `maxBytes` have been read. */
function withCountedBody(request: Request, maxBytes: number, fetchAPI: FetchAPI): Request {
  let read = 0;
  // A native body stream pipes only into the native TransformStream, the ponyfill's into its own.
  const Transform = request.body instanceof ReadableStream ? globalThis.TransformStream : fetchAPI.TransformStream;
  const counted = request.body!.pipeThrough(
    new Transform<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        read += chunk.byteLength;
        if (read > maxBytes) controller.error(tooLarge());
        else controller.enqueue(chunk);
      },
    }),
  );
  return new fetchAPI.Request(request.url, {
    method: request.method,
    headers: request.headers,
    signal: request.signal,
    body: counted,
    duplex: 'half',
  } as RequestInit);
}
