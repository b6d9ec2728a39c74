/**
 * What the page does with a big run, measured in Node on the same code: the run store folding the
 * engine's messages (`src/lab/run/store.ts`), then the timeline model catching up (`src/timeline/model.ts`,
 * through the driver's view of the run). Each "frame" is what the lab island does once per animation
 * frame: apply the messages that arrived, flush, update the model. Rendering is not included.
 *
 * - `ingestMsPer1000Attempts`: an imported-size run (20,000 attempts, a few reads and events each)
 *   streamed in frames of 200 attempts; total ms per 1,000 attempts (median of runs).
 * - `longestFrameMsDuringRetryStorm`: a learner's retry loop without backoff, 5,000 attempts that each
 *   get a 429, arriving 50 per frame; the longest frame in ms (median of runs).
 */
import type { RunMessage } from '../../../src/lab/run/messages.ts';
import { createRunStore } from '../../../src/lab/run/store.ts';
import { driverRun } from '../../../src/lab/run/views.ts';
import { TimelineBuilder } from '../../../src/timeline/model.ts';

const b64 = (text: string): string => Buffer.from(text).toString('base64');
const chunk = (content: string): string =>
  `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content } }] })}\n\n`;

/** The messages of one attempt at time `t`: a 429, or a short stream of `events` text events. */
function attemptMessages(index: number, t: number, events: number): RunMessage[] {
  const out: RunMessage[] = [
    {
      type: 'attempt-start',
      attempt: index,
      t,
      method: 'POST',
      url: '/v1/chat/completions',
      provider: 'openai-chat',
      scenario: 'default',
    },
  ];
  const status = events === 0 ? 429 : 200;
  out.push({ type: 'headers', attempt: index, t: t + 1, status, headers: {} });
  for (let e = 0; e < events; e++) {
    const text = chunk(`w${e} `);
    const at = t + 2 + e;
    out.push({ type: 'read', attempt: index, read: { t: at, bytes: b64(text), size: text.length } });
    out.push({
      type: 'event',
      attempt: index,
      event: { t: at, read: e, type: 'message', data: text.slice(6).trimEnd() },
    });
  }
  out.push({
    type: 'attempt-end',
    attempt: index,
    t: t + 3 + events,
    end: events === 0 ? 'error' : 'done',
  } as RunMessage);
  return out;
}

/** Feeds `attempts` attempts, `perFrame` at a time; returns each frame's ms. */
async function frames(attempts: number, perFrame: number, events: number): Promise<number[]> {
  const store = createRunStore();
  const builder = new TimelineBuilder();
  store.apply({
    type: 'run-start',
    id: 'bench',
    labId: 'bench',
    scenario: 'default',
    engine: 'node',
    startedAt: '',
  });
  const times: number[] = [];
  for (let first = 0; first < attempts; first += perFrame) {
    const batch: RunMessage[] = [];
    for (let i = first; i < Math.min(attempts, first + perFrame); i++)
      batch.push(...attemptMessages(i, i * 10, events));
    const start = performance.now();
    for (const message of batch) store.apply(message);
    await Promise.resolve(); // the store flushes in a microtask
    const recording = store.get().recording;
    if (recording) builder.update(driverRun(recording));
    times.push(performance.now() - start);
  }
  return times;
}

const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const round = (n: number): number => Math.round(n * 100) / 100;

export async function ingestMsPer1000Attempts(runs = 3): Promise<number> {
  const totals: number[] = [];
  for (let r = 0; r < runs; r++) {
    const times = await frames(20_000, 200, 4);
    totals.push(times.reduce((a, b) => a + b, 0) / 20);
  }
  return round(median(totals));
}

export async function longestFrameMsDuringRetryStorm(runs = 3): Promise<number> {
  const longest: number[] = [];
  for (let r = 0; r < runs; r++) longest.push(Math.max(...(await frames(5_000, 50, 0))));
  return round(median(longest));
}
