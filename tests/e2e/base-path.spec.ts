/**
 * The site built with BASE_PATH=/course/ (tests/e2e/build-course.ts) and served under /course/ only:
 * every page loads with no failed request, every internal link resolves, and search works there.
 */
import { expect, test } from '@playwright/test';
import { COURSE_URL } from '../config/playwright.config.ts';
import {
  blockExternalRequests,
  collectProblems,
  COURSE_DIST,
  listPages,
  settle,
} from './helpers.ts';

test.describe('deployed under /course/', () => {
  test('every page loads, and every link and asset resolves under the sub-path', async ({
    page,
    request,
  }) => {
    const pages = await listPages(COURSE_DIST);
    const seenLinks = new Set<string>();
    for (const path of pages) {
      const { blocked } = await blockExternalRequests(page);
      const problems = collectProblems(page);
      const response = await page.goto(COURSE_URL + path);
      expect(response?.status(), `/course/${path}`).toBe(200);
      await settle(page);
      expect(problems.errors, `console errors on /course/${path}`).toEqual([]);
      expect(problems.failedRequests, `failed requests on /course/${path}`).toEqual([]);
      expect(blocked).toEqual([]);
      const links = await page
        .locator('a[href]')
        .evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
      for (const href of links) {
        const url = new URL(href);
        if (url.origin === new URL(COURSE_URL).origin) seenLinks.add(url.origin + url.pathname);
      }
      await page.unrouteAll();
    }
    for (const link of seenLinks) {
      expect(new URL(link).pathname, `link outside the base: ${link}`).toMatch(/^\/course\//);
      const res = await request.get(link, { maxRedirects: 0 });
      expect(res.status(), link).toBe(200);
    }
  });

  test('search finds lessons and links under /course/', async ({ page }) => {
    const { blocked } = await blockExternalRequests(page);
    const problems = collectProblems(page);
    await page.goto(COURSE_URL);
    await page.keyboard.press('Control+k');
    await page.getByRole('searchbox', { name: 'Search lessons' }).fill('stream');
    const first = page.locator('.search-dialog .results > li > a').first();
    await expect(first).toHaveAttribute('href', /^\/course\/lessons\/[^/]+\/(#.*)?$/);
    await first.click();
    await expect(page).toHaveURL(/\/course\/lessons\/[^/]+\//);
    expect(problems.failedRequests).toEqual([]);
    expect(blocked).toEqual([]);
  });

  test('a missing page under /course/ gets the 404 page with working links', async ({ page }) => {
    const response = await page.goto(`${COURSE_URL}deep/missing/page/`);
    expect(response?.status()).toBe(404);
    await page.getByRole('link', { name: 'course home' }).click();
    await expect(page).toHaveURL(COURSE_URL);
  });
});
