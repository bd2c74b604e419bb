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

/**
 * How deep containers nest below `root`, counted without recursion (a value may be very deep),
 * up to `limit` + 1. `children` gives a container's members, or null for a leaf.
 */
function depthOf<T>(root: T, children: (node: T) => readonly T[] | null, limit: number): number {
  let deepest = 0;
  const stack: Array<[T, number]> = [[root, 0]];
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    const members = children(node);
    if (!members) continue;
    deepest = Math.max(deepest, depth + 1);
    if (deepest > limit) return deepest;
    for (const member of members) stack.push([member, depth + 1]);
  }
  return deepest;
}

/** The nesting depth of a parsed JSON value (objects and arrays), up to `limit` + 1. */
export const jsonDepth = (value: unknown, limit = MAX_JSON_DEPTH): number =>
  depthOf(value, (v) => (v === null || typeof v !== 'object' ? null : Array.isArray(v) ? v : Object.values(v)), limit);

/** The nesting depth of a literal in a document (GraphQL's own limits bound documents). */
const literalDepth = (node: ValueNode, limit = MAX_JSON_DEPTH): number =>
  depthOf<ValueNode>(
    node,
    (n) => (n.kind === 'ListValue' ? n.values : n.kind === 'ObjectValue' ? n.fields.map((f) => f.value) : null),
    limit,
  );

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
