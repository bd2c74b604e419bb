import type { Db } from '../db/client.js';
import type { Scope } from './scopes.js';

export interface KeyStanding {
  /** revoked, or no longer there */
  revoked: Set<string>;
  /** valid but without the scope asked about */
  lacking: Set<string>;
}

/** Which of these keys were revoked and which lack `scope`, in one statement. */
export async function keyStanding(db: Db, keyIds: ReadonlySet<string>, scope: Scope): Promise<KeyStanding> {
  const standing: KeyStanding = { revoked: new Set(), lacking: new Set() };
  if (keyIds.size === 0) return standing;
  const ids = [...keyIds];
  const rows = await db.apiKey.findMany({
    where: { id: { in: ids } },
    select: { id: true, scopes: true, revokedAt: true },
  });
  const found = new Map(rows.map((r) => [r.id, r]));
  for (const id of ids) {
    const row = found.get(id);
    if (!row || row.revokedAt) standing.revoked.add(id);
    else if (!row.scopes.includes(scope)) standing.lacking.add(id);
  }
  return standing;
}

export interface OpenStreams {
  /** keys of live deletionEvents subscriptions (over graphql-ws and SSE) */
  subscriptionKeyIds(): Set<string>;
  /** keys graphql-ws connections authenticated with */
  connectionKeyIds(): Set<string>;
  /** ends the subscriptions opened with these keys (FORBIDDEN; the SSE stream ends) */
  endSubscriptionsOf(keyIds: ReadonlySet<string>): number;
  /** closes the graphql-ws connections of these keys with 4403 */
  closeConnectionsOf(keyIds: ReadonlySet<string>): number;
}

/**
 * One check of the keys behind open streams: a connection whose key was revoked is closed
 * (4403), and a subscription whose key was revoked or lost `events:read` ends (its
 * connection closed with 4403 over graphql-ws). Run every KEY_RECHECK_INTERVAL on every
 * instance, and at once when a revocation is announced.
 */
export async function recheckStreamKeys(
  standing: (keyIds: ReadonlySet<string>) => Promise<KeyStanding>,
  streams: OpenStreams,
): Promise<{ subscriptions: number; connections: number }> {
  const subscriptionKeys = streams.subscriptionKeyIds();
  const keys = new Set([...subscriptionKeys, ...streams.connectionKeyIds()]);
  if (keys.size === 0) return { subscriptions: 0, connections: 0 };
  const { revoked, lacking } = await standing(keys);
  const lost = new Set([...revoked, ...[...lacking].filter((id) => subscriptionKeys.has(id))]);
  if (lost.size === 0) return { subscriptions: 0, connections: 0 };
  return {
    subscriptions: streams.endSubscriptionsOf(lost),
    connections: streams.closeConnectionsOf(lost),
  };
}
