/**
 * The lab's layout (`src/ui/lab/Workspace.tsx`, `workspace.css`): stacked below 1100 px; from
 * 1100 px a full-width workspace (goal and hints beside the editor, editor and output side by side
 * in a resizable split, timeline below); Expand fills the viewport and Escape leaves it.
 */
import { labHydrated, sample } from './helpers.ts';
import { expect, test, type Locator, type Page } from '@playwright/test';

const LESSON = 'lessons/server-sent-events/';

async function openLab(page: Page): Promise<Locator> {
  await page.goto(LESSON);
  const section = page.locator('section.lab[data-lab="sse-reader"]');
  await section.scrollIntoViewIfNeeded();
  await labHydrated(section, 60_000);
  return section;
}

const box = async (locator: Locator) => {
  const b = await locator.boundingBox();
  if (!b) throw new Error('not rendered');
  return b;
};

test.describe('lab workspace', () => {
  test.describe.configure({ timeout: 120_000 });
  test('at 1280 px the lab leaves the text column: hints | editor | output, timeline below', async ({
    page,
  }) => {
    await page.setViewportSize({ width: 1280, height: 900 });
    const section = await openLab(page);
    const lab = await box(section);
    const prose = await box(page.locator('.lesson-body > p').first());
    expect(lab.width).toBeGreaterThan(prose.width + 400);
    expect(lab.x).toBeGreaterThanOrEqual(0);
    expect(lab.x + lab.width).toBeLessThanOrEqual(1280);

    const hints = await box(section.getByRole('group', { name: 'Hints' }));
    const editor = await box(section.locator('.lab-ws__editor'));
    const output = await box(section.locator('.lab-ws__output'));
    const timeline = await box(section.getByRole('group', { name: 'Timeline of the run' }));
    expect(hints.x + hints.width).toBeLessThanOrEqual(editor.x);
    expect(editor.x + editor.width).toBeLessThanOrEqual(output.x);
    expect(Math.abs(editor.y - output.y)).toBeLessThan(2);
    expect(timeline.y).toBeGreaterThanOrEqual(editor.y + editor.height);
    expect(timeline.width).toBeGreaterThan(editor.width + output.width);

    // The split resizes from the keyboard.
    const splitter = section.getByRole('separator', { name: /Resize the editor/ });
    const before = Number(await splitter.getAttribute('aria-valuenow'));
    await splitter.focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await expect(splitter).toHaveAttribute('aria-valuenow', String(before + 10));
    expect((await box(section.locator('.lab-ws__editor'))).width).toBeGreaterThan(editor.width);

    // End on a long line never leaves the editor scrolled sideways: lines wrap.
    const content = section.getByRole('textbox', { name: 'Code editor: sse-reader.ts' });
    await content.click();
    await page.keyboard.press('ControlOrMeta+End');
    await page.keyboard.insertText(`\n// ${'a long line '.repeat(40)}`);
    await page.keyboard.press('End');
    const scroller = section.locator('.cm-scroller');
    expect(await scroller.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(1);
  });

  test('narrower than 1100 px the parts stack in reading order', async ({ page }) => {
    await page.setViewportSize({ width: 900, height: 900 });
    const section = await openLab(page);
    const prose = await box(page.locator('.lesson-body > p').first());
    expect((await box(section)).width).toBeLessThanOrEqual(prose.width + 1);
    const hints = await box(section.getByRole('group', { name: 'Hints' }));
    const editor = await box(section.locator('.lab-ws__editor'));
    const output = await box(section.locator('.lab-ws__output'));
    expect(hints.y + hints.height).toBeLessThanOrEqual(editor.y);
    expect(output.y).toBeGreaterThanOrEqual(editor.y + editor.height);
    await expect(section.getByRole('separator')).toBeHidden();
  });

  test('Expand fills the viewport; Escape leaves focus mode', sample(false), async ({ page }) => {
    await page.setViewportSize({ width: 1280, height: 800 });
    const section = await openLab(page);
    await section.getByRole('button', { name: 'Expand' }).click();
    await expect(section).toHaveAttribute('data-focus', '');
    expect(await box(section)).toEqual({ x: 0, y: 0, width: 1280, height: 800 });
    const collapse = section.getByRole('button', { name: 'Collapse' });
    await expect(collapse).toHaveAttribute('aria-pressed', 'true');
    await page.keyboard.press('Escape');
    await expect(section).not.toHaveAttribute('data-focus');
    await expect(section.getByRole('button', { name: 'Expand' })).toBeVisible();
    expect((await box(section)).width).toBeLessThan(1280);
  });

  test(
    'the chunk table is one tab stop moved within by the arrow keys; the legend explains every mark',
    sample(false),
    async ({ page }) => {
      // The recorded run in lesson 1: a run's timeline without running anything.
      await page.goto('lessons/why-streaming/');
      const section = page.locator('.recorded-run[data-run="ttft-default"]').first();
      await section.scrollIntoViewIfNeeded();
      await expect(section.locator('astro-island:not([ssr])')).toHaveCount(1, { timeout: 60_000 });
      const table = section.getByRole('table', { name: 'Chunk timeline', exact: true });
      const buttons = table.locator('.tl-row-select');
      await expect(buttons.nth(3)).toBeAttached();
      await expect(table.locator('.tl-row-select[tabindex="0"]')).toHaveCount(1);
      await buttons.nth(0).focus();
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('ArrowDown');
      await expect(buttons.nth(2)).toBeFocused();
      await expect(table.locator('.tl-row-select[tabindex="0"]')).toHaveCount(1);
      await page.keyboard.press('End');
      await expect(buttons.last()).toBeFocused();
      // Tab leaves the table in one step.
      await page.keyboard.press('Tab');
      expect(await table.evaluate((t) => t.contains(document.activeElement))).toBe(false);

      const legend = section.getByRole('list', { name: 'Legend' });
      for (const meaning of ['request sent', 'response headers', 'first byte', 'first token']) {
        await expect(legend).toContainText(meaning);
      }
      for (const glyph of ['▶', 'H', '●', '★', '⊘', '↻', '▲', '■'])
        await expect(legend.locator('.tl-key--glyph', { hasText: glyph }).first()).toBeAttached();
    },
  );

  test('the scenario choice is kept per lab across a reload', sample(false), async ({ page }) => {
    const section = await openLab(page);
    const picker = section.getByLabel('Scenario');
    const other = await picker.locator('option').nth(1).getAttribute('value');
    await picker.selectOption(other!);
    await page.reload();
    const again = page.locator('section.lab[data-lab="sse-reader"]');
    await again.scrollIntoViewIfNeeded();
    await expect(again.getByLabel('Scenario')).toHaveValue(other!, { timeout: 60_000 });
    const otherLab = page.locator('section.lab[data-lab="sse-events"]');
    await otherLab.scrollIntoViewIfNeeded();
    await labHydrated(otherLab, 60_000);
    await expect(otherLab.getByLabel('Scenario')).toHaveValue('default');
  });
});
