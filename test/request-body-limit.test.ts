import { describe, expect, it } from 'vitest';
import { skipDatabase } from './support/database.js';
import { useGateway } from './support/fixture.js';

const LIMIT = 4096;

/** A GraphQL POST whose query is padded with a comment to `bytes` of JSON. */
function bodyOf(bytes: number): string {
  const base = JSON.stringify({ query: '{ __typename }\n#' });
  return JSON.stringify({ query: `{ __typename }\n#${'x'.repeat(bytes - base.length)}` });
}

describe.skipIf(skipDatabase())('GraphQL request bodies and MAX_REQUEST_BYTES', () => {
  const gw = useGateway({ env: { MAX_REQUEST_BYTES: String(LIMIT) } });

  const post = (body: BodyInit, headers: Record<string, string> = {}) =>
    fetch(gw.server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${gw.server.adminKey}`, ...headers },
      body,
      duplex: 'half',
    } as RequestInit);

  /** The body as a stream, so it is sent chunked, without Content-Length. */
  const chunked = (text: string) =>
    new ReadableStream<Uint8Array>({
      start(controller) {
        const bytes = new TextEncoder().encode(text);
        for (let i = 0; i < bytes.length; i += 1000) controller.enqueue(bytes.subarray(i, i + 1000));
        controller.close();
      },
    });

  it('a body of exactly the limit is answered, with Content-Length and chunked', async () => {
    expect(Buffer.byteLength(bodyOf(LIMIT))).toBe(LIMIT);
    for (const body of [bodyOf(LIMIT), chunked(bodyOf(LIMIT))]) {
      const res = await post(body);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ data: { __typename: 'Query' } });
    }
  });

  it('a body one byte over the limit is refused with 413 REQUEST_ENTITY_TOO_LARGE, with Content-Length and chunked', async () => {
    for (const body of [bodyOf(LIMIT + 1), chunked(bodyOf(LIMIT + 1))]) {
      const res = await post(body);
      expect(res.status).toBe(413);
      expect(await res.json()).toMatchObject({
        errors: [{ message: 'Request body too large', extensions: { code: 'REQUEST_ENTITY_TOO_LARGE' } }],
      });
    }
  });
});
