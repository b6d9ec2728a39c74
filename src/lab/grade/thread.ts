/**
 * The grader's sandbox: a Node worker thread that runs one lab run with `executeRun`, exactly as the
 * browser worker does (same transpiler, module loader, recorder, mock and checks), and posts every message
 * to the parent. The parent terminates the thread when the run is done or over its time limit.
 *
 * Learner code runs in its own hardened scope (`run/compartment.ts`): no `process`, `worker_threads` or
 * `parentPort`, and no way to change the intrinsics the checks use.
 *
 * With `warp` (the grader's default), time jumps to the next timer whenever the run is only waiting
 * (`run/warp.ts`): the same events in the same order as in real time, in a fraction of the wall time,
 * however loaded the machine (between jumps, time flows with the thread's work: `thread-clock.ts`).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { realClock } from '../../mock/core/clock.ts';
import { createMockHandler } from '../../mock/core/index.ts';
import { builtins } from '../run/builtins.ts';
import { executeRun, reportUncaught } from '../run/execute.ts';
import type { SandboxRunRequest } from '../run/execute.ts';
import { trackTimers } from '../run/pending.ts';
import { installTimeWarp } from '../run/warp.ts';
import { threadClock } from './thread-clock.ts';
import { createLearnerScope } from '../run/compartment.ts';
import { lockDownRealm } from '../run/lockdown.ts';

/** What the Node engine hands the thread. */
export interface ThreadData {
  request: SandboxRunRequest;
  warp: boolean;
}

const port = parentPort;
if (!port) throw new Error('src/lab/grade/thread.ts must run as a worker thread');

process.on('uncaughtException', (error) => reportUncaught(error, false));
process.on('unhandledRejection', (reason) => reportUncaught(reason, true));

const data = workerData as ThreadData;
// Between jumps, time flows with this thread's work: a wait for a core on a busy machine is not time.
const warp = data.warp
  ? installTimeWarp(globalThis, setImmediate, { flow: threadClock() })
  : undefined;
const timers = trackTimers(globalThis);
// After the warp and the timer tracking (they replace time functions), before any lab code: intrinsics
// frozen, learner code in its own scope without `process`, `require` or this thread's `parentPort`.
lockDownRealm();
// Lockdown puts the intrinsic `Date` back on the global: the learner's scope must get the warped one.
if (warp)
  Object.defineProperty(globalThis, 'Date', {
    value: warp.Date,
    writable: true,
    configurable: true,
  });

// The host's probe at the time limit (see `engines/session.ts`): answered between two tasks, so a thread
// stuck in a loop never answers. The port is unref'd: a run awaiting a promise that never settles, with
// nothing else pending, still ends the thread, which the host reports as such.
port.on('message', (message: { type?: string } | null) => {
  if (message?.type === 'probe')
    port.postMessage({ type: 'probe-reply', timers: timers.pending() });
});
port.unref();

// Not awaited: a run that awaits a promise that never settles lets the thread's event loop run dry, and
// the thread ends (code 0) without a `done`, which the host reports as the page would at the time limit.
void executeRun(data.request, {
  // Loading a library is real I/O: no time jump may happen under it.
  builtins: warp
    ? Object.fromEntries(
        Object.entries(builtins).map(([name, load]) => [name, () => warp.busy(load())]),
      )
    : builtins,
  createHandler: (clock) => createMockHandler({ clock }),
  clock: realClock,
  emit: (message) => port.postMessage(message),
  global: globalThis,
  learnerScope: createLearnerScope,
});
