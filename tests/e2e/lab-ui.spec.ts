/**
 * The lab UI against the built site: the SSE reader lab on its lesson page. Finds elements by role and
 * label, as a learner (or a screen reader) would.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import AxeBuilder from '@axe-core/playwright';
import { join } from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { DIST, labHydrated, listLessonPages, sample, setTheme } from './helpers.ts';

const LAB_DIR = new URL('../../labs/sse-reader/', import.meta.url);
const lab = JSON.parse(readFileSync(new URL('lab.json', LAB_DIR), 'utf8')) as {
  title: string;
  lesson: string;
  hints: string[];
  timeLimitMs: number;
};
const starter = readFileSync(new URL('starter.ts', LAB_DIR), 'utf8');
const solution = readFileSync(new URL('solution.ts', LAB_DIR), 'utf8');
/** The lesson page that embeds the lab, found in the built site (relative to the base URL). */
const LESSON_URL = await (async () => {
  for (const page of await listLessonPages()) {
    const html = readFileSync(join(DIST, page, 'index.html'), 'utf8');
    if (html.includes('data-lab="sse-reader"')) return page;
  }
  throw new Error(`No page in ${DIST}/lessons embeds <Lab id="sse-reader" />`);
})();

/** The lab section, hydrated and with its editor mounted. */
async function openLab(page: Page): Promise<Locator> {
  await page.goto(LESSON_URL);
  const section = page.getByRole('region', { name: lab.title });
  await section.scrollIntoViewIfNeeded();
  await labHydrated(section);
  await expect(editorContent(section)).toBeVisible();
  return section;
}

const editorContent = (section: Locator): Locator =>
  section.getByRole('textbox', { name: 'Code editor: sse-reader.ts' });

/** The editor's text, read from CodeMirror's state (the DOM holds only the lines in view). */
async function editorText(section: Locator): Promise<string> {
  return editorContent(section).evaluate((el) => {
    // `.cm-content` carries CodeMirror's tile, whose root knows the view (what findFromDOM reads).
    const tile = (el as unknown as { cmTile?: { root?: { view?: { state: { doc: object } } } } })
      .cmTile;
    const doc = tile?.root?.view?.state.doc;
    if (!doc) throw new Error('no CodeMirror view on .cm-content');
    return String(doc);
  });
}

/** Replaces the editor's whole text as a paste would. */
async function pasteCode(page: Page, section: Locator, code: string): Promise<void> {
  await editorContent(section).click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.insertText(code);
  await expect.poll(() => editorText(section)).toBe(code);
}

const runButton = (section: Locator): Locator =>
  section.getByRole('button', { name: 'Run', exact: true });
const status = (section: Locator): Locator => section.locator('.lab-status');
const checksSummary = (section: Locator): Locator => section.locator('.lab-checks__summary');

test.describe('lab UI', () => {
  test('the TypeScript language service is a lazy chunk, not part of the island', async () => {
    const assets = join(DIST, '_astro');
    const files = readdirSync(assets);
    const island = files.find((f) => /^LabIsland\.[\w-]+\.js$/.test(f));
    expect(island, 'LabIsland chunk in dist/_astro').toBeDefined();
    const islandJs = readFileSync(join(assets, island!), 'utf8');
    // The island only references the type-aware chunk through a dynamic import()...
    expect(islandJs).toMatch(/import\(["'`][^"'`]*extensions\.[\w-]+\.js["'`]\)/);
    expect(islandJs).not.toMatch(/ts\.worker-[\w-]+\.js/);
    // ...and that chunk is what starts the worker holding TypeScript and the declarations.
    const extensions = files.find((f) => /^extensions\.[\w-]+\.js$/.test(f))!;
    expect(readFileSync(join(assets, extensions), 'utf8')).toMatch(/ts\.worker-[\w-]+\.js/);
  });

  test('renders the starter code without JavaScript', async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(LESSON_URL);
    const section = page.getByRole('region', { name: lab.title });
    await expect(section.locator('pre.lab-editor__static')).toContainText(
      'export async function streamText',
    );
    await context.close();
  });

  test('Run streams console output and shows the checks; the starter fails', async ({ page }) => {
    const section = await openLab(page);
    await runButton(section).click();
    await expect(status(section)).toContainText(/Run finished|threw/, { timeout: 15_000 });
    await expect(section.getByRole('log')).toContainText('streamText returned');
    await expect(checksSummary(section)).not.toHaveText(/All \d+ checks passed|The check passed/);
    await expect(section.locator('.lab-check--fail').first()).toBeVisible();
  });

  test('pasting the solution passes every check, marks the lab passed and counts it in the course map', async ({
    page,
  }) => {
    // Every check runs in real time in the page (one-byte reads take seconds): as long as the grader tests.
    test.setTimeout(90_000);
    const section = await openLab(page);
    await pasteCode(page, section, solution);
    await section.getByRole('button', { name: 'Run all checks' }).click();
    await expect(checksSummary(section)).toHaveText(/^All \d+ checks passed$/, { timeout: 75_000 });
    await expect(section.locator('.lab-check--fail')).toHaveCount(0);
    const stored = await page.evaluate(() => localStorage.getItem('streamlab:progress') ?? '');
    expect(stored).toContain('"passedOnce":true');
    await expect(status(section)).toContainText('Lab passed.');
    // The lesson has two labs: the course map counts this one, and does not call the lesson done yet.
    const slug = LESSON_URL.split('/').at(-2)!;
    const entry = page.locator(`[data-lesson-slug="${slug}"]`).first();
    await expect(entry.locator('[data-lab-count]')).toContainText('1 of 2 labs');
    await expect(entry).not.toHaveAttribute('data-state', 'done');
  });

  // One test per buggy file, so the workers share them: each is graded in Node (where waits are
  // skipped), then run with every check in the page (in real time), and the verdicts compared.
  for (const file of readdirSync(new URL('buggy/', LAB_DIR)).sort()) {
    // The sample compares one file; the grader verifies every buggy file of every lab in Node.
    test(
      `the page and the command-line grader agree on every check of buggy/${file}`,
      sample(false),
      async ({ page }) => {
        test.setTimeout(90_000);
        const section = await openLab(page);
        const path = new URL(file, new URL('buggy/', LAB_DIR)).pathname;
        const graded = spawnSync(
          process.execPath,
          ['src/cli/streamlab.ts', 'grade', 'sse-reader', path, '--json'],
          {
            cwd: new URL('../../', import.meta.url).pathname,
            encoding: 'utf8',
            maxBuffer: 256 * 1024 * 1024,
          },
        );
        expect(graded.status, `grader exit code for ${file}: ${graded.stderr}`).toBe(1);
        const recording = JSON.parse(graded.stdout) as {
          checks: Array<{ id: string; status: string }>;
        };
        const fromGrader = recording.checks.map((c) => `${c.id}=${c.status}`).sort();
        expect(fromGrader.length, `grader ran checks on ${file}`).toBeGreaterThan(3);

        await pasteCode(page, section, readFileSync(path, 'utf8'));
        await section.getByRole('button', { name: 'Run all checks' }).click();
        await expect(status(section)).toContainText('Running', { timeout: 5_000 });
        await expect(status(section)).toContainText(/Run finished|threw/, { timeout: 30_000 });
        const rows = section.locator('.lab-check[data-check-id]');
        await expect(rows).toHaveCount(fromGrader.length, { timeout: 30_000 });
        const fromPage = (
          await rows.evaluateAll((els) =>
            els.map(
              (el) => `${el.getAttribute('data-check-id')}=${el.getAttribute('data-status')}`,
            ),
          )
        ).sort();
        expect(fromPage, `page and grader on buggy/${file}`).toEqual(fromGrader);
      },
    );
  }

  test('Ctrl+Enter in the editor runs', sample(false), async ({ page }) => {
    const section = await openLab(page);
    await editorContent(section).click();
    await page.keyboard.press('Control+Enter');
    await expect(status(section)).toContainText(/Run finished|threw/, { timeout: 15_000 });
    await expect(section.getByRole('log')).toContainText('streamText returned');
  });

  test('hints are revealed one at a time', sample(false), async ({ page }) => {
    const section = await openLab(page);
    const hints = section.getByRole('group', { name: 'Hints' });
    await hints.getByRole('button', { name: `Show hint 1 of ${lab.hints.length}` }).click();
    await expect(hints.getByRole('listitem')).toHaveCount(1);
    await expect(hints.getByRole('listitem').first()).toBeFocused();
    await hints.getByRole('button', { name: `Show hint 2 of ${lab.hints.length}` }).click();
    await expect(hints.getByRole('listitem')).toHaveCount(2);
    // Revealed hints are progress: they are still there after a reload, without taking the focus.
    const again = (await openLab(page)).getByRole('group', { name: 'Hints' });
    await expect(again.getByRole('listitem')).toHaveCount(2);
    await expect(again.getByRole('listitem').first()).not.toBeFocused();
    await expect(again.getByRole('listitem').nth(1)).not.toBeFocused();
    await expect(
      again.getByRole('button', { name: `Show hint 3 of ${lab.hints.length}` }),
    ).toBeVisible();
  });

  test('Reset restores the starter and can be undone', sample(false), async ({ page }) => {
    const section = await openLab(page);
    await pasteCode(page, section, '// my work\n');
    await section.getByRole('button', { name: 'Reset' }).click();
    await expect.poll(() => editorText(section)).toBe(starter);
    await section.getByRole('button', { name: 'Undo reset' }).click();
    await expect.poll(() => editorText(section)).toBe('// my work\n');
    // Ctrl+Z in the editor works too.
    await section.getByRole('button', { name: 'Reset' }).click();
    await expect.poll(() => editorText(section)).toBe(starter);
    await page.keyboard.press('ControlOrMeta+z');
    await expect.poll(() => editorText(section)).toBe('// my work\n');
  });

  test(
    'Show solution diffs beside the code without overwriting it',
    sample(false),
    async ({ page }) => {
      const section = await openLab(page);
      const mine = starter.replace("let text = '';", "let text = ''; // mine");
      await pasteCode(page, section, mine);
      // The solution is a file of its own, fetched on the first Show: a slow one says it is coming.
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      await page.route('**/solution.txt', async (route) => {
        await held;
        await route.continue();
      });
      await section.getByRole('button', { name: 'Show solution' }).click();
      const loading = section.getByRole('status').filter({ hasText: 'Loading the solution…' });
      await expect(loading).toBeVisible();
      release();
      await expect(loading).toHaveCount(0);
      const diff = section.getByRole('group', { name: 'Solution compared with your code' });
      await expect(diff.getByRole('textbox', { name: /^Solution/ })).toContainText(
        'const decoder = new TextDecoder();',
      );
      await expect(diff.locator('.cm-changedLine, .cm-deletedChunk').first()).toBeVisible();
      expect(await editorText(section)).toBe(mine);
      await diff.getByRole('button', { name: 'Hide solution' }).click();
      await expect(diff).toHaveCount(0);
      expect(await editorText(section)).toBe(mine);
    },
  );

  test('edits survive a reload', sample(false), async ({ page }) => {
    const section = await openLab(page);
    await pasteCode(page, section, `${starter}\n// kept across reloads\n`);
    await page.waitForTimeout(800); // the save is debounced
    const again = await openLab(page);
    await expect.poll(() => editorText(again)).toContain('// kept across reloads');
  });

  test(
    'an uncaught error shows file:line:col, jumps there, and marks it in the editor',
    sample(false),
    async ({ page }) => {
      const section = await openLab(page);
      const code = starter.replace(
        "  let text = '';",
        "  let text = '';\n  throw new RangeError('boom');",
      );
      const line =
        code.split('\n').findIndex((l) => l.includes("throw new RangeError('boom')")) + 1;
      await pasteCode(page, section, code);
      await runButton(section).click();
      const log = section.getByRole('log');
      await expect(log).toContainText('RangeError: boom', { timeout: 15_000 });
      const where = log.getByRole('button', { name: new RegExp(`^sse-reader\\.ts:${line}:\\d+$`) });
      await expect(where.first()).toBeVisible();
      await expect(section.locator('.cm-lintRange-error').first()).toBeVisible();
      await where.first().click();
      await expect(editorContent(section)).toBeFocused();
      await expect(section.locator('.cm-activeLine')).toContainText("throw new RangeError('boom')");
    },
  );

  test('runaway code is stopped after the time limit, and says so', async ({ page }) => {
    const section = await openLab(page);
    await pasteCode(
      page,
      section,
      'export async function streamText(): Promise<string> {\n  for (;;) {}\n}\n',
    );
    await runButton(section).click();
    await expect(status(section)).toContainText(/Stopped after the .* time limit/, {
      timeout: lab.timeLimitMs + 15_000,
    });
    await expect(section.getByRole('log')).toContainText('time limit');
  });

  test('Stop ends a run at once', async ({ page }) => {
    const section = await openLab(page);
    await pasteCode(
      page,
      section,
      'export async function streamText(): Promise<string> {\n  return new Promise(() => {});\n}\n',
    );
    await runButton(section).click();
    await section.getByRole('button', { name: 'Stop' }).click();
    await expect(status(section)).toHaveText(/^Stopped\./);
    await expect(section.getByRole('log')).toHaveText('Stopped.');
  });

  test('the scenario picker offers the lab scenarios and more', sample(false), async ({ page }) => {
    const section = await openLab(page);
    const picker = section.getByLabel('Scenario');
    await expect(picker.locator('optgroup[label="This lab"] option').first()).toHaveText(/default/);
    await expect(picker.locator('optgroup[label^="Explore"] option').first()).toBeAttached();
  });

  test(
    'type-aware completion appears after the language service loads',
    sample(false),
    async ({ page }) => {
      const workers: string[] = [];
      page.on('request', (r) => {
        if (/ts\.worker|extensions\.[\w-]+\.js/.test(r.url())) workers.push(r.url());
      });
      const section = await openLab(page);
      // Scrolled into view and ready to run: the language service is not loaded yet...
      await expect(runButton(section)).toBeEnabled();
      expect(workers).toEqual([]);
      // ...the first edit (here: focusing the editor) loads it.
      await editorContent(section).click();
      await expect(section.getByText('Type checking on')).toBeVisible({ timeout: 30_000 });
      await pasteCode(
        page,
        section,
        'export async function f(response: Response) {\n  response.body!.\n}\n',
      );
      await page.keyboard.press('ControlOrMeta+Home');
      await page.keyboard.press('ArrowDown');
      await page.keyboard.press('End');
      await page.keyboard.type('getR');
      await expect(page.locator('.cm-tooltip-autocomplete')).toContainText('getReader');
    },
  );

  for (const theme of ['light', 'dark'] as const) {
    test(`axe finds no violations in the lab (${theme})`, sample(false), async ({ page }) => {
      await setTheme(page, theme);
      const section = await openLab(page);
      expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe(theme);
      await runButton(section).click();
      await expect(status(section)).toContainText(/Run finished|threw/, { timeout: 15_000 });
      await section.getByRole('button', { name: /^Show hint 1/ }).click();
      await section.getByRole('button', { name: 'Show solution' }).click();
      await expect(section.locator('.lab-solution__diff[data-state="ready"]')).toBeAttached();
      const results = await new AxeBuilder({ page }).include('.lab').analyze();
      expect(
        results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(' ')}`),
      ).toEqual([]);
    });
  }
});
