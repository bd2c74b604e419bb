import { describe, expect, it } from 'vitest';
import { JSONScalar, jsonDepth, MAX_JSON_DEPTH } from '../src/schema/json-scalar.js';
import { databaseKind } from './support/database.js';

// The JSON scalar's nesting bound, as pure functions: run once, in the PGlite project. Through a
// real server: test/fuzz.test.ts ("JSON inputs nested deeper than …").

describe.runIf(databaseKind() === 'pglite')('the JSON scalar', () => {
  it('counts objects and arrays, not scalars, without recursion', () => {
    expect([1, 'a', null, true].map((v) => jsonDepth(v))).toEqual([0, 0, 0, 0]);
    expect(jsonDepth({})).toBe(1);
    expect(jsonDepth([[], { a: [1] }])).toBe(3);
    let deep: unknown = 1;
    for (let i = 0; i < 200_000; i++) deep = [deep];
    // stops counting past the limit
    expect(jsonDepth(deep)).toBe(MAX_JSON_DEPTH + 1);
    expect(jsonDepth(deep, 500)).toBe(501);
  });

  it(`takes ${MAX_JSON_DEPTH} levels and refuses one more, as a variable`, () => {
    const nested = (depth: number) => {
      let v: unknown = 'x';
      for (let i = 0; i < depth; i++) v = { k: v };
      return v;
    };
    expect(JSONScalar.parseValue(nested(MAX_JSON_DEPTH))).toEqual(nested(MAX_JSON_DEPTH));
    expect(() => JSONScalar.parseValue(nested(MAX_JSON_DEPTH + 1))).toThrow(/at most 100 levels deep/);
  });
});
