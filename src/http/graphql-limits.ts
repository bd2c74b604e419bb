// What a GraphQL document may ask for: GraphQL Armor's limits (introspection counted too) and
// the INTROSPECTION switch. Both transports validate through Yoga's envelop, so both apply them.
import { blockFieldSuggestionsPlugin } from '@escape.tech/graphql-armor-block-field-suggestions';
import { costLimitPlugin } from '@escape.tech/graphql-armor-cost-limit';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { type MaxDepthOptions, maxDepthPlugin, maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesPlugin } from '@escape.tech/graphql-armor-max-directives';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import {
  GraphQLError,
  getNamedType,
  isIntrospectionType,
  Kind,
  type SelectionSetNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';

/** The deepest selection an operation may have, fragments flattened. */
export const MAX_DEPTH = 12;
/**
 * The standard introspection query (graphql-js `getIntrospectionQuery`, typeDepth 9, which
 * GraphiQL sends) is 15 deep, fragments flattened: an operation that introspects the schema may
 * go that deep, and no deeper.
 */
export const MAX_INTROSPECTION_DEPTH = 15;
/** The standard introspection query costs about 15,600 by this measure. */
export const MAX_COST = 20_000;
export const MAX_ALIASES = 30;
export const MAX_DIRECTIVES = 30;
export const MAX_TOKENS = 3_000;

/**
 * A limit reported as a validation error: Yoga answers it 400 GRAPHQL_VALIDATION_FAILED, and a
 * graphql-ws subscribe gets it as the `error` of that operation. Armor's default throws, which
 * skips Yoga's validation error handling (200, no code). Its "Syntax Error: " prefix is dropped:
 * the document is well-formed, it asks for too much.
 */
const reported = {
  propagateOnRejection: false,
  onReject: [
    (context: ValidationContext | null, error: GraphQLError) =>
      context?.reportError(new GraphQLError(error.message.replace(/^Syntax Error: /, ''))),
  ],
} satisfies Pick<MaxDepthOptions, 'propagateOnRejection' | 'onReject'>;

export function armorPlugins(): Plugin[] {
  return [
    // Armor's depth count skips `__schema` (ignoreIntrospection): the first rule bounds everything
    // else, the second bounds operations that introspect the schema.
    maxDepthPlugin({ n: MAX_DEPTH, ignoreIntrospection: true, flattenFragments: true, ...reported }),
    {
      onValidate({ addValidationRule }) {
        addValidationRule(introspectionDepthRule);
      },
    },
    costLimitPlugin({ maxCost: MAX_COST, ignoreIntrospection: false, flattenFragments: true, ...reported }),
    maxAliasesPlugin({ n: MAX_ALIASES, ...reported }),
    maxDirectivesPlugin({ n: MAX_DIRECTIVES, ...reported }),
    // A parser limit: thrown while parsing (400 GRAPHQL_PARSE_FAILED), before any rule runs.
    maxTokensPlugin({ n: MAX_TOKENS }),
    blockFieldSuggestionsPlugin(),
  ];
}

const introspectionDepth = maxDepthRule({
  n: MAX_INTROSPECTION_DEPTH,
  ignoreIntrospection: false,
  flattenFragments: true,
  ...reported,
});

/** Armor's depth rule, applied only to operations that select `__schema`. */
const introspectionDepthRule: ValidationRule = (context) => {
  const depth = introspectionDepth(context);
  return {
    OperationDefinition(operation) {
      if (selectsSchema(operation.selectionSet, context)) depth.OperationDefinition.enter.call(depth, operation);
    },
  };
};

/** Whether a root selection set selects `__schema`, directly or through fragments. */
function selectsSchema(set: SelectionSetNode, context: ValidationContext, seen = new Set<string>()): boolean {
  return set.selections.some((selection) => {
    if (selection.kind === Kind.FIELD) return selection.name.value === '__schema';
    if (selection.kind === Kind.INLINE_FRAGMENT) return selectsSchema(selection.selectionSet, context, seen);
    if (seen.has(selection.name.value)) return false;
    seen.add(selection.name.value);
    const fragment = context.getFragment(selection.name.value);
    return fragment ? selectsSchema(fragment.selectionSet, context, seen) : false;
  });
}

/**
 * INTROSPECTION=false: `__schema` and `__type` are refused with INTROSPECTION_DISABLED
 * (`__typename` stays). A validation rule on every document, so graphql-ws subscribes are
 * covered too (Yoga's disable-introspection plugin marks HTTP requests only).
 */
export function useIntrospectionDisabled(): Plugin {
  return {
    onValidate({ addValidationRule }) {
      addValidationRule(introspectionDisabledRule);
    },
  };
}

const introspectionDisabledRule: ValidationRule = (context) => ({
  Field(node) {
    const type = context.getType();
    if (type && isIntrospectionType(getNamedType(type))) {
      context.reportError(
        new GraphQLError(`Introspection is disabled on this server: "${node.name.value}" cannot be queried.`, {
          nodes: node,
          extensions: { code: 'INTROSPECTION_DISABLED' },
        }),
      );
      return false; // one error per introspection field, not one per field below it
    }
    return undefined;
  },
});
