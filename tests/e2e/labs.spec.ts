/**
 * Every lab in the built site, offline: Run draws its timeline, and the solution, pasted into the
 * editor, passes every check (visible and hidden) in the browser engine. Labs are enumerated from
 * `labs/`, and their pages from the built HTML, so a new lab is covered without editing this file.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { runTimeLimitMs } from '../../src/lab/run/limits.ts';
import { blockExternalRequests, DIST, labHydrated, listLessonPages, sample } from './helpers.ts';

// None: lab-ui.spec.ts passes the sse-reader solution in the page in the sample; here every lab, in full.
const SAMPLE_LABS: string[] = [];

const LABS = new URL('../../labs/', import.meta.url);
const labs = readdirSync(LABS, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => {
    const dir = new URL(`${entry.name}/`, LABS);
    const def = JSON.parse(readFileSync(new URL('lab.json', dir), 'utf8')) as {
      id: string;
      title: string;
      timeLimitMs: number;
      scenarios: string[];
    };
    // The scenario the lab checks that takes longest by design: where a limit too short would show.
    const slowest = [...def.scenarios].sort(
      (a, b) => runTimeLimitMs(def, b) - runTimeLimitMs(def, a),
    )[0]!;
    return {
      ...def,
      slowest,
      limitMs: runTimeLimitMs(def, slowest),
      solution: readFileSync(new URL('solution.ts', dir), 'utf8'),
    };
  });

const pages = await listLessonPages();
function pageOf(id: string): string {
  const page = pages.find((p) =>
    readFileSync(join(DIST, p, 'index.html'), 'utf8').includes(`data-lab="${id}"`),
  );
  if (!page) throw new Error(`No lesson page in ${DIST} embeds <Lab id="${id}" />`);
  return page;
}

async function replaceCode(page: Page, section: Locator, code: string): Promise<void> {
  const editor = section.getByRole('textbox', { name: /^Code editor:/ });
  await editor.click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.insertText(code);
}

test.describe('every lab in the page', () => {
  for (const lab of labs) {
    test(
      `${lab.id}: under its slowest scenario (${lab.slowest}), the solution passes every check and the run draws the timeline`,
      sample(SAMPLE_LABS.includes(lab.id)),
      async ({ page }) => {
        // Runs under slow scenarios take real time (measure-ttft runs for seconds on purpose).
        test.setTimeout(60_000 + 6 * lab.limitMs);
        const { blocked } = await blockExternalRequests(page.context());
        await page.goto(pageOf(lab.id));
        const section = page.getByRole('region', { name: lab.title });
        await section.scrollIntoViewIfNeeded();
        // Hydration waits for the island's chunks: seconds on a loaded two-core machine.
        await labHydrated(section);
        const status = section.locator('.lab-status');

        await replaceCode(page, section, lab.solution);
        await section.getByLabel('Scenario').selectOption(lab.slowest);
        // One full pass (the driver's Run, then every check, each with its own limit): under a slow
        // scenario a Run followed by Run all checks would take twice as long and prove nothing more.
        await section.getByRole('button', { name: 'Run all checks' }).click();
        await expect(status).toContainText('Running', { timeout: 5_000 });
        // The run ends (passed, failed or stopped at a limit); then its status says which.
        await expect(status).not.toContainText(/Running|Checking/, {
          timeout: 5 * lab.limitMs + 30_000,
        });
        expect(await status.innerText(), 'the status after the run').toMatch(
          /All \d+ checks passed/,
        );
        const rows = section.getByRole('table', { name: /Chunk timeline/ }).getByRole('row');
        expect(
          await rows.count(),
          'rows in the Chunk timeline table after the run',
        ).toBeGreaterThan(2);
        await expect(section.locator('.lab-check--fail')).toHaveCount(0);
        expect(blocked, 'requests that tried to leave the site').toEqual([]);
      },
    );
  }
});
