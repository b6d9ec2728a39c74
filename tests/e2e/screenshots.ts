/**
 * Takes review screenshots of the built site (light/dark, phone/desktop) for visual checks, and the
 * README screenshot: `node tests/e2e/screenshots.ts [outDir]` (serves dist/ itself).
 * `--readme` writes only public/screenshot.png (a lesson, light, desktop).
 */
import { chromium } from '@playwright/test';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { startStaticServer } from '../../src/node/static-server.ts';
import { chromiumLaunchOptions } from './browser.ts';
import { listLessonPages } from './helpers.ts';

const args = process.argv.slice(2);
const readme = args.includes('--readme');
const outDir = args.find((a) => !a.startsWith('--')) ?? 'tests/.tmp/screenshots';
const server = await startStaticServer({ root: 'dist' });
const browser = await chromium.launch(chromiumLaunchOptions());
try {
  if (readme) {
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
