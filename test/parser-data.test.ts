import { describe, expect, it } from 'vitest';
import { normalizeContentType } from '../src/blobs/store-uploads.js';
import { joinData, splitData } from '../src/services/parser-results.js';
import { databaseKind } from './support/database.js';

// How a parser result's data becomes rows and back: pure, so run once, in the PGlite project.

function roundTrip(data: unknown) {
  const { head, rows } = splitData(data);
  const arrays = new Map<string, unknown[]>();
  for (const row of [...rows].reverse()) {
    const list = arrays.get(row.key) ?? [];
    list[row.ord] = JSON.parse(row.value);
    arrays.set(row.key, list);
  }
  // the head travels as JSON text
  return joinData(JSON.parse(JSON.stringify(head)), arrays);
}

describe.runIf(databaseKind() === 'pglite')('parser result data as rows', () => {
  it('each element of a top-level array is a row; the head keeps the array in its place, empty', () => {
    const data = { document: 'invoice.pdf', pages: [{ n: 1 }, { n: 2 }], total: 3, fields: ['a', 'b', 'c'] };
    const { head, rows } = splitData(data);
    expect(JSON.stringify(head)).toBe('{"document":"invoice.pdf","pages":[],"total":3,"fields":[]}');
    expect(rows).toEqual([
      { key: 'pages', ord: 0, value: '{"n":1}' },
      { key: 'pages', ord: 1, value: '{"n":2}' },
      { key: 'fields', ord: 0, value: '"a"' },
      { key: 'fields', ord: 1, value: '"b"' },
      { key: 'fields', ord: 2, value: '"c"' },
    ]);
  });

  it('data that is itself an array is rows under the key ""', () => {
    const { head, rows } = splitData([1, { a: 2 }]);
    expect(head).toEqual([]);
    expect(rows.map((r) => [r.key, r.ord])).toEqual([
      ['', 0],
      ['', 1],
    ]);
  });

  it.each([
    ['an object with arrays, key order kept', { z: 1, rows: [{ b: 1, a: 2 }], a: [], m: { nested: [1, 2] } }],
    ['an array', [[1], [2], null, 'x']],
    ['a scalar', 'just text'],
    ['a number', 42],
    ['an empty object', {}],
    ['keys that are special in JavaScript', JSON.parse('{"__proto__":[1,2],"constructor":{"x":1},"":[3]}')],
    ['NUL and other characters text columns refuse', { s: 'a\u0000b', rows: ['\u0000', '\ud83d\ude00'] }],
  ])('%s reads back as it was given', (_what, data) => {
    const back = roundTrip(data);
    expect(back).toEqual(data);
    expect(JSON.stringify(back)).toBe(JSON.stringify(data));
  });

  it('a "__proto__" key stays data and never becomes a prototype', () => {
    const back = roundTrip(JSON.parse('{"__proto__":[{"polluted":true}]}')) as Record<string, unknown>;
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(Object.hasOwn(back, '__proto__')).toBe(true);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it.each([
    ['application/pdf', 'application/pdf'],
    [' Text/Plain; charset=UTF-8 ', 'text/plain; charset=utf-8'],
    ['', 'application/octet-stream'],
    ['pdf', 'application/octet-stream'],
    ['text/plain\u0000x', 'application/octet-stream'],
    ['text/plain\r\nx-injected: 1', 'application/octet-stream'],
  ])('content type %j is stored as %j', (given, stored) => {
    expect(normalizeContentType(given)).toBe(stored);
  });
});
