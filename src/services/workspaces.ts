import { hashApiKey, KEY_PREFIX, newApiKeySecret } from '../auth/api-keys.js';
import { API_KEY_REVOKED_CHANNEL } from '../auth/key-cache.js';
import { isScope, type Principal, SCOPES, type Scope } from '../auth/scopes.js';
import type { Db, PrismaClient } from '../db/client.js';
import type { ApiKey, Workspace } from '../db/generated/client.js';
import { newApiKeyId, newWorkspaceId } from '../ids.js';
import { hasControlCharacter } from '../util/text.js';
import { NotFoundError, ValidationError } from './errors.js';

export type { ApiKey, Workspace };

export function createWorkspace(db: Db, name: string): Promise<Workspace | ValidationError> {
  const trimmed = name.trim();
  if (!trimmed || trimmed.length > 200 || hasControlCharacter(trimmed))
    return Promise.resolve(new ValidationError('name must be 1 to 200 characters, without control characters', 'name'));
  return db.workspace.create({ data: { id: newWorkspaceId(), name: trimmed } });
}

export interface CreatedApiKey {
  /** The secret, returned once and never stored. */
  key: string;
  apiKey: ApiKey;
}

/** A key for `workspaceId`; only a `platform` key may create keys outside its own workspace. */
export async function createApiKey(
  db: Db,
  principal: Principal | null,
  input: { workspaceId?: string | null; name: string; scopes: string[] },
  secret: string = newApiKeySecret(),
): Promise<CreatedApiKey | ValidationError | NotFoundError> {
  const workspaceId = input.workspaceId ?? principal?.workspaceId;
  if (!workspaceId) return new ValidationError('workspaceId is required', 'workspaceId');
  if (input.name.length > 200 || hasControlCharacter(input.name)) {
    return new ValidationError('name must be at most 200 characters, without control characters', 'name');
  }
  // no workspace has such an id (and PostgreSQL text cannot hold U+0000)
  if (hasControlCharacter(workspaceId)) return new NotFoundError('Workspace not found');
  if (principal && workspaceId !== principal.workspaceId && !principal.scopes.has('platform')) {
    return new NotFoundError('Workspace not found');
  }
  const unknown = input.scopes.filter((s) => !isScope(s));
  if (unknown.length) {
    return new ValidationError(`Unknown scopes: ${unknown.join(', ')} (known: ${SCOPES.join(', ')})`, 'scopes');
  }
  const scopes = [...new Set(input.scopes)] as Scope[];
  if (principal && !scopes.every((s) => principal.scopes.has(s))) {
    return new ValidationError('A key cannot grant scopes it does not hold itself', 'scopes');
  }
  const workspace = await db.workspace.findUnique({ where: { id: workspaceId } });
  if (!workspace) return new NotFoundError('Workspace not found');
  const apiKey = await db.apiKey.create({
    data: {
      id: newApiKeyId(),
      workspaceId,
      name: input.name.trim() || 'unnamed',
      hash: hashApiKey(secret),
      prefix: secret.slice(0, KEY_PREFIX.length + 6),
      scopes,
    },
  });
  return { key: secret, apiKey };
}

/** A key by id (revoked ones too); the caller decides who may see it. */
export function findApiKey(db: Db, id: string): Promise<ApiKey | null> {
  if (hasControlCharacter(id)) return Promise.resolve(null); // no key has such an id
  return db.apiKey.findUnique({ where: { id } });
}

export async function revokeApiKey(db: Db, principal: Principal, id: string): Promise<ApiKey | NotFoundError> {
  const key = await findApiKey(db, id);
  if (!key || (key.workspaceId !== principal.workspaceId && !principal.scopes.has('platform'))) {
    return new NotFoundError('API key not found');
  }
  if (key.revokedAt) return key;
  const revoked = await db.apiKey.update({ where: { id }, data: { revokedAt: new Date() } });
  // Instances that cache keys drop this one (src/auth/key-cache.ts).
  await db.$executeRaw`SELECT pg_notify(${API_KEY_REVOKED_CHANNEL}, ${id})`;
  return revoked;
}

/**
 * On a database with no keys, creates the default workspace and a key with every scope.
 * Returns the secret when one was generated (to print once), null otherwise.
 */
export async function bootstrapAdminKey(
  prisma: PrismaClient,
  configuredKey: string | undefined,
): Promise<{ key: string; generated: boolean } | null> {
  return prisma.$transaction(async (tx) => {
    // Instances starting together on one empty database must not both bootstrap.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(${BOOTSTRAP_LOCK})`;
    if (configuredKey) {
      if (await tx.apiKey.findUnique({ where: { hash: hashApiKey(configuredKey) } })) return null;
    } else if ((await tx.apiKey.count()) > 0) {
      return null;
    }
    const workspace =
      (await tx.workspace.findFirst({ orderBy: { createdAt: 'asc' } })) ??
      (await tx.workspace.create({ data: { id: newWorkspaceId(), name: 'default' } }));
    const created = await createApiKey(
      tx,
      null,
      { workspaceId: workspace.id, name: 'bootstrap admin', scopes: [...SCOPES] },
      configuredKey,
    );
    if (!('key' in created)) throw new Error(`bootstrap failed: ${created.message}`);
    return { key: created.key, generated: !configuredKey };
  });
}

const BOOTSTRAP_LOCK = 0x64677762; // 'dgwb'
