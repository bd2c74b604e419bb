// Requests GraphQL cannot run are the client's mistake and say so with a code: JSON that does
// not parse is a 400 BAD_REQUEST in our words, a variable of the wrong type or an argument
// Pothos refuses BAD_USER_INPUT.
import { PothosValidationError } from '@pothos/core';
import { type ExecutionResult, GraphQLError } from 'graphql';
import type { Plugin } from 'graphql-yoga';

const invalidJson = (what: string) =>
  new GraphQLError(`${what} does not parse as JSON`, { extensions: { code: 'BAD_REQUEST', http: { status: 400 } } });

/**
 * Yoga lets JSON.parse's SyntaxError escape from the `variables`/`extensions` query parameters
 * (a masked 500) and copies it into `extensions.originalError` for a body (the parser's wording,
 * quoting the body back). List it after the plugins that choose the request parser, so it wraps
 * the parser that runs.
 */
export function useJsonParseErrors(): Plugin {
  return {
    onRequestParse({ requestParser, setRequestParser }) {
      if (!requestParser) return;
      const parse = requestParser;
      setRequestParser(async (req) => {
        try {
          return await parse(req);
        } catch (err) {
          // GET and form bodies: JSON.parse of the `variables` or `extensions` parameter
          if (err instanceof SyntaxError) throw invalidJson('The variables or extensions parameter');
          // a JSON body: Yoga's "POST body sent invalid JSON." with the parser's error attached
          if (err instanceof GraphQLError && err.extensions.originalError !== undefined) {
            throw invalidJson('The request body');
          }
          throw err;
        }
      });
    },
  };
}

/**
 * Bad input that arrives without a code gets BAD_USER_INPUT: variables that do not coerce ("got
 * invalid value"), which graphql-js reports as a result with errors and no `data`, and arguments
 * Pothos refuses itself (a negative `first`, a malformed cursor: a PothosValidationError). Coded
 * here rather than in maskError, which Yoga logs as an unexpected error whenever it replaces one.
 */
export function useCodedRequestErrors(): Plugin {
  const badInput = (e: GraphQLError, requestError: boolean) =>
    e.extensions?.code === undefined && (requestError || e.originalError instanceof PothosValidationError);
  const addCodes = ({ result, setResult }: { result: unknown; setResult: (r: ExecutionResult) => void }) => {
    if (!result || typeof result !== 'object' || Symbol.asyncIterator in result) return;
    const requestError = !('data' in result);
    const { errors } = result as ExecutionResult;
    if (!errors?.some((e) => badInput(e, requestError))) return;
    setResult({
      ...(result as ExecutionResult),
      errors: errors.map((e) =>
        badInput(e, requestError)
          ? new GraphQLError(e.message, {
              nodes: e.nodes,
              source: e.source,
              positions: e.positions,
              path: e.path,
              extensions: { ...e.extensions, code: 'BAD_USER_INPUT' },
            })
          : e,
      ),
    });
  };
  return {
    onExecute: () => ({ onExecuteDone: addCodes }),
    onSubscribe: () => ({ onSubscribeResult: addCodes }),
  };
}
