/**
 * `STREAMLAB_SOLUTIONS=after-pass`: a site built so (here, into tests/.tmp/after-pass-dist, unless
 * `E2E_AFTER_PASS_DIST` names such a build already made) keeps each lab's solution out of its page until
 * the learner passes the visible checks, then fetches it from its own file. Full suite only: it builds the
 * site a second time.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { startStaticServer, type RunningStaticServer } from '../../src/node/static-server.ts';
import { labHydrated, sample } from './helpers.ts';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const LAB = 'sse-reader';
const lab = JSON.parse(readFileSync(`${ROOT}labs/${LAB}/lab.json`, 'utf8')) as {
  title: string;
  lesson: string;
};
const solution = readFileSync(`${ROOT}labs/${LAB}/solution.ts`, 'utf8');

let server: RunningStaticServer;

test.describe('solutions after a pass', () => {
  test.beforeAll(async () => {
    test.setTimeout(600_000);
    let dist = process.env.E2E_AFTER_PASS_DIST;
    if (!dist) {
      dist = `${ROOT}tests/.tmp/after-pass-dist`;
      const built = spawnSync(
        process.execPath,
        ['node_modules/astro/bin/astro.mjs', 'build', '--outDir', dist],
        {
          cwd: ROOT,
          env: { ...process.env, STREAMLAB_SOLUTIONS: 'after-pass' },
          encoding: 'utf8',
        },
      );
      if (built.status !== 0) throw new Error(`after-pass build failed:\n${built.stderr}`);
    }
    // Served under a sub-path: the solution's file is found from wherever the page is.
    server = await startStaticServer({ root: dist, base: '/course/' });
  });
  test.afterAll(() => server?.close());

  test(
    'the solution appears only once Run passes the visible checks',
    sample(false),
    async ({ page }) => {
      test.setTimeout(90_000);
      const fetched = watchLabFiles(page);
      await page.goto(`${server.url}lessons/${lab.lesson}/`);
      const html = await page.content();
      expect(html).not.toContain('buffer += done ? decoder.decode() : decoder.decode(value');

      const section = page.getByRole('region', { name: lab.title });
      await section.scrollIntoViewIfNeeded();
      await labHydrated(section);
      const show = section.getByRole('button', { name: 'Show solution' });
      await expect(section.getByText("The solution opens once Run's checks pass.")).toBeVisible();
      await expect(show).toHaveCount(0);

      // The starter fails Run's checks: still locked, and the checks came from their own file.
      await section.getByRole('button', { name: 'Run', exact: true }).click();
      await expect(section.locator('.lab-check--fail').first()).toBeVisible({ timeout: 20_000 });
      await expect(show).toHaveCount(0);
      // Run fetched the visible checks only: the hidden ones come with "Run all checks".
      expect(fetched).toEqual([`${server.url}lab-files/${LAB}/checks-visible.txt`]);

      // The solution passes them: the button appears, and the diff shows the solution's text.
      const editor = section.getByRole('textbox', { name: `Code editor: ${LAB}.ts` });
      await editor.click();
      await page.keyboard.press('ControlOrMeta+a');
      await page.keyboard.insertText(solution);
      const served = page.waitForResponse(`${server.url}lab-files/${LAB}/solution.txt`);
      await section.getByRole('button', { name: 'Run', exact: true }).click();
      await expect(section.locator('.lab-checks__summary')).toHaveText(/^All \d+ checks passed$/, {
        timeout: 30_000,
      });
      expect(await (await served).text()).toBe(solution);
      await expect(show).toBeVisible();
      await expect(section.getByText("The solution opens once Run's checks pass.")).toHaveCount(0);
      await show.click();
      await expect(section.locator('.lab-solution__diff[data-state="ready"]')).toBeAttached();

      // A reload keeps it unlocked: the pass is remembered, not only the run in the page.
      await page.reload();
      await section.scrollIntoViewIfNeeded();
      await labHydrated(section);
      await expect(show).toBeVisible();
      await expect(section.getByText("The solution opens once Run's checks pass.")).toHaveCount(0);
    },
  );
});

/** URLs of lab files the page asks for, in order. */
function watchLabFiles(page: Page): string[] {
  const urls: string[] = [];
  page.on('request', (request) => {
    if (request.url().includes('/lab-files/')) urls.push(request.url());
  });
  return urls;
}
