/**
 * Bench: SSE parser throughput on a large mixed corpus, and the ratio to eventsource-parser on the
 * very same pieces in the same run. Both parsers get identical decoded strings, cut into the 1–4 KB
 * pieces a network read typically yields, with only an `onEvent` callback that touches each event.
 * Rounds interleave the two parsers (alternating which goes first) so that JIT warm-up, garbage
 * collection and machine noise hit both alike. Throughputs are medians; the ratio is the median of
 * the per-round ratios (each pair ran back to back under the same load).
 *
 * Runs under the bench runner (`npm run bench`) or alone: `node tests/bench/suites/parser.ts`.
 */
import { createParser } from 'eventsource-parser';
import { createSseParser } from '../../../src/sse/index.ts';
import { createRandom, largeMixedCorpus } from '../../../src/sse/test-corpus.ts';

const CORPUS_CHARS = 12_000_000;
const WARMUP_ROUNDS = 3;
const ROUNDS = 25;

function slice(text: string, seed: number): string[] {
  const random = createRandom(seed);
  const pieces: string[] = [];
  for (let i = 0; i < text.length; ) {
    const size = 1024 + Math.floor(random() * 3072);
    pieces.push(text.slice(i, i + size));
    i += size;
  }
  return pieces;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Feeds every piece to a fresh parser; returns milliseconds and a checksum of what it produced. */
function timeOurs(pieces: readonly string[]): { ms: number; check: number } {
  let check = 0;
  const start = performance.now();
  const parser = createSseParser({
    onEvent(event) {
      check += event.data.length + event.type.length;
    },
  });
  for (const piece of pieces) parser.feed(piece);
  parser.end();
  return { ms: performance.now() - start, check };
}

function timeTheirs(pieces: readonly string[]): { ms: number; check: number } {
  let check = 0;
  const start = performance.now();
  const parser = createParser({
    onEvent(event) {
      check += event.data.length + (event.event ?? 'message').length;
    },
  });
  for (const piece of pieces) parser.feed(piece);
  parser.reset();
  return { ms: performance.now() - start, check };
}

/** Runs the parser bench and returns flat figures (the runner nests them under `parser`). */
export async function run(): Promise<Record<string, number>> {
  const corpus = largeMixedCorpus(CORPUS_CHARS, 42);
  const pieces = slice(corpus, 7);
  const megabytes = new TextEncoder().encode(corpus).length / 1e6;
  const ours: number[] = [];
  const theirs: number[] = [];
  for (let round = 0; round < WARMUP_ROUNDS + ROUNDS; round++) {
    // Alternate who goes first, so that garbage one leaves behind is not always collected
    // during the other's turn.
    let a: { ms: number; check: number };
    let b: { ms: number; check: number };
    if (round % 2 === 0) {
      a = timeOurs(pieces);
      b = timeTheirs(pieces);
    } else {
      b = timeTheirs(pieces);
      a = timeOurs(pieces);
    }
    // Same input, same events: a mismatch means one parser is wrong and the figures are meaningless.
    if (a.check !== b.check) throw new Error(`parser bench: checksums differ (${a.check} vs ${b.check})`);
    if (round >= WARMUP_ROUNDS) {
      ours.push(a.ms);
      theirs.push(b.ms);
    }
    // Yield between rounds so the runner stays responsive.
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  const oursMs = median(ours);
  const theirsMs = median(theirs);
  return {
    mb_per_s: Math.round((megabytes / (oursMs / 1000)) * 10) / 10,
    // Median of the per-round ratios: each pair ran back to back under the same machine load.
    ratio_vs_eventsource_parser: Math.round(median(theirs.map((t, i) => t / ours[i]!)) * 100) / 100,
    eventsource_parser_mb_per_s: Math.round((megabytes / (theirsMs / 1000)) * 10) / 10,
    corpus_mb: Math.round(megabytes * 10) / 10,
  };
}

export default { name: 'parser', run };

if (import.meta.main) {
  console.log(JSON.stringify({ parser: await run() }, null, 2));
}
