/**
 * The one load generator of the bench: `concurrency` workers in a closed loop, each taking the
 * next id and awaiting one deletion before the next, until the time is up or the ids run out.
 */
export interface LoadResult {
  ok: number;
  failed: number;
  elapsedMs: number;
  /** per successful deletion, in ms */
  latenciesMs: number[];
  /** the ids ran out before the time did */
  exhausted: boolean;
  firstError: string | null;
}

export interface LoadOptions {
  concurrency: number;
  durationMs: number;
  /** consumed from the end */
  ids: string[];
  /** one deletion; throws when it did not delete */
  send(id: string): Promise<void>;
}

export async function closedLoop(opts: LoadOptions): Promise<LoadResult> {
  const result: LoadResult = { ok: 0, failed: 0, elapsedMs: 0, latenciesMs: [], exhausted: false, firstError: null };
  const start = performance.now();
  const deadline = start + opts.durationMs;
  const worker = async () => {
    while (performance.now() < deadline) {
      const id = opts.ids.pop();
      if (id === undefined) {
        result.exhausted = true;
        return;
      }
      await timed(result, () => opts.send(id));
    }
  };
  await Promise.all(Array.from({ length: opts.concurrency }, worker));
  result.elapsedMs = performance.now() - start;
  return result;
}

/** One request of a loop: its latency when it succeeded, its error (the first one kept) when not. */
async function timed(result: LoadResult, send: () => Promise<void>): Promise<void> {
  const t = performance.now();
  try {
    await send();
    result.latenciesMs.push(performance.now() - t);
    result.ok++;
  } catch (err) {
    result.failed++;
    result.firstError ??= (err as Error).message;
  }
}

export const throughput = (r: LoadResult) => (r.ok * 1000) / r.elapsedMs;

/**
 * The same closed loop for requests without ids (reads): `concurrency` workers, each sending
 * the next request when its last one answered, until `until` settles. Requests in flight then
 * are awaited and counted: they ran during what `until` stands for.
 */
export async function closedLoopUntil(opts: {
  concurrency: number;
  until: Promise<unknown>;
  /** one request; throws when it failed */
  send(): Promise<void>;
}): Promise<LoadResult> {
  const result: LoadResult = { ok: 0, failed: 0, elapsedMs: 0, latenciesMs: [], exhausted: false, firstError: null };
  let done = false;
  const stop = () => {
    done = true;
  };
  opts.until.then(stop, stop);
  const start = performance.now();
  const worker = async () => {
    while (!done) await timed(result, opts.send);
  };
  await Promise.all(Array.from({ length: opts.concurrency }, worker));
  result.elapsedMs = performance.now() - start;
  return result;
}
