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

test(
  'presenter mode: ?present and a remembered toggle, keys that step through the lesson',
  sample(false),
  async ({ page }) => {
    test.setTimeout(120_000);
    const present = () =>
      page.evaluate(() => document.documentElement.hasAttribute('data-present'));
    await page.goto(`${LESSON}?present`);
    expect(await present()).toBe(true);
    await expect(page.locator('.sidebar')).toBeHidden();
    await expect(page.getByRole('navigation', { name: 'Presenter' })).toBeVisible();

    // ] and PageDown step to the next stop (section, recorded run, lab), [ back; the focus follows.
    const stop = () =>
      page.evaluate(() => document.activeElement?.textContent?.trim().slice(0, 40));
    await page.keyboard.press(']');
    const first = await stop();
    await page.keyboard.press('PageDown');
    const second = await stop();
    expect(second).not.toBe(first);
    await page.keyboard.press('[');
    expect(await stop()).toBe(first);

    // Remembered: without ?present the next page is still in presenter mode, until the toggle turns it off.
    await page.goto(LESSON);
    expect(await present()).toBe(true);
    await page.getByRole('button', { name: 'Presenter mode', exact: true }).click();
    expect(await present()).toBe(false);
    await page.reload();
    expect(await present()).toBe(false);
    await expect(page.locator('.lab-knobs')).toHaveCount(0);
  },
);

test(
  'presenter mode: the editor keeps its keys, and the knobs beside the timeline re-run the lab',
  sample(false),
  async ({ page }) => {
    test.setTimeout(120_000);
    // The knobs panel beside the lab's timeline: a slower first token re-runs the lab with it.
    await page.goto(`${LESSON}?present`);
    const section = page.locator(`section.lab[data-lab="${LAB}"]`);
    await section.scrollIntoViewIfNeeded();
    await labHydrated(section);
    // The editor keeps its keys: ] types a bracket, the page does not move.
    const editor = section.locator('.cm-content');
    await editor.click();
    const y = await page.evaluate(() => window.scrollY);
    const brackets = async () => ((await editor.textContent()) ?? '').split(']').length;
    const before = await brackets();
    // Typed into the first line (a comment), then taken back: the code still runs.
    await page.keyboard.press('Control+Home');
    await page.keyboard.press('End');
    await page.keyboard.press(']');
    await expect.poll(brackets).toBe(before + 1);
    await page.keyboard.press('Backspace');
    await expect.poll(brackets).toBe(before);
    expect(await page.evaluate(() => window.scrollY)).toBe(y);

    const knobs = section.getByRole('group', { name: 'Knobs (presenter)' });
    await knobs.getByRole('slider', { name: /Time to first token/ }).fill('2000');
    await expect(knobs).toContainText('2000 ms');
    const ttft = section.locator('.lab-timeline .tl-head');
    await expect(ttft).toContainText(/TTFT\s*2\d{3} ms/, { timeout: 20_000 });
    // A scenario picked in the lab, then a knob moved at once: the knob's run still comes.
    await section.getByLabel('Scenario').selectOption('fast');
    await knobs.getByRole('slider', { name: /Time to first token/ }).fill('1000');
    await expect(ttft).toContainText(/TTFT\s*1\d{3} ms/, { timeout: 20_000 });
  },
);
