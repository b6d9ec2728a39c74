/**
 * Bench: the site shell, on the built site (built by the runner if stale).
 * - `site.lighthouse_performance` / `site.lighthouse_accessibility`: Lighthouse scores (0-100, mobile
 *   defaults: emulated phone, simulated slow 4G and 4x CPU) for the first lesson; median of `--runs`
 *   (default 3). Goals: performance >= 95, accessibility 100.
 * - `site.lesson_js_gzip_kb`: JavaScript a lesson page loads before any interaction (no scrolling, so
 *   `client:visible` islands below the fold do not count), gzip-compressed, inline scripts included;
 *   the largest over all lessons (the page is logged). Goal <= 50.
 * - `site.lab_page_read_kb_gz`: everything a lesson with a lab fetches before the lab is scrolled to
 *   (HTML, CSS, JS, fonts, data), gzip-compressed. Budget <= 60.
 * - `site.lab_ready_kb_gz`: the same once the lab is scrolled into view, Run is enabled and the
 *   network is quiet again (the engine warmed up). Budget <= 450.
 * - `site.lab_after_edit_kb_gz`: the same after the first keystroke in the editor (the TypeScript
 *   service loaded). Reported.
 * - `site.lab_ms_scroll_to_run_enabled`: from the scroll to an enabled Run button (median). Reported.
 * - `site.lighthouse_lab_performance` / `site.lighthouse_lab_accessibility`: Lighthouse (mobile) on
 *   that lesson. Goals >= 95 and 100.
 * A file fetched more than once is logged.
 * Runs under the runner: `npm run bench -- site`.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';
import * as chromeLauncher from 'chrome-launcher';
import lighthouse from 'lighthouse';
import type { BenchContext } from '../context.ts';
import { listLessonPages } from '../../e2e/helpers.ts';

async function lighthouseScores(ctx: BenchContext, url: string) {
  const perf: number[] = [];
  const a11y: number[] = [];
  for (let i = 0; i < ctx.runs; i++) {
    const chrome = await chromeLauncher.launch({
      chromePath: ctx.chromiumPath,
      chromeFlags: [...ctx.chromiumArgs, '--headless=new'],
    });
    try {
      const result = await lighthouse(url, {
        port: chrome.port,
        output: 'json',
        logLevel: 'error',
        onlyCategories: ['performance', 'accessibility'],
      });
      const categories = result?.lhr.categories;
      if (!categories) throw new Error('lighthouse returned no result');
      perf.push(Math.round((categories.performance?.score ?? 0) * 100));
      a11y.push(Math.round((categories.accessibility?.score ?? 0) * 100));
      ctx.log(`lighthouse run ${i + 1}: performance ${perf.at(-1)}, accessibility ${a11y.at(-1)}`);
    } finally {
      chrome.kill();
    }
  }
  return { performance: ctx.median(perf), accessibility: ctx.median(a11y) };
}

/** Gzipped KB of every script the page loads before interaction, plus its inline scripts. */
async function jsBeforeInteraction(ctx: BenchContext, urls: string[]) {
  const browser = await chromium.launch({ executablePath: ctx.chromiumPath, args: [...ctx.chromiumArgs] });
  const sizes: { url: string; kb: number }[] = [];
  try {
    for (const url of urls) {
      const page = await browser.newPage({ viewport: { width: 412, height: 823 } });
      const bodies: Promise<Buffer>[] = [];
      page.on('response', (response) => {
        const type = response.request().resourceType();
        if (type === 'script' || /\.m?js(\?|$)/.test(response.url())) bodies.push(response.body());
      });
      await page.goto(url, { waitUntil: 'networkidle' });
      await page.waitForTimeout(500); // client:idle islands
      await page.waitForLoadState('networkidle');
      const inline = await page.evaluate(() =>
        [...document.querySelectorAll('script:not([src])')]
          .filter((s) => !s.getAttribute('type') || /module|javascript/.test(s.getAttribute('type') ?? ''))
          .map((s) => s.textContent ?? '')
          .join('\n'),
      );
      let bytes = gzipSync(inline).length;
      for (const body of await Promise.all(bodies)) bytes += gzipSync(body).length;
      sizes.push({ url, kb: Math.round((bytes / 1024) * 10) / 10 });
      await page.close();
    }
  } finally {
    await browser.close();
  }
  for (const s of sizes) ctx.log(`JS before interaction ${s.kb} KB gzip: ${s.url}`);
  return sizes.reduce((max, s) => (s.kb > max.kb ? s : max));
}

/** The first lesson (in course order) whose page embeds a lab, and that lab's id. */
export async function firstLabLesson(dist: string, lessons: string[]): Promise<{ page: string; lab: string }> {
  for (const page of lessons) {
    const html = await readFile(join(dist, page, 'index.html'), 'utf8');
    const lab = /data-lab="([^"]+)"/.exec(html)?.[1];
    if (lab) return { page, lab };
  }
  throw new Error('site bench: no lesson page embeds a lab');
}

const kb = (bytes: number): number => Math.round((bytes / 1024) * 10) / 10;

/** What a lab lesson fetches (gzip KB) before the lab is in view, once it is ready, after an edit. */
export async function labWeight(ctx: BenchContext, url: string, labId: string) {
  const browser = await chromium.launch({ executablePath: ctx.chromiumPath, args: [...ctx.chromiumArgs] });
  const results = { read: [] as number[], ready: [] as number[], edit: [] as number[], ms: [] as number[] };
  try {
    for (let i = 0; i < ctx.runs; i++) {
      const page = await browser.newPage({ viewport: { width: 412, height: 823 } });
      const bodies: Promise<number>[] = [];
      const seen = new Map<string, number>();
      page.on('response', (response) => {
        if (response.status() < 200 || response.status() >= 300) return;
        const at = response.url();
        // The sandbox starts its worker from a blob: URL holding the bundle it was sent: not a download.
        if (!/^https?:/.test(at)) return;
        seen.set(at, (seen.get(at) ?? 0) + 1);
        bodies.push(response.body().then((b) => gzipSync(b).length, () => 0));
      });
      const total = async (): Promise<number> => (await Promise.all(bodies)).reduce((a, b) => a + b, 0);
      await page.goto(url, { waitUntil: 'networkidle', timeout: 120_000 });
      results.read.push(kb(await total()));
      const section = page.locator(`section.lab[data-lab="${labId}"]`);
      const t0 = Date.now();
      await section.scrollIntoViewIfNeeded();
      await section.getByRole('button', { name: 'Run', exact: true }).and(page.locator(':enabled')).waitFor({ timeout: 120_000 });
      results.ms.push(Date.now() - t0);
      await page.waitForTimeout(1500); // islands hydrate; nothing else should load
      await page.waitForLoadState('networkidle', { timeout: 120_000 });
      results.ready.push(kb(await total()));
      ctx.log(`ready: ${results.ready.at(-1)} KB gzip`);
      await section.locator('.cm-content').click();
      await page.keyboard.press('End');
      await page.keyboard.type(' ');
      await section.getByText(/Type checking (on|unavailable)/).waitFor({ timeout: 600_000 });
      // Not 'networkidle': with the sandbox frame's blob: worker running, Playwright never sees the
      // network idle again. Quiet means no new response for 1.5 s.
      for (let count = -1; count !== bodies.length; ) {
        count = bodies.length;
        await page.waitForTimeout(1500);
      }
      results.edit.push(kb(await total()));
      for (const [at, n] of seen) if (n > 1) ctx.log(`fetched ${n} times: ${at}`);
      await page.close();
    }
  } finally {
    await browser.close();
  }
  const figures = {
    read: ctx.median(results.read),
    ready: ctx.median(results.ready),
    edit: ctx.median(results.edit),
    ms: ctx.median(results.ms),
  };
  ctx.log(`lab lesson ${url}: ${figures.read} KB gzip before the lab, ${figures.ready} KB ready, ${figures.edit} KB after an edit; Run enabled ${figures.ms} ms after the scroll`);
  return figures;
}

export async function run(ctx: BenchContext): Promise<Record<string, number>> {
  const dist = await ctx.ensureBuilt();
  const base = await ctx.serverUrl();
  const lessons = await listLessonPages(dist);
  if (lessons.length === 0) throw new Error('site bench: no lesson pages in dist/');
  const js = await jsBeforeInteraction(
    ctx,
    lessons.map((l) => base + l),
  );
  const scores = await lighthouseScores(ctx, base + lessons[0]);
  const withLab = await firstLabLesson(dist, lessons);
  const lab = await labWeight(ctx, base + withLab.page, withLab.lab);
  const labScores = await lighthouseScores(ctx, base + withLab.page);
  return {
    lighthouse_performance: scores.performance,
    lighthouse_accessibility: scores.accessibility,
    lesson_js_gzip_kb: js.kb,
    lab_page_read_kb_gz: lab.read,
    lab_ready_kb_gz: lab.ready,
    lab_after_edit_kb_gz: lab.edit,
    lab_ms_scroll_to_run_enabled: lab.ms,
    lighthouse_lab_performance: labScores.performance,
    lighthouse_lab_accessibility: labScores.accessibility,
  };
}

export default { name: 'site', run };
