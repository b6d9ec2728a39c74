/**
 * Bench: a 10,000-request batch must not freeze the room. In one process (as in `streamlab mock`), a
 * paced stream (`trace=1`: each event carries its scheduled offset) runs while the batch's answers are
 * computed; lateness = arrival - scheduled time, on the real clock. Reports the stream's p99 lateness
 * while the batch settles and how long the batch took to settle.
 *
 * Runs under the bench runner (`npm run bench -- mock-batch`).
 */
import { createMockHandler } from '../../../src/mock/core/index.ts';
import type { BenchContext } from '../context.ts';

const ORIGIN = 'http://mock.bench';

async function once(): Promise<{ p99: number; settleMs: number }> {
  const handle = createMockHandler({
    maxBodyBytes: 8 << 20,
    // What `streamlab mock` passes: yield to timers and I/O between slices.
    yieldToLoop: () => new Promise((resolve) => setImmediate(resolve)),
  });
  const requests = Array.from({ length: 10_000 }, (_, i) => ({
    custom_id: `r${i}`,
    params: {
      model: 'claude-haiku-4-5',
      max_tokens: 100,
      messages: [{ role: 'user', content: `Question ${i}?` }],
    },
  }));
  // The learner's client is another process in a room: its own work (building the upload, reading the
  // results) is not the mock's, so it is done before the measurement or streamed as a client would.
  const upload = JSON.stringify({ requests });
  const stream = await handle(
    new Request(`${ORIGIN}/knobs/ttft_ms=0,tps=100,reply_tokens=3000,trace=1/v1/chat/completions`, {
      method: 'POST',
      body: JSON.stringify({ model: 'm', stream: true, messages: [{ role: 'user', content: 'hi' }] }),
    }),
  );
  const t0 = performance.now();
  const lateness: number[] = [];
  const reader = stream.body!.getReader();
  const decoder = new TextDecoder();
  let measuring = false;
  const reading = (async () => {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      const now = performance.now();
      const text = decoder.decode(value, { stream: true });
      if (!measuring) continue;
      for (const m of text.matchAll(/: sched ([\d.]+)/g)) lateness.push(now - t0 - Number(m[1]));
    }
  })();
  await new Promise((r) => setTimeout(r, 100));
  // From the upload to the last result line: creating the batch (batch_ms=0: it ends at once, so its
  // 10,000 answers are computed in slices right away) and downloading its results.
  measuring = true;
  const started = performance.now();
  const created = await handle(
    new Request(`${ORIGIN}/knobs/batch_ms=0/v1/messages/batches`, {
      method: 'POST',
      body: upload,
    }),
  );
  const { id } = (await created.json()) as { id: string };
  const results = await handle(new Request(`${ORIGIN}/v1/messages/batches/${id}/results`));
  for await (const _chunk of results.body!) {
    // Read as a client streaming JSONL would; the bytes themselves are not needed.
  }
  const settleMs = performance.now() - started;
  await new Promise((r) => setTimeout(r, 50)); // the event due last is read
  measuring = false;
  await reader.cancel();
  await reading;
  lateness.sort((a, b) => a - b);
  return { p99: lateness[Math.floor(lateness.length * 0.99)] ?? NaN, settleMs };
}

export async function run(ctx: BenchContext): Promise<Record<string, number>> {
  const runs = [];
  for (let i = 0; i < ctx.runs; i++) runs.push(await once());
  return {
    stream_p99_lateness_ms_during_10k_batch: Math.round(ctx.median(runs.map((r) => r.p99)) * 10) / 10,
    create_and_settle_ms_10k_batch: Math.round(ctx.median(runs.map((r) => r.settleMs))),
  };
}

export default { name: 'mock-batch', run };
