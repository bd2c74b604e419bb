// The crash harness's plan: which deletions of which backends, over which transport, and when to
// kill the gateway. Everything random comes from one seeded generator, so a seed names a run.

/** A small seeded generator (xorshift32): uniform floats in [0, 1). */
export function seededRandom(seed: number): () => number {
  // Spread the seed's bits so that nearby seeds start far apart; xorshift needs a non-zero state.
  let x = Math.imul((seed | 0) ^ 0x9e3779b9, 0x85ebca6b) >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x1_0000_0000;
  };
}

export type Random = () => number;

export const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
export const chance = (random: Random, p: number) => random() < p;
export const between = (random: Random, min: number, max: number) => min + Math.floor(random() * (max - min + 1));

export function shuffle<T>(random: Random, items: T[]): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/** The kinds of deletion the harness sends: one per backend, three for seed 001. */
export type DeletionKind = 'resource' | 'record' | 'deleteAll' | 'task' | 'parserResult' | 'dataset' | 'image';

/** Each kind's share of the deletions. */
const SHARES: Readonly<Record<DeletionKind, number>> = {
  resource: 0.25,
  record: 0.2,
  deleteAll: 0.03,
  task: 0.04,
  parserResult: 0.15,
  dataset: 0.15,
  image: 0.18,
};

/** How many deletions of each kind make `total` (at least one of each from 7 on). */
export function deletionCounts(total: number): Record<DeletionKind, number> {
  const kinds = Object.keys(SHARES) as DeletionKind[];
  const counts = Object.fromEntries(
    kinds.map((k) => [k, Math.max(total >= kinds.length ? 1 : 0, Math.round(total * SHARES[k]))]),
  ) as Record<DeletionKind, number>;
  // The rounding difference goes to (or comes from) the largest share.
  const sum = kinds.reduce((n, k) => n + counts[k], 0);
  counts.resource = Math.max(0, counts.resource + total - sum);
  return counts;
}

/** Entities of a kind that no deletion targets: they must come through untouched. */
export const survivorsFor = (count: number) => Math.max(1, Math.ceil(count / 10));

export type KillMode =
  /** SIGKILL as soon as a deletion in flight has committed and is not answered yet */
  | 'after-commit'
  /** SIGKILL after a random delay */
  | 'delay';

export interface KillPlan {
  /** the kill comes once this many deletions have been answered */
  afterAnswers: number;
  mode: KillMode;
  /** for 'delay': milliseconds after that answer */
  delayMs: number;
}

/**
 * `kills` kill points spread over the run (between 5% and 95% of the answers), distinct and in
 * order; they alternate between the two modes, starting with 'after-commit', so that even a
 * short run kills at least once with a committed deletion's answer in flight.
 */
export function killPlan(random: Random, deletions: number, kills: number): KillPlan[] {
  const low = Math.max(1, Math.floor(deletions * 0.05));
  const high = Math.max(low, Math.floor(deletions * 0.95));
  const points = new Set<number>();
  const room = high - low + 1;
  while (points.size < Math.min(kills, room)) points.add(between(random, low, high));
  // With fewer answers than kills, later kills share a point: each comes after the restart.
  const sorted = [...points].sort((a, b) => a - b);
  while (sorted.length < kills) sorted.push(sorted.at(-1) ?? low);
  return sorted.map((afterAnswers, i) => ({
    afterAnswers,
    mode: i % 2 === 0 ? 'after-commit' : 'delay',
    delayMs: between(random, 0, 250),
  }));
}
