/**
 * A real garbage collection from a test, for what holds only while an object lives (Node's
 * `new Request(input, { signal })` follows `signal` only while that Request does: nodejs/node#55428).
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Ends the current task first (a WeakRef holds its target until then), then collects. */
export async function collectGarbage(): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
  gc();
}
