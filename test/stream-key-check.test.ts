import { describe, expect, it } from 'vitest';
import { type KeyStanding, type OpenStreams, recheckStreamKeys } from '../src/auth/key-watch.js';

// The decision of the stream key check (src/auth/key-watch.ts), without a database: which
// subscriptions end and which connections close for which standing of their keys.

function streams(subscriptionKeys: string[], connectionKeys: string[]) {
  const ended: string[][] = [];
  const closed: string[][] = [];
  const open: OpenStreams = {
    subscriptionKeyIds: () => new Set(subscriptionKeys),
    connectionKeyIds: () => new Set(connectionKeys),
    endSubscriptionsOf: (ids) => ended.push([...ids].sort()),
    closeConnectionsOf: (ids) => closed.push([...ids].sort()),
  };
  return { open, ended, closed };
}

const standing =
  (revoked: string[], lacking: string[], asked: Array<Set<string>> = []) =>
  async (ids: ReadonlySet<string>): Promise<KeyStanding> => {
    asked.push(new Set(ids));
    return {
      revoked: new Set(revoked.filter((id) => ids.has(id))),
      lacking: new Set(lacking.filter((id) => ids.has(id))),
    };
  };

describe('recheckStreamKeys', () => {
  it('asks nothing when no stream is open', async () => {
    const asked: Array<Set<string>> = [];
    const s = streams([], []);
    expect(await recheckStreamKeys(standing(['k1'], [], asked), s.open)).toEqual({ subscriptions: 0, connections: 0 });
    expect(asked).toEqual([]);
  });

  it('asks once about every key of a subscription or a connection', async () => {
    const asked: Array<Set<string>> = [];
    const s = streams(['k1', 'k2'], ['k2', 'k3']);
    await recheckStreamKeys(standing([], [], asked), s.open);
    expect(asked).toEqual([new Set(['k1', 'k2', 'k3'])]);
    expect(s.ended).toEqual([]);
    expect(s.closed).toEqual([]);
  });

  it('a revoked key ends its subscriptions and closes its connections', async () => {
    const s = streams(['k1', 'k2'], ['k1', 'k3']);
    await recheckStreamKeys(standing(['k1', 'k3'], []), s.open);
    expect(s.ended).toEqual([['k1', 'k3']]);
    expect(s.closed).toEqual([['k1', 'k3']]);
  });

  it('a key without events:read ends its subscriptions; a connection of that key without a subscription is left open', async () => {
    const withSubscription = streams(['k1'], ['k1']);
    await recheckStreamKeys(standing([], ['k1']), withSubscription.open);
    expect(withSubscription.ended).toEqual([['k1']]);

    // k2 only runs other operations (operationUpdated, queries): not reading events is its normal state.
    const without = streams(['k1'], ['k2']);
    await recheckStreamKeys(standing([], ['k2']), without.open);
    expect(without.ended).toEqual([]);
    expect(without.closed).toEqual([]);
  });
});
