/**
 * Teaching from the front: a lesson and its lab in print, the per-lab download, presenter mode.
 * Full suite only (`sample(false)`): the sample's print test covers the site chrome.
 */
import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { labHydrated, sample } from './helpers.ts';

const LESSON = 'lessons/why-streaming/';
const LAB = 'measure-ttft';

test(
  'a lab prints as its goal, every hint and the starter code; a lesson prints without controls',
  sample(false),
  async ({ page }) => {
    const lab = JSON.parse(await readFile(`labs/${LAB}/lab.json`, 'utf8')) as { hints: string[] };
    const starter = await readFile(`labs/${LAB}/starter.ts`, 'utf8');
    await page.goto(LESSON);
    const section = page.locator(`section.lab[data-lab="${LAB}"]`);
    // On screen the printed parts stay out of sight.
    await expect(section.locator('.lab__print')).toBeHidden();
    await section.scrollIntoViewIfNeeded();
    await labHydrated(section);

    await page.emulateMedia({ media: 'print' });
    await expect(section.locator('.lab__goal')).toBeVisible();
    await expect(section.locator('.lab__print li')).toHaveCount(lab.hints.length);
    await expect(section.locator('.lab__print pre')).toHaveText(starter.trimEnd(), {
      useInnerText: true,
    });
    for (const part of [
      '.lab-ws__bar',
      '.lab-ws__status',
      '.lab-ws__split',
      '.lab-ws__timeline',
      '.lab-hints',
    ]) {
      await expect(section.locator(part), part).toBeHidden();
    }
    // No control that only works on screen, anywhere in the lesson; a recorded run keeps its figures
    // and the with/without streaming strip.
    expect(await page.locator('main button:visible, main select:visible').count()).toBe(0);
    await expect(page.locator('.recorded-run .tl').first()).toBeHidden();
    await expect(page.locator('.recorded-run .tl-nostream').first()).toBeVisible();
    for (const chrome of ['.site-header', '.sidebar', '.toc-column', '.prev-next']) {
      await expect(page.locator(chrome).first(), chrome).toBeHidden();
    }
  },
);

test(
  '"Download my work" in a lab saves its code as <lab>.ts with a header comment',
  sample(false),
  async ({ page }) => {
    await page.goto(LESSON);
    const section = page.locator(`section.lab[data-lab="${LAB}"]`);
    await section.scrollIntoViewIfNeeded();
    await labHydrated(section);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      section.getByRole('button', { name: 'Download my work' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`${LAB}.ts`);
    const text = await readFile(await download.path(), 'utf8');
    const starter = await readFile(`labs/${LAB}/starter.ts`, 'utf8');
    expect(text).toMatch(
      new RegExp(
        `^// streamlab lab ${LAB} \\(.+\\), downloaded \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC\\.`,
      ),
    );
    expect(text.slice(text.indexOf('\n') + 1)).toBe(starter);
  },
);
