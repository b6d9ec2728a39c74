/**
 * Bench: the site shell, on the built site (built by the runner if stale).
 * - `site.lighthouse_performance` / `site.lighthouse_accessibility`: Lighthouse scores (0-100, mobile
 *   defaults: emulated phone, simulated slow 4G and 4x CPU) for the first lesson; median of `--runs`
 *   (default 3). Goals: performance >= 95, accessibility 100.
 * - `site.lesson_js_gzip_kb`: JavaScript a lesson page loads before any interaction (no scrolling, so
 *   `client:visible` islands below the fold do not count), gzip-compressed, inline scripts included;
 *   the largest over all lessons (the page is logged). Goal <= 50.
 * Runs under the runner: `npm run bench -- site`.
 */
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
  return {
    lighthouse_performance: scores.performance,
    lighthouse_accessibility: scores.accessibility,
    lesson_js_gzip_kb: js.kb,
  };
}

export default { name: 'site', run };
