/**
 * The Node engine: runs lab code in a worker thread (`thread.ts`) with a memory cap, and terminates it on
 * Stop, at the time limit, or once the run is done. It implements the same `LabEngine` interface as the
 * browser engine, so the grader, tests and benchmarks drive both the same way.
 */
import { Worker } from 'node:worker_threads';
import { LAB_ENV } from '../run/recorder.ts';
import type { RunMessage } from '../run/messages.ts';
import type { LabEngine } from '../engines/engine.ts';
import { startSession } from '../engines/session.ts';
import type { ThreadData } from './thread.ts';

const THREAD = new URL('./thread.ts', import.meta.url);

export interface NodeEngineOptions {
  /** Heap cap for learner code, in MB (a memory bomb fails instead of taking the grader down). */
  maxHeapMb?: number;
  /**
   * Skip waits: time jumps to the next timer whenever the run is only waiting (`run/warp.ts`). Same
   * events, same order, a fraction of the wall time. The time limit still counts real time.
   */
  warp?: boolean;
}

export function createNodeEngine(options: NodeEngineOptions = {}): LabEngine {
  let disposed = false;
  let stopCurrent: (() => void) | undefined;
  return {
    kind: 'node',
    ready: () => Promise.resolve(),
    run(request, onMessage) {
      if (disposed) throw new Error('This lab engine was disposed');
      stopCurrent?.();
      const handle = startSession({
        engine: 'node',
        request,
        onMessage,
        start(sandboxRequest, deliver, crash) {
          const worker = new Worker(THREAD, {
            workerData: {
              request: sandboxRequest,
              warp: options.warp === true,
            } satisfies ThreadData,
            env: { ...LAB_ENV },
            stdout: true,
            stderr: true,
            resourceLimits: { maxOldGenerationSizeMb: options.maxHeapMb ?? 256 },
          });
          let terminated = false;
          worker.on('message', (message: RunMessage) => deliver(message));
          worker.on('error', (error: Error) => {
            const oom = /heap|memory/i.test(error.message);
            crash(
              oom
                ? `Stopped: the code used more than ${options.maxHeapMb ?? 256} MB of memory.`
                : `The lab sandbox failed: ${error.message}`,
            );
          });
          worker.on('exit', (code) => {
            if (!terminated) crash(`The lab sandbox exited early (code ${code}).`);
          });
          return {
            terminate() {
              if (terminated) return;
              terminated = true;
              void worker.terminate();
            },
          };
        },
      });
      stopCurrent = handle.stop;
      return handle;
    },
    dispose() {
      disposed = true;
      stopCurrent?.();
    },
  };
}
