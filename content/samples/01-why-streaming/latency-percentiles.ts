import OpenAI from 'openai';

/** Nearest-rank percentile of a non-empty list of numbers (p in 0..100). */
export function percentile(values: number[], p: number): number {
  if (values.length === 0) throw new Error('percentile() needs at least one value');
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1]!;
}

export interface LatencyReport {
  runs: number;
  ttft: { p50: number; p95: number };
  total: { p50: number; p95: number };
}

/**
 * Sends the same short request `runs` times, one after another, and reports TTFT and total time as
 * percentiles. One measurement is an anecdote: queueing makes TTFT vary from call to call.
 */
export async function run(runs = 5): Promise<LatencyReport> {
  const client = new OpenAI();
  const ttfts: number[] = [];
  const totals: number[] = [];

  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    let first: number | undefined;
    const stream = await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Name three prime numbers.' }],
      stream: true,
    });
    for await (const chunk of stream) {
      if (first === undefined && chunk.choices[0]?.delta.content) first = performance.now();
    }
    const end = performance.now();
    if (first === undefined) throw new Error(`Run ${i + 1} produced no text.`);
    ttfts.push(first - start);
    totals.push(end - start);
  }

  return {
    runs,
    ttft: { p50: percentile(ttfts, 50), p95: percentile(ttfts, 95) },
    total: { p50: percentile(totals, 50), p95: percentile(totals, 95) },
  };
}
