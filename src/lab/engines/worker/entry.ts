/**
 * The browser engine's worker: one run per worker. It is built as ONE classic script (Vite `?worker&url`,
 * format iife) and started from a blob: URL inside the sandbox frame (`public/sandbox.html`), so it has an
 * opaque origin (no storage, no cookies, nothing of the page) and inherits the frame's CSP
 * (`connect-src 'none'`: no network but the in-worker mock). The frame gives it a control port whose
 * other end is the page's; the page posts a run and a MessagePort on it, and the worker answers on that
 * port with batches of run messages.
 *
 * The same `executeRun` runs in the Node grader's thread: the worker only adds the browser plumbing.
 */
/// <reference lib="webworker" />
import { realClock } from '../../../mock/core/clock.ts';
import { createMockHandler } from '../../../mock/core/index.ts';
import { builtins } from '../../run/builtins.ts';
import { executeRun, reportUncaught } from '../../run/execute.ts';
import { ModuleLoader } from '../../run/modules.ts';
import { trackTimers } from '../../run/pending.ts';
import { createRecorder, MOCK_ORIGIN } from '../../run/recorder.ts';
import { prepareLearnerScope } from '../../run/compartment.ts';
import { lockDownRealm } from '../../run/lockdown.ts';
import { pretranspile } from '../../run/transpile.ts';
import { createOutbox } from './outbox.ts';
import type { SandboxRunRequest } from '../../run/execute.ts';
import type { RunMessage } from '../../run/messages.ts';

/** What the page sends the worker: a run, or files to compile ahead of it (`LabEngine.prepare`). */
export interface WorkerRunMessage {
  type: 'run';
  request: SandboxRunRequest;
}
export interface WorkerPrepareMessage {
  type: 'prepare';
  files: Array<{ fileName: string; source: string }>;
}

const scope = self as unknown as DedicatedWorkerGlobalScope;
// Before anything else runs: intrinsics and the Web classes learner code gets are frozen, and learner
// code runs in its own scope (`run/compartment.ts`), which has no `self`, `postMessage` or port.
lockDownRealm();
// The learner's scope is built now, while this worker waits as the spare, and bound to the run's fetch
// and console when it comes.
const learnerScope = prepareLearnerScope();

scope.addEventListener('error', (event) => {
  event.preventDefault();
  reportUncaught(event.error ?? new Error(event.message), false);
});
scope.addEventListener('unhandledrejection', (event) => {
  event.preventDefault();
  reportUncaught(event.reason, true);
});

/** The outbox's window: the page draws at most once a frame (16.7 ms at 60 Hz). */
const OUTBOX_WINDOW_MS = 4;
/** The worker's own timer, taken before `trackTimers` wraps the global's for lab code. */
const ownSetTimeout = scope.setTimeout.bind(scope);

let started = false;
scope.addEventListener('message', (event: MessageEvent<WorkerRunMessage | { type?: string }>) => {
  const port = event.ports[0];
  if (!port) return;
  if (event.data?.type === 'control') {
    // The frame booted this worker as its spare: the page posts the run on this port.
    port.onmessage = (message: MessageEvent<WorkerRunMessage | WorkerPrepareMessage>) => {
      const data = message.data;
      if (data?.type === 'run' && message.ports[0]) start(data.request, message.ports[0]);
      // The files the next Run will compile, as they stand: compiled now, a lookup at Run.
      else if (data?.type === 'prepare' && !started && Array.isArray(data.files))
        for (const file of data.files) pretranspile(String(file.source), String(file.fileName));
    };
  } else if (event.data?.type === 'run') {
    // `astro dev`: the page starts the worker itself and posts the run directly.
    start((event.data as WorkerRunMessage).request, port);
  }
});

/** Runs the request, answering on `port`. One run per worker. */
function start(request: SandboxRunRequest, port: MessagePort): void {
  if (started) return;
  started = true;
  const timers = trackTimers(scope as unknown as typeof globalThis);
  // The host's probe at the time limit: answered between two tasks, never while code holds the CPU.
  port.onmessage = (probe: MessageEvent<{ type?: string } | null>) => {
    if (probe.data?.type === 'probe')
      port.postMessage({ type: 'probe-reply', timers: timers.pending() });
  };
  // Messages go out in batches, at most one post per OUTBOX_WINDOW_MS (`outbox.ts`): a one-byte read
  // scenario makes hundreds of messages, and one post each would cost the page more than the run.
  const emit = createOutbox<RunMessage>({
    post: (batch) => port.postMessage(batch),
    now: () => performance.now(),
    windowMs: OUTBOX_WINDOW_MS,
    setTimer: ownSetTimeout,
    queueMicrotask: (callback) => queueMicrotask(callback),
  });
  void executeRun(request, {
    builtins,
    createHandler: (clock) => createMockHandler({ clock }),
    clock: realClock,
    emit,
    global: scope as unknown as typeof globalThis,
    learnerScope,
  });
}

/**
 * Warm-up, while this worker waits as the frame's spare: the first transpile, module evaluation, mock
 * request and SSE parse of a worker's life each cost tens of milliseconds of lazy compilation. Paying
 * them now makes a warm Run start at once. Nothing global is touched.
 */
async function warmUp(): Promise<void> {
  // A few passes over a lab-sized file: V8 compiles the transpiler's hot paths only once they run
  // often, and a fresh worker's first lab file otherwise pays for that.
  for (let i = 0; i < WARM_TRANSPILES; i++) {
    const loader = new ModuleLoader({
      builtins: {},
      learner: { fileName: 'warm-up.ts', source: WARM_SOURCE },
      files: {},
    });
    loader.learner();
  }
  const recorder = createRecorder({
    handler: createMockHandler({ clock: realClock }),
    clock: realClock,
    t0: realClock.now(),
    emit: () => {},
  });
  const response = await recorder.fetchFor('fast')(`${MOCK_ORIGIN}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      model: 'gpt-4o-mini',
      stream: true,
      messages: [{ role: 'user', content: 'hi' }],
    }),
  });
  await response.text();
  // The SDKs are evaluated only when a run imports them. A spare worker that has been idle for a while
  // loads them too, so a Run of an SDK lab on a page left open finds them ready.
  await new Promise((resolve) => setTimeout(resolve, SDK_WARM_DELAY_MS));
  if (!started) await Promise.all(Object.values(builtins).map((load) => load()));
}
const SDK_WARM_DELAY_MS = 3_000;
const WARM_TRANSPILES = 8;
/** Lab-shaped TypeScript (types, async iteration, classes, optional chaining) for the warm-up. */
const WARM_SOURCE = `
export interface Piece { event?: string; data: string; id?: string }
export type OnPiece = (piece: Piece) => void;
enum Mode { Lines = 1, Events = 2 }
export class Buffer<T extends { length: number }> {
  private items: T[] = [];
  constructor(private readonly limit = 8) {}
  push(item: T): boolean { if (this.items.length >= this.limit) return false; this.items.push(item); return true; }
  get size(): number { return this.items.reduce((n, x) => n + x.length, 0); }
}
export async function readAll(body: ReadableStream<Uint8Array> | null, onPiece: OnPiece): Promise<number> {
  if (!body) throw new Error('no body');
  const decoder = new TextDecoder();
  let buffer = '';
  let count = 0;
  const mode: Mode = Mode.Events;
  for await (const chunk of body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(chunk, { stream: true });
    const parts = buffer.split(/\\r\\n|\\r|\\n/);
    buffer = parts.pop() ?? '';
    for (const line of parts) {
      const [field, ...rest] = line.split(':');
      const value = rest.join(':').replace(/^ /, '');
      if (field === 'data' && mode === Mode.Events) { onPiece({ data: value }); count++; }
      else if (field?.startsWith('event')) onPiece({ event: value, data: '' });
    }
  }
  try { return count satisfies number; } finally { buffer = \`\${buffer}\`; }
}
export const total = (xs: readonly number[] = []): number => xs.reduce((a, b) => a + b, 0) ?? 0;
`;
void warmUp().catch(() => {});
