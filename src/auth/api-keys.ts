import { createHash } from 'node:crypto';
import type { Db } from '../db/client.js';
import { randomToken } from '../ids.js';
import { isScope, type Principal } from './scopes.js';

export const KEY_PREFIX = 'dgw_';

export const newApiKeySecret = () => `${KEY_PREFIX}${randomToken(40)}`;

/** Keys are 40 random characters, so one fast hash is enough (no password stretching). */
export const hashApiKey = (key: string) => createHash('sha256').update(key).digest('hex');

/** The three header styles of the seeds: `Authorization: Bearer`, `x-api-key`, `API-Key`. */
export function apiKeyFromHeaders(get: (name: string) => string | null | undefined): string | null {
  const authorization = get('authorization')?.trim();
  // "Bearer" with nothing after it (GraphiQL's pre-filled header) carries no key.
  if (authorization && !/^Bearer$/i.test(authorization)) {
    const m = /^Bearer\s+(\S+)$/i.exec(authorization);
    return m ? m[1]! : authorization;
  }
  return get('x-api-key')?.trim() || get('api-key')?.trim() || null;
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
