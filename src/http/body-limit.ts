// The size limits of GraphQL request bodies (MAX_JSON_BYTES, MAX_REQUEST_BYTES for multipart),
// without a stream per request: Yoga's own limit pipes every body through a TransformStream into
// a new Request, a large share of a small mutation's CPU.
import { GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import { type FetchAPI, withCheckedBody } from './request-body.js';
import { isMultipart } from './uploads.js';

export interface BodyLimits {
  /** MAX_JSON_BYTES: every body but a multipart upload (JSON, application/graphql, a form) */
  maxJsonBytes: number;
  /** MAX_REQUEST_BYTES: a multipart body, its files included */
  maxRequestBytes: number;
}

const tooLarge = (maxBytes: number, setting: string) =>
  new GraphQLError(`Request body too large: at most ${maxBytes} bytes (${setting})`, {
    extensions: { code: 'REQUEST_ENTITY_TOO_LARGE', http: { status: 413 } },
  });

const invalidLength = () =>
  new GraphQLError('Content-Length header is invalid.', {
    extensions: { code: 'BAD_REQUEST', http: { status: 400 } },
  });

/** One non-negative integer: a list ("10, 10", a smuggling attempt) or a sign is refused. */
const CONTENT_LENGTH = /^\d+$/;

/** A body against its limit: within it, over it, or (by its Content-Length) of no valid length. */
export type BodySize = 'within' | 'too-large' | 'invalid';

/** What a Content-Length header says of a body limit. */
export function declaredLength(header: string, maxBytes: number): BodySize {
  if (!CONTENT_LENGTH.test(header)) return 'invalid';
  return Number(header) > maxBytes ? 'too-large' : 'within';
}

/**
 * Refuses a body over its limit (413): a multipart one over MAX_REQUEST_BYTES, any other over
 * MAX_JSON_BYTES. Node's HTTP parser reads exactly Content-Length bytes
 * as the body (a request with both Content-Length and Transfer-Encoding is refused before it
 * gets here), so a body that declares its length is checked by its header alone; only a
 * chunked body is counted while it is read. List it after the plugins that choose the request
 * parser (the multipart one), so it bounds the parser that runs.
 */
export function useRequestBodyLimit(limits: BodyLimits): Plugin {
  return {
    onRequestParse({ request, requestParser, setRequestParser, fetchAPI }) {
      const multipart = isMultipart(request);
      const maxBytes = multipart ? limits.maxRequestBytes : limits.maxJsonBytes;
      const refuse = () => tooLarge(maxBytes, multipart ? 'MAX_REQUEST_BYTES' : 'MAX_JSON_BYTES');
      const declared = request.headers.get('content-length');
      if (declared !== null) {
        const length = declaredLength(declared, maxBytes);
        if (length === 'invalid') throw invalidLength();
        if (length === 'too-large') throw refuse();
        return;
      }
      if (!requestParser || !request.body) return;
      const parse = requestParser;
      setRequestParser((req) => parse(withCountedBody(req, maxBytes, refuse, fetchAPI)));
    },
  };
}

/** The request with a body that fails with 413 once more than `maxBytes` have been read. */
function withCountedBody(request: Request, maxBytes: number, refuse: () => GraphQLError, fetchAPI: FetchAPI): Request {
  let read = 0;
  return withCheckedBody(
    request,
    (chunk) => {
      read += chunk.byteLength;
      return read > maxBytes ? refuse() : null;
    },
    fetchAPI,
  );
}
