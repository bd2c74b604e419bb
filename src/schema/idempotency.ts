// The `idempotencyKey` argument of every delete mutation (or the request's Idempotency-Key header).
import { GraphQLError } from 'graphql';
import { ValidationError } from '../services/errors.js';
import type { SentKey } from '../services/idempotency.js';
import type { Context } from './context.js';

export const IDEMPOTENCY_KEY_DESCRIPTION =
  'Makes a retry safe: a retry with the same key and the same arguments within IDEMPOTENCY_TTL (24 h by default) ' +
  'gets the first answer again, with no second deletion; the same key with other arguments is refused (CONFLICT). ' +
  'The Idempotency-Key HTTP header does the same.';

/**
 * The key of this mutation: its argument, else the request's Idempotency-Key header. A
 * malformed key, or an argument and a header that differ, is a VALIDATION_FAILED error.
 */
export function idempotencyOf(ctx: Context, arg: string | null | undefined): SentKey | null {
  const header = ctx.idempotencyKey;
  if (arg != null && header != null && arg !== header) {
    throw new GraphQLError('The idempotencyKey argument and the Idempotency-Key header differ; send one key', {
      extensions: { code: 'VALIDATION_FAILED', field: 'idempotencyKey' },
    });
  }
  const key = ctx.services.idempotency.sent(arg ?? header, ctx.principal!.keyId);
  if (key instanceof ValidationError) {
    throw new GraphQLError(key.message, { extensions: { code: key.code, field: key.field } });
  }
  return key;
}
