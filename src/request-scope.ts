// The request being served in this async context: its id goes on every log line it causes, and
// the route or GraphQL operation and the key it learns go on its access-log line.
import { AsyncLocalStorage } from 'node:async_hooks';

export interface RequestScope {
  readonly requestId: string;
  /** the REST route that answered, as its pattern (`DELETE /resources/{resource_id}`); never raw ids */
  route: string | null;
  /** the GraphQL operation being executed */
  graphql: { name: string | null; type: string; rootFields: string | null } | null;
  /** the id of the API key that authenticated the request (never the key itself) */
  keyId: string | null;
  /** the response streams subscription results (`sse`, `multipart`) instead of answering once */
  stream: string | null;
  /** GraphQL errors in the result (execution errors, or a refusal before execution) */
  errors: number;
}

export function newRequestScope(requestId: string): RequestScope {
  return { requestId, route: null, graphql: null, keyId: null, stream: null, errors: 0 };
}

const scopes = new AsyncLocalStorage<RequestScope | undefined>();

/** The request this code runs for, if any (background work runs outside every request). */
export const currentRequest = (): RequestScope | undefined => scopes.getStore();

/** Runs `fn` (and everything it starts) as part of `scope`'s request. */
export const runInRequest = <T>(scope: RequestScope, fn: () => T): T => scopes.run(scope, fn);

/**
 * Runs `fn` outside every request: shared background work it starts (a timer, a wake-up) must
 * not carry the id of whichever request happened to trigger it. (run(undefined), not exit():
 * on Node 20 exit() switches the async hooks off and on again.)
 */
export const outsideRequest = <T>(fn: () => T): T => scopes.run(undefined, fn);

/** Records what the current request turned out to be (no-op outside a request). */
export function annotateRequest(fields: Partial<Pick<RequestScope, 'route' | 'keyId'>>): void {
  const scope = scopes.getStore();
  if (scope) Object.assign(scope, fields);
}

/** The fields every log line of the current request carries (pino's mixin). */
export function requestLogFields(): { requestId?: string } {
  const scope = scopes.getStore();
  return scope ? { requestId: scope.requestId } : {};
}
