/**
 * The grader's resource caps on a learner's run, beyond the time limit: memory (the V8 heap is capped by
 * the worker's `resourceLimits`; off-heap memory — `ArrayBuffer`s, `Buffer`s, typed arrays — is not, so
 * the host samples the process's `arrayBuffers` while the run lasts) and the size of what the run sends
 * back (reads, events, console). Either stops the run with a message that names it.
 */
import { memoryUsage } from 'node:process';
import type { RunMessage } from '../run/messages.ts';

/** How much a run may send back (recorded reads, events, console), in bytes. */
export const OUTPUT_LIMIT_BYTES = 64 * 1024 * 1024;
const SAMPLE_MS = 25;

export const memoryMessage = (mb: number): string =>
  `Stopped: out of memory. The code used more than the ${mb} MB a lab run may use (a buffer or array that grows without end?).`;

export function isOutOfMemory(error: Error): boolean {
  return (
    (error as { code?: string }).code === 'ERR_WORKER_OUT_OF_MEMORY' ||
    /heap|out of memory/i.test(error.message)
  );
}

/** A cheap size of a message: the bytes and text it carries. */
function sizeOf(message: RunMessage): number {
  switch (message.type) {
    case 'read':
      return message.read.bytes.length + 64;
    case 'event':
      return message.event.data.length + message.event.type.length + 64;
    case 'console':
      return message.entry.text.length + 32;
    default:
      return 256;
  }
}

export interface LimitWatch {
  /** Counts a message against the output cap. */
  output(message: RunMessage): void;
  stop(): void;
}

export function watchLimits(
  memoryMb: number,
  outputBytes: number,
  exceeded: (message: string) => void,
): LimitWatch {
  const baseline = memoryUsage().arrayBuffers;
  let sent = 0;
  let over = false;
  const fail = (message: string): void => {
    if (over) return;
    over = true;
    clearInterval(sampler);
    exceeded(message);
  };
  const sampler = setInterval(() => {
    if (memoryUsage().arrayBuffers - baseline > memoryMb * 1024 * 1024)
      fail(memoryMessage(memoryMb));
  }, SAMPLE_MS);
  sampler.unref();
  return {
    output(message) {
      sent += sizeOf(message);
      if (sent > outputBytes)
        fail(
          `Stopped: the run's output passed ${Math.round(outputBytes / 1024 / 1024)} MB (reads, events and console together): something is printing or reading without end.`,
        );
    },
    stop() {
      clearInterval(sampler);
    },
  };
}
