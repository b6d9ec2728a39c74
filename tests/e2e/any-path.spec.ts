/**
 * One build, any path: the very same dist/ (built once, for `/`) served by a plain nginx from the
 * system's packages at three places, without rebuilding:
 * - `/`, with no compression and no special header;
 * - `/other-site/training/streamlab/`, copied (linked) into a folder of another site, plain too;
 * - `/course/`, through the deploy recipe src/deploy/nginx/streamlab.conf (compression, caching).
 * At each: every page loads with no error and no failed request, every internal link resolves and
 * stays under the path, search finds lessons there; a lab runs in the page at the deepest one.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import {
  blockExternalRequests,
  collectProblems,
  DIST,
  labHydrated,
  listLessonPages,
  listPages,
  sample,
  SAMPLE_PAGES,
  settle,
} from './helpers.ts';
import { nginxRecipe, startNginx, type RunningNginx } from './nginx.ts';

const dist = resolve(DIST);
const PATHS = {
  root: '/',
  folder: '/other-site/training/streamlab/',
  recipe: '/course/',
} as const;

let nginx: RunningNginx;
let otherSite: string;

/** A quick lab, its solution, and the lesson that embeds it. */
const LAB = 'sse-reader';
const labSolution = readFileSync(new URL(`../../labs/${LAB}/solution.ts`, import.meta.url), 'utf8');
const labPage = (await listLessonPages()).find((p) =>
  readFileSync(join(DIST, p, 'index.html'), 'utf8').includes(`data-lab="${LAB}"`),
);

test.beforeAll(async () => {
  // Another site, with the build copied (here: linked) into one of its folders.
  const other = (otherSite = await mkdtemp(join(tmpdir(), 'streamlab-other-site-')));
  await mkdir(join(other, 'other-site', 'training'), { recursive: true });
  await writeFile(join(other, 'other-site', 'index.html'), '<!doctype html><title>Other</title>');
  await symlink(dist, join(other, 'other-site', 'training', 'streamlab'));
  nginx = await startNginx(`
    location / { root ${dist}; error_page 404 /404.html; }
    location /other-site/ { root ${other}; error_page 404 /other-site/training/streamlab/404.html; }
    ${await nginxRecipe(PATHS.recipe, dist)}
  `);
});

test.afterAll(async () => {
  await nginx?.stop();
  if (otherSite) await rm(otherSite, { recursive: true, force: true });
});

async function checkPage(page: Page, prefix: string, path: string) {
  const { blocked } = await blockExternalRequests(page);
  const problems = collectProblems(page);
  const response = await page.goto(nginx.origin + prefix + path);
  expect(response?.status(), prefix + path).toBe(200);
  await settle(page);
  expect(problems.errors, `console errors on ${prefix}${path}`).toEqual([]);
  expect(problems.failedRequests, `failed requests on ${prefix}${path}`).toEqual([]);
  expect(blocked, `requests leaving the site from ${prefix}${path}`).toEqual([]);
  // Styled: the site's stylesheet applied (an unstyled page has the browser's serif font).
  const font = await page.evaluate(() => getComputedStyle(document.body).fontFamily);
  expect(font, `styles on ${prefix}${path}`).toMatch(/system-ui/);
  const hrefs = await page
    .locator('a[href]')
    .evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
  const links = new Set<string>();
  for (const href of hrefs) {
    const url = new URL(href);
    if (url.origin === nginx.origin) links.add(url.origin + url.pathname);
  }
  for (const link of links) {
    expect(new URL(link).pathname, `link outside ${prefix}: ${link}`).toMatch(
      new RegExp(`^${prefix}`),
    );
    const res = await page.request.get(link, { maxRedirects: 0 });
    expect(res.status(), `${link} (linked from ${prefix}${path})`).toBe(200);
  }
}

async function checkSearch(page: Page, prefix: string) {
  const { blocked } = await blockExternalRequests(page);
  const problems = collectProblems(page);
  await page.goto(nginx.origin + prefix);
  await page.keyboard.press('Control+k');
  await page.getByRole('searchbox', { name: 'Search lessons' }).fill('stream');
  const first = page.locator('.search-dialog .results > li > a').first();
  // The index loads on first use; allow for a busy machine.
  await expect(first).toHaveAttribute('href', new RegExp(`^${prefix}lessons/[^/]+/(#.*)?$`), {
    timeout: 30_000,
  });
  await first.click();
  await expect(page).toHaveURL(new RegExp(`${prefix}lessons/[^/]+/`));
  expect(problems.failedRequests).toEqual([]);
  expect(blocked).toEqual([]);
  await page.unrouteAll();
}

const pages = await listPages(DIST);

test.describe('one build served by nginx at three paths', () => {
  // Pages settle only once their lazy islands (the editor's 9 MB language worker) have loaded.
  test.describe.configure({ timeout: 60_000 });
  for (const [where, prefix] of Object.entries(PATHS)) {
    for (const path of pages) {
      test(
        `${where}: ${prefix}${path} loads cleanly and its links resolve`,
        // The sample: the home page at all three paths, and the folder copy (the hardest case) at a
        // lesson with labs too.
        sample(path === '' || (where === 'folder' && SAMPLE_PAGES.includes(path))),
        async ({ page }) => {
          await checkPage(page, prefix, path);
        },
      );
    }
    test(
      `${where}: search finds lessons under ${prefix}`,
      sample(where === 'folder'),
      async ({ page }) => {
        await checkSearch(page, prefix);
      },
    );
  }

  test(
    'root: a missing page gets the 404 page with working links',
    sample(false),
    async ({ page }) => {
      const missing = await page.goto(`${nginx.origin}/deep/missing/page/`);
      expect(missing?.status()).toBe(404);
      await page.getByRole('link', { name: 'course home' }).click();
      await expect(page).toHaveURL(`${nginx.origin}/`);
    },
  );

  test('folder: a missing page deep in the folder gets a styled 404 page whose links stay in the folder', async ({
    page,
  }) => {
    const problems = collectProblems(page, {
      // The page itself answers 404, and so do the folders it asks for the site root on its way up.
      allowStatus: (_url, status) => status === 404,
    });
    const missing = await page.goto(`${nginx.origin}${PATHS.folder}deep/missing/page/`);
    expect(missing?.status()).toBe(404);
    await settle(page);
    expect(problems.errors).toEqual([]);
    const font = await page.evaluate(() => getComputedStyle(document.body).fontFamily);
    expect(font).toMatch(/system-ui/);
    await page.getByRole('link', { name: 'course home' }).click();
    await expect(page).toHaveURL(`${nginx.origin}${PATHS.folder}`);
    await page.goBack();
    await page.locator('.not-found li a').first().click();
    await expect(page).toHaveURL(new RegExp(`${PATHS.folder}lessons/[^/]+/$`));
  });

  test('folder: a lab runs and draws its timeline', async ({ page }) => {
    test.setTimeout(120_000);
    const { blocked } = await blockExternalRequests(page);
    const problems = collectProblems(page);
    expect(labPage, `the lesson with the ${LAB} lab`).toBeTruthy();
    await page.goto(`${nginx.origin}${PATHS.folder}${labPage}`);
    const section = page.locator(`section[data-lab="${LAB}"]`);
    await section.scrollIntoViewIfNeeded();
    await labHydrated(section);
    await section.getByRole('textbox', { name: /^Code editor:/ }).click();
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.insertText(labSolution);
    await section.getByRole('button', { name: 'Run', exact: true }).click();
    await expect(section.locator('.lab-status')).toContainText('Run finished', {
      timeout: 30_000,
    });
    const rows = section.getByRole('table', { name: /Chunk timeline/ }).getByRole('row');
    expect(await rows.count()).toBeGreaterThan(2);
    expect(problems.errors).toEqual([]);
    expect(problems.failedRequests).toEqual([]);
    expect(blocked).toEqual([]);
  });

  test('from disk: styled, says how to serve it, and lesson links open the lesson pages', async ({
    page,
  }) => {
    await page.goto(pathToFileURL(join(dist, 'index.html')).href);
    const notice = page.locator('[data-file-notice]');
    await expect(notice).toBeVisible();
    await expect(notice.locator('code')).toHaveText(
      `python3 -m http.server 8000 --directory "${dist}/"`,
    );
    const font = await page.evaluate(() => getComputedStyle(document.body).fontFamily);
    expect(font).toMatch(/system-ui/);
    await page.locator('.lesson-list a').first().click();
    await expect(page).toHaveURL(/\/lessons\/[^/]+\/index\.html$/);
    await expect(page.locator('h1')).toBeVisible();
    await expect(page.locator('[data-file-notice]')).toBeVisible();
  });

  test('recipe: text is compressed, bundles are immutable, pages revalidate', async () => {
    const site = nginx.origin + PATHS.recipe;
    const gzip = { headers: { 'accept-encoding': 'gzip' } };
    const html = await fetch(site, gzip);
    expect(html.headers.get('cache-control')).toBe('no-cache');
    expect(html.headers.get('content-encoding')).toBe('gzip');
    // Every text bundle worth compressing (the lab worker, the editor worker, CSS, recorded runs).
    const assets = readdirSync(join(DIST, '_astro')).filter(
      (name) =>
        /\.(js|css|json|svg)$/.test(name) && statSync(join(DIST, '_astro', name)).size > 1024,
    );
    expect(assets.length).toBeGreaterThan(5);
    for (const name of assets) {
      const res = await fetch(`${site}_astro/${name}`, gzip);
      expect(res.status, name).toBe(200);
      expect(res.headers.get('content-encoding'), `${name} compressed`).toBe('gzip');
      expect(res.headers.get('cache-control'), name).toContain('immutable');
      await res.arrayBuffer();
    }
  });
});
