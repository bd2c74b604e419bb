import {
  createSourceEventStream,
  type DocumentNode,
  type ExecutionArgs,
  type ExecutionResult,
  execute,
  getOperationAST,
  print,
} from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Context } from '../schema/context.js';

type Result = ExecutionResult | Promise<ExecutionResult>;

/**
 * Executes a subscription document once per event and shares the result among every
 * subscriber of the same document, variables and workspace, instead of executing it once per
 * subscriber. This is what keeps a fan-out to thousands of subscribers cheap.
 *
 * It applies only to subscriptions whose single root field is listed in `fields` and whose
 * event payloads are objects shared by all subscribers (the live tail pushes one object per
 * event to every matching subscriber) and resolved without looking at the context. The
 * subscription's own `subscribe` resolver still runs per subscriber, so authorization, the
 * workspace filter and argument checks are unchanged.
 */
export function useSharedSubscriptionExecution(fields: ReadonlySet<string>): Plugin<Context> {
  // event object -> (execution key -> result); an event's entry goes when the event does
  const results = new WeakMap<object, Map<string, Result>>();
  const documentKeys = new WeakMap<DocumentNode, string>();
  const documentKey = (document: DocumentNode) => {
    let key = documentKeys.get(document);
    if (key === undefined) {
      key = document.loc?.source.body ?? print(document);
      documentKeys.set(document, key);
    }
    return key;
  };

  return {
    onSubscribe({ args, setSubscribeFn }) {
      const operation = getOperationAST(args.document, args.operationName);
      const [root, ...more] = operation?.selectionSet.selections ?? [];
      if (operation?.operation !== 'subscription' || more.length || root?.kind !== 'Field') return;
      if (!fields.has(root.name.value) || root.directives?.length) return;

      setSubscribeFn(async (subscribeArgs: ExecutionArgs) => {
        const stream = await createSourceEventStream(subscribeArgs);
        if (!(Symbol.asyncIterator in (stream as object))) return stream as ExecutionResult;
        const context = subscribeArgs.contextValue as Context;
        const key = JSON.stringify([
          documentKey(subscribeArgs.document),
          subscribeArgs.operationName ?? null,
          subscribeArgs.variableValues ?? null,
          context.principal?.workspaceId ?? null,
        ]);
        const run = (event: unknown): Result => execute({ ...subscribeArgs, rootValue: event });
        return mapAsyncIterable(stream as AsyncIterable<unknown>, (event) => {
          if (typeof event !== 'object' || event === null) return run(event);
          let perEvent = results.get(event);
          if (!perEvent) results.set(event, (perEvent = new Map()));
          let result = perEvent.get(key);
          if (result === undefined) perEvent.set(key, (result = run(event)));
          return result;
        });
      });
    },
  };
}

/** Maps an async iterable, passing return() through so closing the result closes the source. */
function mapAsyncIterable<T, R>(source: AsyncIterable<T>, map: (value: T) => R | Promise<R>): AsyncIterableIterator<R> {
  const iterator = source[Symbol.asyncIterator]();
  const close = async (): Promise<IteratorResult<R>> => {
    await iterator.return?.();
    return { done: true, value: undefined };
  };
  return {
    async next() {
      const step = await iterator.next();
      return step.done ? { done: true, value: undefined } : { done: false, value: await map(step.value) };
    },
    return: close,
    async throw(err?: unknown) {
      await close();
      throw err;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
}
