/**
 * The site shell, on every built page: loads cleanly and offline-safe (no console errors, no failed
 * requests, nothing fetched from another origin), passes axe in light and dark, and its navigation,
 * search, theme and progress work with the keyboard. Pages come from dist/, so new lessons are covered.
 */
import { expect, test, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';
import {
  blockExternalRequests,
  collectProblems,
  currentTheme,
  listLessonPages,
  listPages,
  sample,
  setTheme,
  settle,
} from './helpers.ts';

const pages = await listPages();
const lessons = await listLessonPages();
const NOT_FOUND = 'this-page-does-not-exist/';

async function expectAccessible(page: Page, label: string) {
  const results = await new AxeBuilder({ page }).analyze();
  const summary = results.violations.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes
        .map((n) => n.target.join(' '))
        .slice(0, 5)
        .join('\n    ')}`,
  );
  expect(summary, `axe violations on ${label}`).toEqual([]);
}

for (const path of [...pages, NOT_FOUND]) {
  for (const theme of ['light', 'dark'] as const) {
    // The sample: the home page on a desktop, a lesson with labs and the 404 page on a phone (CI's
    // time budget; the full suite covers every page in both themes).
    const inSample =
      theme === 'light'
        ? path === ''
        : path === NOT_FOUND || path === 'lessons/streaming-to-the-browser/';
    test(
      `/${path} (${theme}${theme === 'dark' ? ', phone' : ', desktop'}) loads cleanly, stays on this origin and passes axe`,
      sample(inSample),
      async ({ page }) => {
        // Lesson pages with labs load an editor and a worker; give a shared 2-core CI box room.
        test.setTimeout(60_000);
        const { blocked } = await blockExternalRequests(page);
        const problems = collectProblems(page, {
          // The 404 page itself is meant to answer 404, and so are the folders it asks for the site's
          // favicon.svg on its way up to the root.
          allowStatus: (url, status) =>
            status === 404 && (url.endsWith(NOT_FOUND) || url.endsWith(`${NOT_FOUND}favicon.svg`)),
        });
        await setTheme(page, theme);
        // Light is checked on a desktop, dark on a 360 px phone: both layouts, both themes.
        if (theme === 'dark') await page.setViewportSize({ width: 360, height: 740 });
        const response = await page.goto(path);
        expect(response?.status()).toBe(path === NOT_FOUND ? 404 : 200);
        await settle(page);
        expect(await currentTheme(page)).toBe(theme);
        expect(problems.errors, 'console errors').toEqual([]);
        expect(problems.failedRequests, 'failed requests').toEqual([]);
        expect(blocked, 'requests to other origins').toEqual([]);
        await expectAccessible(page, `/${path} (${theme})`);
      },
    );
  }
}

test('the home page says what the course teaches, for whom, and how long it takes', async ({
  page,
}) => {
  await page.goto('');
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
  const facts = page.locator('.facts');
  await expect(facts).toContainText('For');
  await expect(facts).toContainText(/About \d+/);
  await expect(page.locator('.lesson-list > li')).toHaveCount(lessons.length);
});

test('the theme toggle switches, is remembered, and the head script sets it before paint', async ({
  page,
  request,
}) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto('');
  const toggle = page.getByRole('button', { name: 'Switch to dark theme' });
  await toggle.click();
  expect(await currentTheme(page)).toBe('dark');
  await expect(page.getByRole('button', { name: 'Switch to light theme' })).toBeVisible();
  await page.goto(lessons[0] ?? '');
  expect(await currentTheme(page)).toBe('dark');
  // No flash: an inline script in <head> sets data-theme before any body content is parsed.
  const html = await (await request.get('')).text();
  const head = html.slice(0, html.indexOf('<body'));
  expect(head).toMatch(/<script>[^<]*streamlab:theme[^<]*dataset\.theme/);
});

test('keyboard alone reaches the search, the theme toggle and every lesson link', async ({
  page,
}) => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(lessons[0] ?? '');
  const lessonLinks = await page
    .locator('.course-map a')
    .evaluateAll((as) => as.map((a) => a.getAttribute('href')));
  const wanted = ['search', 'theme', ...lessonLinks.map((href) => `lesson:${href}`)];
  const reached = new Set<string>();
  // Tab through the page until everything wanted was focused (bounded: the chrome comes first).
  for (let i = 0; i < 40 + lessons.length * 2 && !wanted.every((w) => reached.has(w)); i++) {
    await page.keyboard.press('Tab');
    const id = await page.evaluate(() => {
      const el = document.activeElement;
      if (!el || el === document.body) return '';
      if (el.matches('[data-search-open]')) return 'search';
      if (el.matches('[data-theme-toggle]')) return 'theme';
      const a = el.closest('.course-map a');
      return a ? `lesson:${a.getAttribute('href')}` : '';
    });
    if (id) reached.add(id);
  }
  expect(reached).toContain('search');
  expect(reached).toContain('theme');
  expect(lessonLinks).toHaveLength(lessons.length);
  for (const href of lessonLinks) expect(reached).toContain(`lesson:${href}`);
});

test('"/" and Ctrl+K open search, results link to lessons, Escape closes and restores focus', async ({
  page,
}) => {
  await page.goto('');
  await page.keyboard.press('/');
  const input = page.getByRole('searchbox', { name: 'Search lessons' });
  await expect(input).toBeFocused();
  await input.fill('sse');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('dialog')).toBeHidden();
  // Opened from the header button, closing returns focus to that button.
  const button = page.getByRole('button', { name: 'Search' });
  await button.focus();
  await page.keyboard.press('Enter');
  await expect(input).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(button).toBeFocused();
  await page.keyboard.press('Control+k');
  await expect(input).toBeFocused();
  await input.fill('stream');
  const first = page.locator('.search-dialog .results > li > a').first();
  await expect(first).toHaveAttribute('href', /^\/lessons\/[^/]+\/(#.*)?$/);
  // ArrowDown from the input moves to the first result. Results may still be replaced while the index
  // finishes loading (a redraw drops the focus): then ArrowDown again from the input.
  await page.keyboard.press('ArrowDown');
  await expect(async () => {
    if (!(await first.evaluate((a) => a === document.activeElement))) {
      await input.focus();
      await page.keyboard.press('ArrowDown');
    }
    await expect(first).toBeFocused({ timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  // Enter on the first result, again if the list was redrawn under the focus.
  await expect(async () => {
    if (!(await first.evaluate((a) => a === document.activeElement))) await first.focus();
    await page.keyboard.press('Enter');
    await expect(page).toHaveURL(/\/lessons\/[^/]+\//, { timeout: 2_000 });
  }).toPass({ timeout: 15_000 });
});

test('"/" typed into a text field does not open search', async ({ page }) => {
  await page.goto('');
  await page.evaluate(() => {
    const field = document.createElement('textarea');
    field.setAttribute('aria-label', 'scratch');
    document.querySelector('main')?.append(field);
    field.focus();
  });
  await page.keyboard.press('/');
  await expect(page.getByRole('dialog')).toBeHidden();
});

test('progress: visiting and finishing a lesson shows in the course map, across reloads and tabs', async ({
  page,
  context,
}) => {
  test.skip(lessons.length < 2, 'needs two lessons');
  const [first, second] = lessons as [string, string];
  await page.goto(first);
  // Links are relative to the page (the build makes them so): find a lesson's by its slug.
  const slugOf = (path: string) => path.split('/')[1];
  const link = (p: Page, path: string) =>
    p.locator(`.course-map a[data-lesson-slug="${slugOf(path)}"]`);
  await expect(link(page, first)).toHaveAttribute('data-state', 'visited');
  await expect(link(page, second)).not.toHaveAttribute('data-state', /.+/);

  const other = await context.newPage();
  await other.goto(second);
  await page.getByRole('button', { name: 'Mark lesson as done' }).click();
  await expect(page.getByRole('button', { name: 'Lesson done' })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
  await expect(link(page, first)).toHaveAttribute('data-state', 'done');
  // The other tab learns about it through the storage event, without a reload.
  await expect(link(other, first)).toHaveAttribute('data-state', 'done');
  await expect(link(other, first).locator('[data-status]')).toHaveText('(done)');

  await page.goto('');
  await expect(page.locator(`.lesson-list a[data-lesson-slug="${slugOf(first)}"]`)).toHaveAttribute(
    'data-state',
    'done',
  );
  await expect(page.locator('[data-progress-count]').first()).toHaveText(
    `1 of ${lessons.length} lessons done`,
  );
  await expect(page.getByRole('link', { name: /Continue the course/ })).toHaveAttribute(
    'href',
    second,
  );
});

test('lessons have previous/next links and an on-page table of contents', async ({ page }) => {
  test.skip(lessons.length < 2, 'needs two lessons');
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(lessons[0] ?? '');
  const nav = page.getByRole('navigation', { name: 'Previous and next lesson' });
  await expect(nav.getByRole('link')).toHaveCount(1);
  await nav.getByRole('link').click();
  await expect(page).toHaveURL(new RegExp(`/${lessons[1]}$`));
  await expect(
    page
      .getByRole('navigation', { name: 'Previous and next lesson' })
      .getByRole('link', { name: /Previous/ }),
  ).toBeVisible();
  const toc = page.getByRole('navigation', { name: 'On this page' });
  const tocLinks = toc.getByRole('link');
  if ((await tocLinks.count()) > 0) {
    const href = await tocLinks.first().getAttribute('href');
    await expect(page.locator(`[id="${href?.slice(1)}"]`)).toHaveCount(1);
  }
});

test(
  'on a 320 px phone no page overflows sideways and the course map opens from the menu',
  sample(false),
  async ({ page }) => {
    await page.setViewportSize({ width: 320, height: 640 });
    for (const path of ['', ...lessons, NOT_FOUND]) {
      await page.goto(path);
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - window.innerWidth,
      );
      expect(overflow, `horizontal overflow on /${path}`).toBeLessThanOrEqual(0);
    }
    await page.goto(lessons[0] ?? '');
    const menu = page.getByRole('button', { name: 'Course map' });
    await expect(page.locator('.course-map')).toBeHidden();
    await menu.click();
    await expect(menu).toHaveAttribute('aria-expanded', 'true');
    await expect(page.locator('.course-map')).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(page.locator('.course-map')).toBeHidden();
    await expect(menu).toBeFocused();
  },
);

test('printing a lesson leaves out the site chrome', async ({ page }) => {
  await page.goto(lessons[0] ?? '');
  await page.emulateMedia({ media: 'print' });
  await expect(page.locator('.site-header')).toBeHidden();
  await expect(page.locator('.sidebar')).toBeHidden();
  await expect(page.locator('.prev-next')).toBeHidden();
  await expect(page.locator('.lesson-body')).toBeVisible();
});

test('code blocks have a copy button and follow the theme', async ({ page }) => {
  await page.goto(lessons[0] ?? '');
  const block = page.locator('.expressive-code').first();
  test.skip((await block.count()) === 0, 'no code block on the first lesson');
  await expect(block.locator('button.copy, .copy button').first()).toBeAttached();
  const background = () =>
    block
      .locator('pre')
      .first()
      .evaluate((el) => getComputedStyle(el).backgroundColor);
  await setTheme(page, 'light', { reload: true });
  const light = await background();
  await page.getByRole('button', { name: 'Switch to dark theme' }).click();
  expect(await background()).not.toBe(light);
});
