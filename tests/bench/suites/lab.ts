/**
 * Bench: the lab in the built site (dist/, built first if needed), in Chromium.
 * - `lab.cold_run_to_first_chunk_ms`: a fresh page, the lab hydrated, scenario `fast` (zero time to first
 *   token) picked and the lab's solution pasted in, Run clicked at once: milliseconds until the first line appears in the lab's console (the
 *   driver logs each piece of text as it arrives). Includes booting the sandbox and its worker. Goal <= 500.
 * - `lab.warm_run_to_first_chunk_ms`: the same page, Run clicked again after the first run ended and the
 *   sandbox had a moment to boot its spare worker. Median of 15. Goal <= 50.
 * - `lab.island_js_gzip_kb`: gzip size of every JavaScript file the lesson page loads before the type-aware
 *   editor starts loading (the lab island, CodeMirror, the engine host). Goal <= 400.
 * - `lab.worker_js_gzip_kb`: gzip size of the lab worker bundle (transpiler, mock, SDKs), fetched once
 *   when the engine warms up (idle) or at the first Run, whichever comes first; reported for information.
 *
 * Runs under the bench runner (`npm run bench`) or alone: `node tests/bench/suites/lab.ts`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium, type Page } from '@playwright/test';
import { chromiumLaunchOptions } from '../../e2e/browser.ts';
import type { BenchContext } from '../context.ts';
import { longestFrameMsDuringRetryStorm } from '../lib/ingest.ts';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
/** The static server's port: a free one unless `BENCH_LAB_PORT` names one. */
const PORT = Number(process.env.BENCH_LAB_PORT ?? 0);
const DIST = process.env.BENCH_LAB_DIST ?? 'dist';
const lab = JSON.parse(readFileSync(new URL('labs/sse-reader/lab.json', `file://${ROOT}`), 'utf8')) as {
  title: string;
  lesson: string;
};
/** The page embedding the lab: its lesson (`LAB_PAGE` overrides the path, e.g. for a scratch page). */
const LESSON_PATH = process.env.LAB_PAGE ?? `/lessons/${lab.lesson}/`;
/** Chunks that belong to the type-aware editor (TypeScript language service), loaded after idle. */
const TYPE_AWARE = /typescript|ts\.worker|extensions|lib\.d/i;
// Fifteen: a median of five swung by 20 ms from run to run on this 2-core machine.
const WARM_ROUNDS = 15;
const SOLUTION = readFileSync(resolve(ROOT, 'labs/sse-reader/solution.ts'), 'utf8');

/** Starts `streamlab serve` on the built site; resolves with the process and the origin it listens on. */
function startServer(): Promise<{ child: ChildProcess; origin: string }> {
  if (!existsSync(resolve(ROOT, DIST, 'index.html'))) {
    throw new Error(`lab bench: no built site in ${DIST}/ (run \`npm run build\` first)`);
  }
  const child = spawn(process.execPath, ['src/cli/streamlab.ts', 'serve', DIST, '--port', String(PORT)], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('lab bench: static server did not start in 15 s')), 15_000);
    let said = '';
    child.stdout!.setEncoding('utf8').on('data', (text: string) => {
      said += text;
      // "Serving dist at http://127.0.0.1:PORT/  (Ctrl+C to stop)"
      const url = /at (http:\/\/\S+)/.exec(said)?.[1];
      if (!url) return;
      clearTimeout(timer);
      resolve({ child, origin: new URL(url).origin });
    });
    child.once('exit', (code) => reject(new Error(`lab bench: static server exited with ${code}`)));
  });
}

/**
 * Clicks Run and resolves with ms from the click to the first console line, measured in the page; returns
 * once the run has finished (the status leaves and comes back to a final state), so runs never overlap.
 */
async function timeRun(page: Page): Promise<number> {
  const section = page.getByRole('region', { name: lab.title });
  return section.evaluate(
    (element) =>
      new Promise<number>((resolve, reject) => {
        const log = element.querySelector('[role="log"]');
        const status = element.querySelector('.lab-status');
        const run = [...element.querySelectorAll('button')].find((b) => /^Run/.test(b.textContent ?? ''));
        if (!log || !run || !status) {
          return reject(new Error('lab bench: no console log, status or Run button in the lab'));
        }
        const FINAL = /finished|threw|Stopped/;
        let start = 0;
        let firstChunk: number | undefined;
        let left = false;
        // The new run replaces the console in the same render that leaves the final status, and may
        // log exactly what the last run logged: so a chunk counts once the status has left its final
        // state, not when the text differs from before (it may never differ).
        const check = (): void => {
          const text = log.textContent ?? '';
          const final = FINAL.test(status.textContent ?? '');
          if (!final) left = true;
          // While the new run has shown nothing yet, the console may still hold the previous run's
          // lines, marked aria-busy (the run store's hold): those are not the new run's chunk.
          const fresh = log.getAttribute('aria-busy') !== 'true';
          if (firstChunk === undefined && left && fresh && text.includes('"')) {
            firstChunk = performance.now() - start;
          }
          if (firstChunk !== undefined && left && final) {
            observer.disconnect();
            clearTimeout(timer);
            resolve(firstChunk);
          }
        };
        const observer = new MutationObserver(check);
        observer.observe(element, { childList: true, subtree: true, characterData: true });
        const timer = setTimeout(
          () => reject(new Error('lab bench: the run did not log a chunk and finish within 30 s')),
          30_000,
        );
        start = performance.now();
        run.click();
      }),
  );
}

async function openLab(page: Page, lesson: string): Promise<void> {
  await page.goto(lesson);
  const section = page.getByRole('region', { name: lab.title });
  // The island hydrates `client:visible`: bring the lab into view as a reader scrolling to it would.
  await section.scrollIntoViewIfNeeded();
  await section.locator('.lab-ui[data-hydrated="true"]').waitFor();
  await section.getByLabel('Scenario').selectOption('fast');
  // The starter never calls back; the solution logs each piece as it arrives (the chunk we time).
  await section.getByRole('textbox', { name: /^Code editor/ }).click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.insertText(SOLUTION);
}

const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const round = (n: number): number => Math.round(n * 10) / 10;

export async function run(ctx?: BenchContext): Promise<Record<string, number>> {
  // Under the runner, the site is built (or rebuilt) as needed; `BENCH_LAB_DIST` measures a given build.
  if (ctx && !process.env.BENCH_LAB_DIST) await ctx.ensureBuilt();
  const server = await startServer();
  const lesson = `${server.origin}${LESSON_PATH}`;
  const browser = await chromium.launch(chromiumLaunchOptions());
  try {
    // JavaScript before the type-aware editor: every .js response until a type-aware chunk is requested.
    const page = await browser.newPage();
    let typeAwareStarted = false;
    const sizes = new Map<string, Promise<number>>();
    page.on('request', (request) => {
      if (TYPE_AWARE.test(request.url())) {
        if (process.env.BENCH_LAB_VERBOSE && !typeAwareStarted) console.error('lab bench: type-aware from', request.url());
        typeAwareStarted = true;
      }
    });
    let workerBytes: Promise<number> = Promise.resolve(0);
    page.on('response', (response) => {
      const url = response.url();
      // The lab worker bundle (engine entry), fetched when the engine warms up or on the first Run.
      if (/\/entry-[^/]*\.js(\?|$)/.test(url)) {
        workerBytes = response.body().then(
          (body) => gzipSync(body).length,
          () => 0,
        );
      }
      if (typeAwareStarted || !/\.m?js(\?|$)/.test(url) || sizes.has(url)) return;
      sizes.set(
        url,
        response.body().then(
          (body) => gzipSync(body).length,
          () => 0,
        ),
      );
      if (process.env.BENCH_LAB_VERBOSE) {
        void sizes.get(url)!.then((n) => console.error(`lab bench: ${url} ${n} B gzip`));
      }
    });
    await openLab(page, lesson);
    // The island warms the engine up when idle (fetching the lab worker); give it the time it takes.
    await page.waitForTimeout(4_000);
    const islandBytes = (await Promise.all(sizes.values())).reduce((a, b) => a + b, 0);
    const workerKb = round((await workerBytes) / 1024);
    await page.close();

    // Cold: the solution saved by a first visit, then a fresh page where Run is clicked as soon as the
    // lab is interactive, before the engine's idle-time warm-up (nothing booted yet).
    const context = await browser.newContext();
    const first = await context.newPage();
    await openLab(first, lesson);
    await first.waitForTimeout(1_500); // the editor saves (debounced)
    await first.close();
    const fresh = await context.newPage();
    await fresh.goto(lesson);
    const section = fresh.getByRole('region', { name: lab.title });
    await section.scrollIntoViewIfNeeded();
    await section.locator('.lab-ui[data-hydrated="true"]').waitFor();
    await section.getByLabel('Scenario').selectOption('fast');
    const cold = await timeRun(fresh);
    const warm: number[] = [];
    for (let i = 0; i < WARM_ROUNDS; i++) {
      await fresh.waitForTimeout(1_500);
      warm.push(await timeRun(fresh));
    }
    if (process.env.BENCH_LAB_VERBOSE) console.error(`lab bench: warm runs ${warm.map(round).join(', ')} ms`);
    return {
      'lab.cold_run_to_first_chunk_ms': round(cold),
      'lab.warm_run_to_first_chunk_ms': round(median(warm)),
      'lab.island_js_gzip_kb': round(islandBytes / 1024),
      'lab.worker_js_gzip_kb': workerKb,
      // The longest per-frame store + model task of a 5,000-attempt retry storm (tests/bench/lib/ingest.ts).
      'lab.longest_task_ms_during_retry_storm': await longestFrameMsDuringRetryStorm(),
    };
  } finally {
    await browser.close();
    server.child.kill();
  }
}

export default { name: 'lab', run };

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await run());
}
