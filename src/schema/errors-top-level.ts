import { GraphQLError } from 'graphql';
import { DomainError } from '../services/errors.js';
import { IdempotencyKeyReusedError } from '../services/idempotency.js';

// Request-level failures carry their HTTP status; Yoga answers with it.
export const unauthenticated = () =>
  new GraphQLError('Not authenticated: send an API key (Authorization: Bearer, x-api-key or API-Key)', {
    extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
  });

export const invalidApiKey = () =>
  new GraphQLError('Invalid or revoked API key', {
    extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } },
  });

/** Credentials that name no single key (src/auth/api-keys.ts CredentialsError). */
export const credentialsRefused = (err: Error) =>
  new GraphQLError(err.message, { extensions: { code: 'UNAUTHENTICATED', http: { status: 401 } } });

/**
 * The key's requests exceed RATE_LIMIT: HTTP 429 with `Retry-After`, and the same wait in
 * seconds as `extensions.retryAfter` (graphql-ws has no headers).
 */
export const rateLimited = (retryAfterSeconds: number) =>
  new GraphQLError(
    `Rate limit exceeded for this API key: retry after ${retryAfterSeconds} second${retryAfterSeconds === 1 ? '' : 's'}`,
    {
      extensions: {
        code: 'RATE_LIMITED',
        retryAfter: retryAfterSeconds,
        http: { status: 429, headers: { 'retry-after': String(retryAfterSeconds) } },
      },
    },
  );

export const forbidden = (message = 'This API key lacks the scope this operation requires') =>
  new GraphQLError(message, { extensions: { code: 'FORBIDDEN', http: { status: 403 } } });

export const cursorExpired = (cursor: string) =>
  new GraphQLError(
    `Cursor "${cursor}" has expired: events after it were removed by retention (EVENT_RETENTION). ` +
      'Resume without `after` (live only) or from a newer cursor, and reconcile from your source of truth.',
    { extensions: { code: 'CURSOR_EXPIRED', cursor } },
  );

export const slowConsumer = () =>
  new GraphQLError(
    'Subscriber too slow: it fell further behind than its buffer holds (SUBSCRIBER_BUFFER_EVENTS), and the ' +
      'events it had not taken were dropped. Subscribe again with `after` set to the last cursor you received; ' +
      'nothing is lost.',
    { extensions: { code: 'SLOW_CONSUMER' } },
  );

export const accessRevoked = () =>
  new GraphQLError('The API key of this subscription was revoked or lost the events:read scope', {
    extensions: { code: 'FORBIDDEN' },
  });

/**
 * An idempotency key reused for another request is a fault of the request, not of the entity:
 * a top-level CONFLICT naming the key, whatever the mutation's union.
 */
function throwIfKeyReused(result: unknown): void {
  if (result instanceof IdempotencyKeyReusedError) {
    throw new GraphQLError(result.message, { extensions: { code: 'CONFLICT', field: 'idempotencyKey' } });
  }
}

/** For fields whose contract has no error union: a domain error becomes a typed top-level error. */
export function orGraphQLError<T>(result: T): Exclude<T, DomainError> {
  if (!(result instanceof DomainError)) return result as Exclude<T, DomainError>;
  throwIfKeyReused(result);
  throw new GraphQLError(result.message, {
    extensions: { code: result.code, ...('field' in result && result.field ? { field: result.field } : {}) },
  });
}

/** Returns the value, or throws a domain error for the errors plugin or as a top-level error. */
export function orThrow<T>(result: T): Exclude<T, DomainError> {
  throwIfKeyReused(result);
  if (result instanceof DomainError) throw result;
  return result as Exclude<T, DomainError>;
}
