/**
 * Bench: frame time while the timeline draws a live 2,000-event run, on the built site.
 *
 * The page is the real one: the SSE lesson's inspector (`<SseInspector />`) playing its "Long run:
 * 2,000 events" stream, cut into whole events, 5 reads per animation frame, so every frame appends
 * reads and events to the model, the canvas and the "Chunk timeline" table. Chromium runs with the
 * frame-rate limit and vsync off.
 *
 * `timeline.frame_ms_*`: main-thread time per frame (script, style, layout, paint, commit), from
 * Chromium's own trace: the thread CPU time (`tdur`) of the renderer main thread's tasks between one
 * frame's commit and the next. CPU time rather than wall time because the bench shares its cores:
 * under load, wall time measures the neighbours. `timeline.frame_interval_ms_*`: the wall-clock
 * interval between animation frames, for context (it includes waiting for the CPU).
 *
 * Needs a built site (`npm run build`). `TIMELINE_BENCH_DIST` / `TIMELINE_BENCH_PAGE` point it at another
 * build or page (default: `dist/`, the lesson that embeds the inspector). Runs under the bench runner (`npm run bench`) or alone:
 * `node tests/bench/suites/timeline.ts`.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium } from '@playwright/test';
import { startStaticServer } from '../../../src/node/static-server.ts';
import { chromiumLaunchOptions } from '../../e2e/browser.ts';
import { ingestMsPer1000Attempts } from '../lib/ingest.ts';

const DIST = 'dist';
const READS_PER_FRAME = '5';

/** The built lesson page that embeds the SSE inspector. */
async function inspectorPage(dist: string): Promise<string> {
  const lessons = join(dist, 'lessons');
  const slugs = await readdir(lessons).catch(() => {
    throw new Error(`timeline bench: no ${lessons}/ (build the site first: npm run build)`);
  });
  for (const slug of slugs.sort()) {
    const html = await readFile(join(lessons, slug, 'index.html'), 'utf8').catch(() => '');
    if (html.includes('SseInspectorIsland')) return `lessons/${slug}/`;
  }
  throw new Error('timeline bench: no built lesson embeds <SseInspector /> (build the site first)');
}

interface TraceEvent {
  name: string;
  ph: string;
  pid: number;
  tid: number;
  ts: number;
  dur?: number;
  tdur?: number;
  args?: { name?: string };
}

/**
 * Main-thread CPU ms per frame: on the renderer main thread that ran the animation frames, the
 * `tdur` of every top-level task from one frame's `Commit` to the next.
 */
function mainThreadWorkPerFrame(events: TraceEvent[]): number[] {
  const key = (e: TraceEvent): string => `${e.pid}:${e.tid}`;
  const mains = new Set(
    events
      .filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain')
      .map(key),
  );
  const fired = new Map<string, number>();
  for (const e of events) {
    if (e.name === 'FireAnimationFrame' && mains.has(key(e))) fired.set(key(e), (fired.get(key(e)) ?? 0) + 1);
  }
  const thread = [...fired].sort((a, b) => b[1] - a[1])[0]?.[0];
  if (!thread) throw new Error('timeline bench: no animation frames in the trace');
  const mine = events.filter((e) => key(e) === thread);
  const commits = mine.filter((e) => e.name === 'Commit').map((e) => e.ts).sort((a, b) => a - b);
  const tasks = mine.filter((e) => e.name === 'RunTask' && e.ph === 'X').sort((a, b) => a.ts - b.ts);
  const work: number[] = [];
  let j = 0;
  for (let i = 0; i + 1 < commits.length; i++) {
    while (j < tasks.length && tasks[j]!.ts < commits[i]!) j++;
    let cpu = 0;
    for (let k = j; k < tasks.length && tasks[k]!.ts < commits[i + 1]!; k++) {
      cpu += (tasks[k]!.tdur ?? tasks[k]!.dur ?? 0) / 1000;
    }
    work.push(cpu);
  }
  return work;
}

const percentile = (sorted: number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;

export async function run(): Promise<Record<string, number>> {
  const dist = process.env.TIMELINE_BENCH_DIST ?? DIST;
  const path = process.env.TIMELINE_BENCH_PAGE ?? (await inspectorPage(dist));
  const server = await startStaticServer({ root: dist, port: 0 });
  const launch = chromiumLaunchOptions();
  const browser = await chromium.launch({
    ...launch,
    args: [...(launch.args ?? []), '--disable-frame-rate-limit', '--disable-gpu-vsync'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await page.goto(new URL(path, server.url).href, { waitUntil: 'networkidle' });
    const inspector = page.locator('.tl-inspector');
    await inspector.scrollIntoViewIfNeeded();
    // Astro removes `ssr` from the island once React has hydrated it.
    await page.locator('.sse-inspector astro-island:not([ssr])').waitFor();
    await inspector.getByLabel('Stream', { exact: true }).selectOption('long');
    await inspector.getByLabel('Cut into reads').selectOption('events');
    await inspector.getByLabel('Speed').selectOption(READS_PER_FRAME);
    await page.waitForFunction(() =>
      document.querySelector('.tl-inspector [role="status"]')?.textContent?.includes('of 2000'),
    );
    // Record every animation frame's timestamp, and a Chromium trace, until the stream has ended.
    await page.evaluate(() => {
      const w = window as unknown as { __frames: number[]; __stop: boolean };
      w.__frames = [];
      w.__stop = false;
      const tick = (t: number): void => {
        w.__frames.push(t);
        if (!w.__stop) requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
    });
    await browser.startTracing(page, {
      categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'toplevel'],
    });
    await inspector.getByRole('button', { name: 'Play' }).click();
    await page.waitForFunction(
      () =>
        document
          .querySelector('.tl-inspector [role="status"]')
          ?.textContent?.includes('stream ended'),
      undefined,
      { timeout: 120_000 },
    );
    const trace = JSON.parse((await browser.stopTracing()).toString()) as { traceEvents: TraceEvent[] };
    const frames = await page.evaluate(() => {
      const w = window as unknown as { __frames: number[]; __stop: boolean };
      w.__stop = true;
      return w.__frames;
    });
    // 2,000 reads + 2,000 events, plus the header row (the table is virtualized at this size).
    const rowCount = await inspector
      .getByRole('table', { name: 'Chunk timeline' })
      .getAttribute('aria-rowcount');
    if (rowCount !== '4001') throw new Error(`timeline bench: expected 4001 table rows, table says ${rowCount}`);
    const work = mainThreadWorkPerFrame(trace.traceEvents).sort((a, b) => a - b);
    const intervals = frames
      .slice(1)
      .map((t, i) => t - frames[i]!)
      .sort((a, b) => a - b);
    const round = (n: number): number => Math.round(n * 100) / 100;
    return {
      'timeline.frame_ms_p95_at_2000_events': round(percentile(work, 95)),
      'timeline.frame_ms_median_at_2000_events': round(percentile(work, 50)),
      'timeline.frame_ms_max_at_2000_events': round(work[work.length - 1] ?? 0),
      'timeline.frame_interval_ms_p95_at_2000_events': round(percentile(intervals, 95)),
      'timeline.frames_at_2000_events': work.length,
      // Store + model work for a 20,000-attempt run, in Node (tests/bench/lib/ingest.ts).
      'timeline.ingest_ms_per_1000_attempts': await ingestMsPer1000Attempts(),
    };
  } finally {
    await browser.close();
    await server.close();
  }
}

export default { name: 'timeline', run };

if (import.meta.main) {
  console.log(JSON.stringify({ timeline: await run() }, null, 2));
}
