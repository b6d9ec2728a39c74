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
import { isOutOfMemory, memoryMessage, OUTPUT_LIMIT_BYTES, watchLimits } from './limits.ts';

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
        start(sandboxRequest, deliver, crash, idle) {
          const memoryMb = options.maxHeapMb ?? 256;
          const worker = new Worker(THREAD, {
            workerData: {
              request: sandboxRequest,
              warp: options.warp === true,
            } satisfies ThreadData,
            env: { ...LAB_ENV },
            stdout: true,
            stderr: true,
            resourceLimits: {
              maxOldGenerationSizeMb: memoryMb,
              maxYoungGenerationSizeMb: Math.min(32, memoryMb / 4),
            },
          });
          let terminated = false;
          const probes: Array<(state: { timers: number }) => void> = [];
          const limits = watchLimits(memoryMb, OUTPUT_LIMIT_BYTES, (message) => {
            crash(message);
          });
          worker.on('message', (message: RunMessage | { type: 'probe-reply'; timers: number }) => {
            if (message?.type === 'probe-reply') {
              for (const answer of probes.splice(0))
                answer({ timers: Number(message.timers) || 0 });
              return;
            }
            limits.output(message);
            deliver(message);
          });
          worker.on('error', (error: Error) => {
            crash(
              isOutOfMemory(error)
                ? memoryMessage(memoryMb)
                : `The lab sandbox failed: ${error.message}`,
            );
          });
          worker.on('exit', (code) => {
            limits.stop();
            if (terminated) return;
            // The event loop ran dry before `done`: the run awaits a promise that never settles, with no
            // request and no timer left that could settle it.
            if (code === 0) idle();
            else crash(`The lab sandbox exited early (code ${code}).`);
          });
          return {
            terminate() {
              if (terminated) return;
              terminated = true;
              limits.stop();
              void worker.terminate();
            },
            probe() {
              return new Promise((resolve) => {
                probes.push(resolve);
                worker.postMessage({ type: 'probe' });
              });
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
