import { GraphQLError, GraphQLScalarType, type ValueNode } from 'graphql';
import { JSONResolver } from 'graphql-scalars';

// graphql-scalars' JSON, with a bound on nesting: a value nested thousands of levels deep cannot
// be stored (PostgreSQL's jsonb parser and JSON.stringify both run out of stack on it), so it is
// refused where it comes in, as a variable or a literal, with a typed error and nothing stored.

/** The deepest nesting of objects and arrays a JSON input may have. */
export const MAX_JSON_DEPTH = 100;

const tooDeep = () =>
  new GraphQLError(`A JSON value may nest objects and arrays at most ${MAX_JSON_DEPTH} levels deep`, {
    extensions: { code: 'BAD_USER_INPUT' },
  });

/** The nesting depth of a parsed JSON value, counted without recursion (it may be very deep), up to `limit` + 1. */
export function jsonDepth(value: unknown, limit = MAX_JSON_DEPTH): number {
  let deepest = 0;
  const stack: Array<[unknown, number]> = [[value, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    const here = depth + 1;
    if (here > deepest) deepest = here;
    if (deepest > limit) return deepest;
    for (const child of Array.isArray(v) ? v : Object.values(v)) stack.push([child, here]);
  }
  return deepest;
}

/** The nesting depth of a literal in a document (GraphQL's own depth limit bounds documents). */
function literalDepth(node: ValueNode, limit = MAX_JSON_DEPTH): number {
  let deepest = 0;
  const stack: Array<[ValueNode, number]> = [[node, 0]];
  while (stack.length) {
    const [n, depth] = stack.pop()!;
    if (n.kind !== 'ObjectValue' && n.kind !== 'ListValue') continue;
    const here = depth + 1;
    if (here > deepest) deepest = here;
    if (deepest > limit) return deepest;
    for (const child of n.kind === 'ListValue' ? n.values : n.fields.map((f) => f.value)) stack.push([child, here]);
  }
  return deepest;
}

export const JSONScalar = new GraphQLScalarType({
  ...JSONResolver.toConfig(),
  parseValue(value) {
    if (jsonDepth(value) > MAX_JSON_DEPTH) throw tooDeep();
    return JSONResolver.parseValue(value);
  },
  parseLiteral(node, variables) {
    if (literalDepth(node) > MAX_JSON_DEPTH) throw tooDeep();
    return JSONResolver.parseLiteral(node, variables);
  },
});
