/**
 * Takes review screenshots of the built site (light/dark, phone/desktop) for visual checks, and the
 * README screenshot: `node tests/e2e/screenshots.ts [outDir]` (serves dist/ itself).
 * `--readme` writes only public/screenshot.png (a lesson, light, desktop).
 * `--lab` shoots a lab after a Run at 375, 768, 1280 and 1920 px in both themes, and focus mode.
 * `--diagrams` shoots every lesson's diagrams at 375 and 1280 px in both themes (diagram-shots.ts).
 */
import { chromium } from '@playwright/test';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { startStaticServer } from '../../src/node/static-server.ts';
import { chromiumLaunchOptions } from './browser.ts';
import { shootDiagrams } from './diagram-shots.ts';
import { listLessonPages } from './helpers.ts';

const args = process.argv.slice(2);
const readme = args.includes('--readme');
const outDir = args.find((a) => !a.startsWith('--')) ?? 'tests/.tmp/screenshots';
const server = await startStaticServer({ root: 'dist' });
const browser = await chromium.launch(chromiumLaunchOptions());
try {
  if (args.includes('--lab')) {
    await mkdir(outDir, { recursive: true });
    await shootLab(outDir);
  } else if (args.includes('--diagrams')) {
    await mkdir(outDir, { recursive: true });
    await shootDiagrams(browser, server.url, outDir);
  } else if (readme) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 760 } });
    await page.emulateMedia({ colorScheme: 'light' });
    const lesson = (await listLessonPages('dist'))[1];
    await page.goto(server.url + (lesson ?? ''));
    await page.screenshot({ path: 'public/screenshot.png', type: 'png' });
  } else {
    await mkdir(outDir, { recursive: true });
    const targets = [
      ['home', ''],
      ['lesson', (await listLessonPages('dist'))[1] ?? ''],
      ['404', 'no-such-page/'],
    ] as const;
    for (const [name, path] of targets) {
      for (const theme of ['light', 'dark'] as const) {
        for (const [device, width] of [
          ['phone', 360],
          ['desktop', 1280],
        ] as const) {
          const page = await browser.newPage({
            viewport: { width, height: device === 'phone' ? 740 : 800 },
          });
          await page.emulateMedia({ colorScheme: theme });
          await page.goto(server.url + path);
          await page.screenshot({
            path: join(outDir, `${name}-${theme}-${device}.png`),
            fullPage: args.includes('--full'),
          });
          await page.close();
        }
      }
    }
    console.log(`screenshots in ${outDir}`);
  }
} finally {
  await browser.close();
  await server.close();
}

/** The SSE reader lab, run once, at every width and theme; then focus mode at 1280 px. */
async function shootLab(dir: string): Promise<void> {
  const lesson = 'lessons/server-sent-events/';
  for (const theme of ['light', 'dark'] as const) {
    for (const width of [375, 768, 1280, 1920]) {
      const page = await browser.newPage({
        viewport: { width, height: width < 800 ? 800 : 1000 },
        hasTouch: width < 800,
        isMobile: width < 800,
      });
      await page.emulateMedia({ colorScheme: theme });
      await page.goto(server.url + lesson);
      const section = page.locator('section.lab[data-lab="sse-reader"]');
      await section.scrollIntoViewIfNeeded();
      await section.locator('.lab-ui[data-hydrated="true"]').waitFor();
      await section.getByRole('button', { name: 'Run', exact: true }).click();
      await section.getByRole('button', { name: 'Run', exact: true }).waitFor();
      await section.evaluate((el) => el.scrollIntoView({ block: 'start' }));
      await page.screenshot({ path: join(dir, `lab-${theme}-${width}.png`) });
      if (width === 1280 || width === 375) {
        await section.getByRole('button', { name: 'Expand' }).click();
        await page.screenshot({ path: join(dir, `lab-focus-${theme}-${width}.png`) });
      }
      await page.close();
    }
  }
  console.log(`lab screenshots in ${dir}`);
}
