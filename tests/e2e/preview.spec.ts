/**
 * The ui-frontend lab's live preview in the worker engine: the learner's `streamToPage` runs in a real page
 * (a sandboxed srcdoc frame) whose fetch is bridged to the mock through the course page.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { blockExternalRequests, DIST, labHydrated, listLessonPages, sample } from './helpers.ts';

const LAB_DIR = new URL('../../labs/ui-frontend/', import.meta.url);
const lab = JSON.parse(readFileSync(new URL('lab.json', LAB_DIR), 'utf8')) as { title: string };
const solution = readFileSync(new URL('solution.ts', LAB_DIR), 'utf8');
const LESSON_URL = await (async () => {
  for (const page of await listLessonPages()) {
    if (readFileSync(join(DIST, page, 'index.html'), 'utf8').includes('data-lab="ui-frontend"'))
      return page;
  }
  throw new Error('No built page embeds <Lab id="ui-frontend" />');
})();

// A lesson page with two labs hydrates slowly on a busy machine.
test.describe.configure({ timeout: 180_000 });

async function openLab(page: Page): Promise<Locator> {
  await page.goto(LESSON_URL);
  const section = page.getByRole('region', { name: lab.title });
  await section.scrollIntoViewIfNeeded();
  await labHydrated(section, 45_000);
  const editor = section.getByRole('textbox', { name: 'Code editor: ui-frontend.ts' });
  await editor.click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.insertText(solution);
  return section;
}

test(
  'the preview runs the learner’s streamToPage in a real page',
  sample(false),
  async ({ page }) => {
    const { blocked } = await blockExternalRequests(page);
    const section = await openLab(page);
    const preview = section.getByRole('region', { name: 'Preview' });
    await preview.getByRole('button', { name: 'Load my code' }).click();
    // The first load fetches the transpiler and the mock: slow on a busy machine.
    await expect(preview.getByRole('status')).toHaveText('Your code is loaded.', {
      timeout: 30_000,
    });
    const frame = preview.frameLocator('iframe');

    await frame.getByRole('button', { name: 'Send' }).click();
    await expect(frame.getByRole('status')).toHaveText('Done.', { timeout: 20_000 });
    const answer = (await frame.locator('#output').textContent()) ?? '';
    expect(answer.length).toBeGreaterThan(40);
    // Text nodes, never markup: the answer is in the page as text.
    expect(await frame.locator('#output').evaluate((el) => el.children.length)).toBe(0);

    // The frame is an opaque origin that cannot reach the network itself.
    expect(await preview.locator('iframe').getAttribute('sandbox')).toBe('allow-scripts');
    expect(blocked).toEqual([]);
  },
);

test(
  'the preview shows a provider error under the overloaded scenario',
  sample(false),
  async ({ page }) => {
    const section = await openLab(page);
    await section.getByRole('combobox', { name: /scenario/i }).selectOption('overloaded');
    const preview = section.getByRole('region', { name: 'Preview' });
    await preview.getByRole('button', { name: 'Load my code' }).click();
    const frame = preview.frameLocator('iframe');
    await frame.getByRole('button', { name: 'Send' }).click();
    await expect(frame.getByRole('status')).toHaveText(/^Error: /, { timeout: 30_000 });
  },
);
