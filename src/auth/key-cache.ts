import { type Authentication, hashApiKey } from './api-keys.js';

/** Channel on which a revoked key's id is announced to every instance (see revokeApiKey). */
export const API_KEY_REVOKED_CHANNEL = 'api_key_revoked';

interface Entry {
  auth: Authentication & { kind: 'authenticated' };
  expires: number;
}

/**
 * Remembers valid keys for a short while so that a request does not cost a database round
 * trip to authenticate. A revocation evicts the key at once on the instance that revoked it
 * and, through NOTIFY, on every other instance; `ttlMs` bounds how long a key revoked while
 * an instance missed the notification can still be used there. Unknown or revoked keys are
 * never cached, so every failed attempt is checked against the database.
 */
export class ApiKeyCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly lookup: (key: string) => Promise<Authentication>,
    private readonly ttlMs = 30_000,
    private readonly max = 10_000,
  ) {}

  async authenticate(key: string | null): Promise<Authentication> {
    if (!key) return { kind: 'anonymous' };
    const hash = hashApiKey(key);
    const hit = this.entries.get(hash);
    if (hit && hit.expires > Date.now()) return hit.auth;
    const auth = await this.lookup(key);
    this.entries.delete(hash);
    if (auth.kind === 'authenticated' && this.ttlMs > 0) {
      if (this.entries.size >= this.max) this.entries.delete(this.entries.keys().next().value!);
      this.entries.set(hash, { auth, expires: Date.now() + this.ttlMs });
    }
    return auth;
  }

  /** Forgets the key with this id ('' forgets every key: a notification may have been missed). */
  evict(keyId: string): void {
    if (!keyId) {
      this.entries.clear();
      return;
    }
    for (const [hash, entry] of this.entries) {
      if (entry.auth.principal.keyId === keyId) this.entries.delete(hash);
    }
  }
}
