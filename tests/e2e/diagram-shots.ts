/**
 * `node tests/e2e/screenshots.ts <outDir> --diagrams`: every lesson's diagrams, one image per figure,
 * on a 375 px phone and at 1280 px, in both themes, to check that no text overlaps, clips or leaves
 * its drawing (the phone drawing on a phone, the wide one on a desktop).
 */
import type { Browser } from '@playwright/test';
import { join } from 'node:path';
import { listLessonPages } from './helpers.ts';

export async function shootDiagrams(browser: Browser, url: string, dir: string): Promise<void> {
  const lessons = await listLessonPages('dist');
  for (const theme of ['light', 'dark'] as const) {
    for (const width of [375, 1280]) {
      const phone = width < 800;
      const page = await browser.newPage({
        viewport: { width, height: 900 },
        isMobile: phone,
        hasTouch: phone,
      });
      await page.emulateMedia({ colorScheme: theme });
      for (const lesson of lessons) {
        await page.goto(url + lesson);
        const figures = await page.locator('figure.diagram').all();
        for (const [i, figure] of figures.entries()) {
          const name = `${lesson.split('/')[1]}-${i + 1}-${theme}-${width}.png`;
          await figure.screenshot({ path: join(dir, name) });
        }
      }
      await page.close();
    }
  }
  console.log(`diagram screenshots in ${dir}`);
}
