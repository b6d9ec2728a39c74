/**
 * An in-page link lands on its target although code blocks above it are deferred
 * (`content-visibility: auto`, src/styles/offscreen.css) and have only estimated heights until shown:
 * src/lib/offscreen-dom.ts lays out the deferred blocks above the target before the browser scrolls.
 * Needs real layout, so it is a browser test (full suite only). Without the fix, the table of contents'
 * smooth scroll ended 300 to 600 px past the heading at 1280 px and 1,600 px short of it at 375 px.
 * (A page opened at `#id` is fixed the same way, but Chromium's own jump on load usually lands right
 * without it, so that path has no test here that could fail.)
 */
import { expect, test, type Page } from '@playwright/test';
import { sample } from './helpers.ts';

const LESSON = 'lessons/server-sent-events/';
/** A heading with several long (deferred) code blocks above it, before the page's labs. */
const TARGET = 'eventsource-or-fetch';

/** Clicks `link` and resolves once the smooth scroll it starts has ended. */
async function clickAndScroll(page: Page, link: string): Promise<void> {
  await page.evaluate(() => {
    const w = window as { scrolled?: Promise<unknown> };
    w.scrolled = new Promise((r) => addEventListener('scrollend', r, { once: true }));
  });
  await page.locator(link).click();
  await page.evaluate(() => (window as { scrolled?: Promise<unknown> }).scrolled);
}

/** The target's top, where a jump should put it (the page's scroll padding), and what is deferred. */
function measure(page: Page) {
  return page.evaluate((id) => {
    const target = document.getElementById(id)!;
    const deferred = [...document.querySelectorAll('.expressive-code')].filter(
      (b) => getComputedStyle(b).contentVisibility === 'auto' || b.hasAttribute('data-shown'),
    );
    const above = (b: Element) =>
      Boolean(b.compareDocumentPosition(target) & Node.DOCUMENT_POSITION_FOLLOWING);
    return {
      top: Math.round(target.getBoundingClientRect().top),
      want: Math.round(parseFloat(getComputedStyle(document.documentElement).scrollPaddingTop)),
      deferredAbove: deferred.filter(above).length,
      // Only the blocks above the target are laid out early; those below it stay deferred.
      shownBelow: deferred.filter((b) => !above(b) && b.hasAttribute('data-shown')).length,
    };
  }, TARGET);
}

for (const { width, toc } of [
  { width: 375, toc: '.toc-inline' },
  { width: 1280, toc: '.toc-column' },
]) {
  test(
    `at ${width} px, a table-of-contents link lands on its heading`,
    sample(false),
    async ({ page }) => {
      await page.setViewportSize({ width, height: 800 });
      await page.goto(LESSON);
      if (toc === '.toc-inline') await page.locator('.toc-inline summary').click();
      await clickAndScroll(page, `${toc} a[href="#${TARGET}"]`);
      const { top, want, deferredAbove, shownBelow } = await measure(page);
      expect(deferredAbove, 'deferred code blocks above the target').toBeGreaterThanOrEqual(3);
      expect(shownBelow, 'deferred blocks below the target laid out').toBe(0);
      expect(Math.abs(top - want), `heading at ${top} px, expected ${want} px`).toBeLessThanOrEqual(
        2,
      );
    },
  );
}
