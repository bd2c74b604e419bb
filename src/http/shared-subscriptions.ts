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
import { LiveSubscription } from '../events/live.js';
import type { Context } from '../schema/context.js';

type Result = ExecutionResult | Promise<ExecutionResult>;

/**
 * What the graphql-ws fan-out needs to write a subscription's live events to its socket itself:
 * the live subscription, and each event's result as JSON, made once per event and execution key.
 */
export interface DirectFeed {
  subscription: LiveSubscription;
  json(event: object): string | Promise<string>;
}

// subscription context -> its feed (graphql-ws builds one context per subscribe)
const directFeeds = new WeakMap<object, DirectFeed>();

/** The direct feed of the subscription executed with this context, if it has one. */
export function directFeedOf(contextValue: unknown): DirectFeed | undefined {
  return typeof contextValue === 'object' && contextValue !== null ? directFeeds.get(contextValue) : undefined;
}

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
export function useSharedSubscriptionExecution(
  fields: ReadonlySet<string>,
  /** what an error in a result becomes when the result is written directly (as Yoga masks errors) */
  maskError: (error: unknown) => unknown,
): Plugin<Context> {
  // event object -> (execution key -> result); an event's entry goes when the event does
  const results = new WeakMap<object, Map<string, Result>>();
  const jsons = new WeakMap<object, Map<string, string | Promise<string>>>();
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
        const shared = (event: object): Result => {
          let perEvent = results.get(event);
          if (!perEvent) results.set(event, (perEvent = new Map()));
          let result = perEvent.get(key);
          if (result === undefined) perEvent.set(key, (result = run(event)));
          return result;
        };
        if (stream instanceof LiveSubscription) {
          const serialize = (result: ExecutionResult) =>
            JSON.stringify(result.errors ? { ...result, errors: result.errors.map(maskError) } : result);
          directFeeds.set(context, {
            subscription: stream,
            json(event) {
              let perEvent = jsons.get(event);
              if (!perEvent) jsons.set(event, (perEvent = new Map()));
              let json = perEvent.get(key);
              if (json === undefined) {
                const result = shared(event);
                json = result instanceof Promise ? result.then(serialize) : serialize(result);
                perEvent.set(key, json);
              }
              return json;
            },
          });
        }
        return mapAsyncIterable(stream as AsyncIterable<unknown>, (event) =>
          typeof event === 'object' && event !== null ? shared(event) : run(event),
        );
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
