import { createSchema, createYoga, type Plugin } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import { DOCUMENT_CACHE_CHARS, MAX_CACHED_DOCUMENT_CHARS, useDocumentCache } from '../src/http/document-cache.js';
import { databaseKind } from './support/database.js';

// The gateway's parse and validation cache (src/http/document-cache.ts) in a real Yoga server
// over a small schema: what is parsed and validated again and what is not. Run once, in the
// PGlite project (no database involved). The gateway's use of it is covered by every test that
// sends a document twice, its memory bound by test/fuzz.test.ts and its gain by `npm run bench`.

/** Yoga with the cache, counting the parses and validations that really ran. */
function server() {
  const runs = { parse: 0, validate: 0 };
  const counting: Plugin = {
    onParse({ parseFn, setParseFn }) {
      setParseFn((...args) => {
        runs.parse++;
        return parseFn(...args);
      });
    },
    onValidate({ validateFn, setValidationFn }) {
      setValidationFn((...args) => {
        runs.validate++;
        return validateFn(...args);
      });
    },
  };
  const yoga = createYoga({
    schema: createSchema({
      typeDefs: 'type Query { hello(name: String): String }',
      resolvers: {
        Query: { hello: (_: unknown, { name }: { name?: string }) => `hello ${name ?? 'you'}` },
      },
    }),
    parserAndValidationCache: false,
    logging: false,
    plugins: [useDocumentCache(), counting],
  });
  const post = async (query: string, variables?: Record<string, unknown>) => {
    const res = await yoga.fetch('http://localhost/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query, variables }),
    });
    return (await res.json()) as { data?: { hello?: string }; errors?: Array<{ message: string }> };
  };
  return { runs, post };
}

describe.runIf(databaseKind() === 'pglite')('the parse and validation cache', () => {
  it('a valid document is parsed and validated once; later requests with other variables reuse it', async () => {
    const { runs, post } = server();
    const query = 'query Hello($name: String) { hello(name: $name) }';
    expect(await post(query, { name: 'a' })).toEqual({ data: { hello: 'hello a' } });
    expect(await post(query, { name: 'b' })).toEqual({ data: { hello: 'hello b' } });
    expect(await post(query)).toEqual({ data: { hello: 'hello you' } });
    expect(runs).toEqual({ parse: 1, validate: 1 });
    // another document is another entry
    expect(await post('{ hello }')).toEqual({ data: { hello: 'hello you' } });
    expect(runs).toEqual({ parse: 2, validate: 2 });
  });

  it('a document that does not parse or validate is checked again every time, with the same error', async () => {
    const { runs, post } = server();
    const invalid = '{ goodbye }';
    const first = await post(invalid);
    expect(first.errors?.[0]?.message).toMatch(/Cannot query field "goodbye"/);
    expect(await post(invalid)).toEqual(first);
    expect(runs).toEqual({ parse: 1, validate: 2 });

    const broken = '{ hello ';
    const parseError = await post(broken);
    expect(parseError.errors?.[0]?.message).toMatch(/Syntax Error/);
    expect(await post(broken)).toEqual(parseError);
    expect(runs).toEqual({ parse: 3, validate: 2 });
  });

  it(`a document over ${MAX_CACHED_DOCUMENT_CHARS} characters is never kept`, async () => {
    const { runs, post } = server();
    const large = `{ hello ${' '.repeat(MAX_CACHED_DOCUMENT_CHARS)}}`;
    await post(large);
    await post(large);
    expect(runs).toEqual({ parse: 2, validate: 2 });
  });

  it(`the documents kept hold at most ${DOCUMENT_CACHE_CHARS} characters of source: the least recently used goes first`, async () => {
    const { runs, post } = server();
    const doc = (i: number) => `query Q${i} { hello ${' '.repeat(MAX_CACHED_DOCUMENT_CHARS / 2)}}`;
    const fit = Math.floor(DOCUMENT_CACHE_CHARS / doc(0).length);
    for (let i = 0; i < fit; i++) await post(doc(i));
    expect(runs.parse).toBe(fit);
    // all of them still kept
    for (let i = 0; i < fit; i++) await post(doc(i));
    expect(runs.parse).toBe(fit);
    // one more pushes out the least recently used (the first), and only it
    await post(doc(fit));
    await post(doc(1));
    expect(runs.parse).toBe(fit + 1);
    await post(doc(0));
    expect(runs.parse).toBe(fit + 2);
  });
});
