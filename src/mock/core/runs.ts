/**
 * The run table: how many attempts each run has made, for fail-then-succeed scenarios. Bounded three
 * ways, so a room (or a script sending 90,000 run ids) cannot grow it without limit: entries expire
 * `ttlMs` after their last attempt, at most `maxRuns` are kept, and their keys take at most `maxBytes`
 * (oldest forgotten first). Time comes from the injected clock.
 */
import type { Clock } from './clock.ts';

export interface RunTableOptions {
  clock: Clock;
  /** How long a run is remembered after its last attempt. Default 60 s. */
  ttlMs?: number;
  /** How many runs are remembered at most. Default 10,000. */
  maxRuns?: number;
  /** Bytes the table may use at most, keys and per-entry overhead counted. Default 4 MiB. */
  maxBytes?: number;
}

/** What one entry costs besides its key: the map slot, the record and its two numbers. */
export const ENTRY_OVERHEAD_BYTES = 96;

export interface RunTable {
  /** Counts one attempt of the run `key` and returns its number (1 for the first). */
  count(key: string): number;
  /** Forgets a run (after its success, for body-keyed runs). */
  forget(key: string): void;
  readonly size: number;
  /** Bytes in use by the current entries, as the bound counts them. */
  readonly bytes: number;
}

/** Bytes a key takes: strings are UTF-16 in JavaScript engines. */
const keyBytes = (key: string): number => key.length * 2 + ENTRY_OVERHEAD_BYTES;

export function createRunTable(options: RunTableOptions): RunTable {
  const { clock } = options;
  const ttl = options.ttlMs ?? 60_000;
  const maxRuns = options.maxRuns ?? 10_000;
  const maxBytes = options.maxBytes ?? 4 * 1024 * 1024;
  /** A Map keeps insertion order and entries are re-inserted on use, so the oldest come first. */
  const runs = new Map<string, { count: number; expires: number }>();
  let bytes = 0;

  const remove = (key: string): void => {
    if (runs.delete(key)) bytes -= keyBytes(key);
  };

  return {
    count(key) {
      const now = clock.now();
      const entry = runs.get(key);
      const count = entry && entry.expires > now ? entry.count + 1 : 1;
      remove(key);
      const cost = keyBytes(key);
      for (const [k, v] of runs) {
        if (v.expires > now && runs.size < maxRuns && bytes + cost <= maxBytes) break;
        remove(k);
      }
      runs.set(key, { count, expires: now + ttl });
      bytes += cost;
      return count;
    },
    forget: remove,
    get size() {
      return runs.size;
    },
    get bytes() {
      return bytes;
    },
  };
}
