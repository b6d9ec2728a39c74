/**
 * Shared helpers for Playwright specs against the built site. Any spec can use them:
 *
 *   import { listPages, blockExternalRequests, collectProblems, setTheme } from './helpers.ts';
 *
 * Pages are enumerated from the built `dist/` so new lessons are covered without editing tests.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { expect, type BrowserContext, type Locator, type Page } from '@playwright/test';

/** Folder of the site built with the default base (`/`). */
export const DIST = 'dist';

/**
 * Every page of a built site as a path relative to the site root, `''` for the home page and
 * `lessons/x/` for the others (directory-format pages: every `index.html` below `dist`).
 * The 404 page is not listed; reach it with any missing URL.
 */
export async function listPages(dist = DIST): Promise<string[]> {
  const pages: string[] = [];
  const walk = async (dir: string) => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== '_astro' && entry.name !== 'pagefind') await walk(full);
      } else if (entry.name === 'index.html') {
        const rel = relative(dist, dir).split(sep).join('/');
        pages.push(rel ? `${rel}/` : '');
      }
    }
  };
  await walk(dist);
  if (pages.length === 0)
    throw new Error(`No pages found in ${dist}; build the site first (npm run build).`);
  return pages.sort();
}

/**
 * Lesson pages (`lessons/<slug>/`) in course order, read from the built home page's lesson list
 * (`data-lesson-slug`), so specs can rely on "first lesson" and "next lesson".
 */
export async function listLessonPages(dist = DIST): Promise<string[]> {
  const home = await readFile(join(dist, 'index.html'), 'utf8');
  const slugs = [...home.matchAll(/data-lesson-slug="([^"]+)"/g)].map((m) => m[1]);
  const ordered = [...new Set(slugs)].map((slug) => `lessons/${slug}/`);
  const built = new Set((await listPages(dist)).filter((p) => /^lessons\/[^/]+\/$/.test(p)));
  const missing = ordered.filter((p) => !built.has(p));
  if (missing.length > 0)
    throw new Error(`${dist}/index.html links to unbuilt lessons: ${missing.join(', ')}`);
  return ordered;
}

const LOCAL_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * Aborts every request that would leave the machine, and records it. The site must never need one:
 * assert `blocked` is empty after the page settles.
 */
export async function blockExternalRequests(
  target: Page | BrowserContext,
): Promise<{ blocked: string[] }> {
  const blocked: string[] = [];
  await target.route('**/*', (route) => {
    const url = new URL(route.request().url());
    const local =
      url.protocol === 'data:' || url.protocol === 'blob:' || LOCAL_HOSTS.has(url.hostname);
    if (local) return route.continue();
    blocked.push(url.href);
    return route.abort('blockedbyclient');
  });
  return { blocked };
}

export interface PageProblems {
  /** console.error messages and uncaught exceptions. */
  errors: string[];
  /** Requests that failed or answered >= 400 (the 404 page itself excepted by the caller). */
  failedRequests: string[];
}

/**
 * Starts recording console errors, page errors and failed requests on a page. Read the returned
 * object after the page has loaded (e.g. `expect(problems.errors).toEqual([])`).
 */
export function collectProblems(
  page: Page,
  options: {
    /** Expected HTTP errors (e.g. the 404 page's own status) that are not problems. */
    allowStatus?: (url: string, status: number) => boolean;
  } = {},
): PageProblems {
  const problems: PageProblems = { errors: [], failedRequests: [] };
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    // Chromium logs every HTTP error response on the console; those are judged by allowStatus.
    const url = message.location().url;
    if (
      message.text().startsWith('Failed to load resource: the server responded with a status of')
    ) {
      const status = Number(/status of (\d+)/.exec(message.text())?.[1]);
      if (options.allowStatus?.(url, status)) return;
    }
    problems.errors.push(`console.error: ${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => problems.errors.push(`uncaught: ${error.message}`));
  page.on('requestfailed', (request) => {
    problems.failedRequests.push(`${request.url()} (${request.failure()?.errorText ?? 'failed'})`);
  });
  page.on('response', (response) => {
    const status = response.status();
    if (status >= 400 && !options.allowStatus?.(response.url(), status)) {
      problems.failedRequests.push(`${response.url()} (HTTP ${status})`);
    }
  });
  return problems;
}

export type Theme = 'light' | 'dark';

/**
 * Puts the page in a theme the way a learner would end up there: the stored choice the inline head
 * script reads. Call before `page.goto` (it uses an init script), or pass `{ reload: true }` after.
 */
export async function setTheme(
  page: Page,
  theme: Theme,
  options: { reload?: boolean } = {},
): Promise<void> {
  await page.addInitScript((t) => {
    try {
      localStorage.setItem('streamlab:theme', t);
    } catch {
      // storage blocked: the emulated color scheme below still applies
    }
  }, theme);
  await page.emulateMedia({ colorScheme: theme });
  if (options.reload) await page.reload();
}

/** The theme the page shows now (`data-theme` on <html>). */
export function currentTheme(page: Page): Promise<string | null> {
  return page.evaluate(() => document.documentElement.getAttribute('data-theme'));
}

/** Waits until the page and its lazy islands have settled (network idle, fonts, one frame). */
export async function settle(page: Page): Promise<void> {
  await page.waitForLoadState('networkidle');
  await page.evaluate(() =>
    document.fonts.ready.then(() => new Promise((r) => requestAnimationFrame(r))),
  );
}

/**
 * Matrices (every page × theme, every lab, every buggy file) run in full with `npm run test:e2e:full`;
 * `npm test` (and CI) runs a representative sample. `sample(false)` tags a test as full-suite only.
 * Every lab × every scenario is graded in Node by `npm run grade -- --all`, which CI always runs.
 */
export const sample = (inSample: boolean): { tag?: string } => (inSample ? {} : { tag: '@full' });

/** The pages the sample visits: the home page and a lesson with two labs. */
export const SAMPLE_PAGES = ['', 'lessons/server-sent-events/'];

/**
 * Waits until the lab in `section` has hydrated (its island's chunk loads when it scrolls into view),
 * which takes seconds on a busy 2-core machine. Specs that boot more (Node mode, a preview) wait longer.
 */
export async function labHydrated(section: Locator, timeout = 20_000): Promise<void> {
  await expect(section.locator('.lab-ui[data-hydrated="true"]')).toBeVisible({ timeout });
}
