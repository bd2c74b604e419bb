import { createHash } from 'node:crypto';
import type { Db } from '../db/client.js';
import { randomToken } from '../ids.js';
import { isScope, type Principal } from './scopes.js';

export const KEY_PREFIX = 'dgw_';

export const newApiKeySecret = () => `${KEY_PREFIX}${randomToken(40)}`;

/** Keys are 40 random characters, so one fast hash is enough (no password stretching). */
export const hashApiKey = (key: string) => createHash('sha256').update(key).digest('hex');

/**
 * Credentials that cannot name one key: two headers with different keys (the server will not
 * pick one), or an `Authorization` header without the `Bearer` scheme. REST answers 400 and
 * 401 for them, GraphQL `UNAUTHENTICATED`.
 */
export class CredentialsError extends Error {
  constructor(
    readonly kind: 'conflict' | 'scheme',
    message: string,
  ) {
    super(message);
  }
}

/**
 * The key of `Authorization: Bearer <key>`; null for none (a bare "Bearer", GraphiQL's
 * pre-filled header, carries none); another scheme or a value with spaces is refused.
 */
export function bearerKey(authorization: string | null | undefined): string | null {
  const value = authorization?.trim();
  if (!value || /^Bearer$/i.test(value)) return null;
  const m = /^Bearer\s+(\S+)$/i.exec(value);
  if (!m)
    throw new CredentialsError(
      'scheme',
      'The Authorization header needs the Bearer scheme: "Authorization: Bearer <key>"',
    );
  return m[1]!;
}

/**
 * The key of the seeds' three header styles: `Authorization: Bearer`, `x-api-key`, `API-Key`.
 * The same key in several of them is one key; different keys are refused (CredentialsError).
 */
export function apiKeyFromHeaders(get: (name: string) => string | null | undefined): string | null {
  const keys = new Set<string>();
  const bearer = bearerKey(get('authorization'));
  if (bearer) keys.add(bearer);
  for (const name of ['x-api-key', 'api-key']) {
    const value = get(name)?.trim();
    if (value) keys.add(value);
  }
  if (keys.size > 1) {
    throw new CredentialsError(
      'conflict',
      'Conflicting API keys: Authorization, x-api-key and API-Key name different keys; send one',
    );
  }
  return keys.values().next().value ?? null;
}

export type Authentication =
  | { kind: 'anonymous' }
  | { kind: 'invalid' }
  | { kind: 'authenticated'; principal: Principal };

export async function authenticate(db: Db, key: string | null): Promise<Authentication> {
  if (!key) return { kind: 'anonymous' };
  const row = await db.apiKey.findUnique({
    where: { hash: hashApiKey(key) },
    select: { id: true, workspaceId: true, scopes: true, revokedAt: true },
  });
  if (!row || row.revokedAt) return { kind: 'invalid' };
  return {
    kind: 'authenticated',
    principal: { keyId: row.id, workspaceId: row.workspaceId, scopes: new Set(row.scopes.filter(isScope)) },
  };
}
