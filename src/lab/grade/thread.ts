/**
 * The grader's sandbox: a Node worker thread that runs one lab run with `executeRun`, exactly as the
 * browser worker does (same transpiler, module loader, recorder, mock and checks), and posts every message
 * to the parent. The parent terminates the thread when the run is done or over its time limit.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { realClock } from '../../mock/core/clock.ts';
import { createMockHandler } from '../../mock/core/index.ts';
import { builtins } from '../run/builtins.ts';
import { executeRun, reportUncaught } from '../run/execute.ts';
import type { SandboxRunRequest } from '../run/execute.ts';

const port = parentPort;
if (!port) throw new Error('src/lab/grade/thread.ts must run as a worker thread');

process.on('uncaughtException', (error) => reportUncaught(error, false));
process.on('unhandledRejection', (reason) => reportUncaught(reason, true));

await executeRun(workerData as SandboxRunRequest, {
  builtins,
  createHandler: (clock) => createMockHandler({ clock }),
  clock: realClock,
  emit: (message) => port.postMessage(message),
  global: globalThis,
});
