// Small React hooks: data loaded now and again every few seconds, and a clock for ages.
import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from './api';

export interface Polled<T> {
  data: T | null;
  /** true once a load succeeded (data may legitimately be null) */
  loaded: boolean;
  error: ApiError | null;
  /** loads now (also between ticks: after an action) */
  refresh: () => Promise<void>;
}

/** `load` now and then every `intervalMs`; a tick is skipped while the previous load runs. */
export function usePolled<T>(load: () => Promise<T>, intervalMs: number): Polled<T> {
  const [data, setData] = useState<T | null>(null);
  const [loaded, setLoaded] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const running = useRef<Promise<void> | null>(null);
  const alive = useRef(true);

  const refresh = useCallback(async () => {
    // A refresh after an action waits for a load in flight, then loads again: it sees the action.
    while (running.current) await running.current;
    const current = (async () => {
      try {
        const next = await load();
        if (!alive.current) return;
        setData(next);
        setLoaded(true);
        setError(null);
      } catch (err) {
        if (alive.current) setError(err instanceof ApiError ? err : new ApiError(String(err), null));
      }
    })();
    running.current = current;
    try {
      await current;
    } finally {
      running.current = null;
    }
  }, [load]);

  useEffect(() => {
    alive.current = true;
    void refresh();
    const timer = setInterval(() => {
      if (!running.current && document.visibilityState !== 'hidden') void refresh();
    }, intervalMs);
    return () => {
      alive.current = false;
      clearInterval(timer);
    };
  }, [refresh, intervalMs]);

  return { data, loaded, error, refresh };
}

/** The current time, updated every `everyMs`. */
export function useNow(everyMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
