/**
 * The lab sandbox against the built site: learner code runs in a Web Worker started from a blob: URL in a
 * `sandbox="allow-scripts"` frame (opaque origin) whose CSP says `connect-src 'none'`. Code that reaches for
 * the page, its storage or the network gets an error in the lab's console, and the page is unharmed;
 * runaway code is stopped at the time limit while the page stays responsive.
 */
import { readFileSync } from 'node:fs';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { blockExternalRequests, labHydrated, sample } from './helpers.ts';

const lab = JSON.parse(
  readFileSync(new URL('../../labs/sse-reader/lab.json', import.meta.url), 'utf8'),
) as { title: string; lesson: string; timeLimitMs: number };
const BASE = (process.env.BASE_PATH ?? '/').replace(/\/?$/, '/');
/** The page embedding the lab: its lesson (`LAB_PAGE` overrides it, e.g. for a scratch page). */
const LESSON_URL = process.env.LAB_PAGE ?? `${BASE}lessons/${lab.lesson}/`;
const PROBE_KEY = 'streamlab:sandbox-probe';

async function openLab(page: Page): Promise<Locator> {
  await page.goto(LESSON_URL);
  const section = page.getByRole('region', { name: lab.title });
  await section.scrollIntoViewIfNeeded();
  await labHydrated(section);
  return section;
}

/** Replaces the editor's text (as a paste would) and clicks Run. */
async function run(page: Page, section: Locator, code: string): Promise<void> {
  const editor = section.getByRole('textbox', { name: /^Code editor/ });
  await editor.click();
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.insertText(code);
  await section.getByRole('button', { name: /^Run/ }).first().click();
}

/** A learner file whose `streamText` runs `body` (the driver and the visible checks call it). */
const learner = (body: string): string =>
  `export async function streamText(response: Response, onText: (t: string) => void): Promise<string> {\n${body}\n  return '';\n}\n`;

test.describe('lab sandbox', () => {
  test(
    'learner code cannot read the page, its storage or its DOM',
    sample(false),
    async ({ page }) => {
      const section = await openLab(page);
      await page.evaluate((key) => localStorage.setItem(key, 'untouched'), PROBE_KEY);
      const title = await page.title();
      await run(
        page,
        section,
        learner(
          [
            `  console.log('globals', typeof window, typeof document, typeof localStorage, typeof parent, typeof self);`,
            `  try { indexedDB.open('x'); console.log('idb open'); } catch (e) { console.log('idb denied', String(e)); }`,
            `  localStorage.setItem('${PROBE_KEY}', 'changed by the lab');`,
          ].join('\n'),
        ),
      );
      const log = section.getByRole('log');
      // Learner code's global scope has no such names: reading one is a ReferenceError or undefined.
      await expect(log).toContainText(/localStorage is not defined|reading 'setItem'/, {
        timeout: 15_000,
      });
      // Learner code has its own global scope (src/lab/run/compartment.ts): none of these exist there.
      await expect(log).toContainText('globals undefined undefined undefined undefined undefined');
      await expect(log).toContainText(
        /idb denied (ReferenceError: indexedDB is not defined|TypeError: Cannot read properties of undefined \(reading 'open'\))/,
      );
      expect(await page.evaluate((key) => localStorage.getItem(key), PROBE_KEY)).toBe('untouched');
      expect(await page.title()).toBe(title);

      await run(page, section, learner(`  document.title = 'pwned';`));
      await expect(log).toContainText(/document is not defined|setting 'title'/, {
        timeout: 15_000,
      });
      expect(await page.title()).toBe(title);
    },
  );

  test(
    'learner code cannot reach the network: fetch, XHR, importScripts, nested workers',
    sample(false),
    async ({ page }) => {
      const external = await blockExternalRequests(page.context());
      // Chromium may report a request that its CSP then refuses; what matters is that none got an answer.
      const probes: string[] = [];
      page.context().on('requestfinished', (request) => {
        if (request.url().includes('sandbox-probe')) probes.push(request.url());
      });
      const section = await openLab(page);
      const origin = new URL(page.url()).origin;
      await run(
        page,
        section,
        learner(
          [
            `  try { await fetch('https://example.com/sandbox-probe'); console.log('fetch leaked'); } catch (e) { console.log('fetch:', String(e)); }`,
            // The learner's scope has no XMLHttpRequest, importScripts or Worker (each attempt throws);
            // the sandbox frame's CSP would refuse them if it had.
            `  await new Promise<void>((done) => {`,
            `    const x = new XMLHttpRequest();`,
            `    x.open('GET', '${origin}/sandbox-probe-xhr');`,
            `    x.onload = () => { console.log('xhr leaked'); done(); };`,
            `    x.onerror = () => { console.log('xhr blocked'); done(); };`,
            `    x.send();`,
            `  }).catch((e) => console.log('xhr blocked', String(e)));`,
            `  try { (globalThis as any).importScripts('${origin}/sandbox-probe.js'); console.log('import leaked'); } catch { console.log('importScripts blocked'); }`,
            `  const source = 'fetch("${origin}/sandbox-probe-nested").then(() => postMessage("leaked"), () => postMessage("blocked"))';`,
            `  try {`,
            `    const inner = new Worker(URL.createObjectURL(new Blob([source])));`,
            `    console.log('nested worker', await new Promise((r) => { inner.onmessage = (e) => r(e.data); inner.onerror = () => r('blocked'); }));`,
            `  } catch (e) { console.log('nested worker blocked', String(e)); }`,
          ].join('\n'),
        ),
      );
      const log = section.getByRole('log');
      await expect(log).toContainText('nested worker blocked', { timeout: 15_000 });
      await expect(log).toContainText('fetch: TypeError: fetch to https://example.com is blocked');
      await expect(log).toContainText('xhr blocked');
      await expect(log).toContainText('importScripts blocked');
      await expect(log).not.toContainText('leaked');
      expect(probes).toEqual([]);
      expect(external.blocked).toEqual([]);
    },
  );

  test(
    'a console flood is capped and a memory bomb is stopped; the page stays usable',
    sample(false),
    async ({ page }) => {
      test.setTimeout(lab.timeLimitMs * 2 + 40_000);
      const section = await openLab(page);
      const log = section.getByRole('log');
      await run(page, section, learner(`  for (let i = 0; i < 1e6; i++) console.log('flood', i);`));
      await expect(log).toContainText('Console output stopped after 500 lines', {
        timeout: 15_000,
      });

      await run(
        page,
        section,
        learner(
          `  const hoard: string[] = [];\n  for (;;) hoard.push('x'.repeat(1 << 20) + hoard.length);`,
        ),
      );
      // The page keeps answering while the worker eats memory, until the time limit stops it.
      await expect.poll(() => page.evaluate(() => 1 + 1), { timeout: 2_000 }).toBe(2);
      await expect(section.locator('.lab-status')).toContainText(/Stopped|time limit|memory/, {
        timeout: lab.timeLimitMs + 15_000,
      });

      const solution = readFileSync(
        new URL('../../labs/sse-reader/solution.ts', import.meta.url),
        'utf8',
      );
      await run(page, section, solution);
      await expect(log).toContainText('streamText returned', { timeout: 15_000 });
    },
  );
  test('forging the verdict fails: patched intrinsics and prototypes, the port, postMessage, a printed verdict', async ({
    page,
  }) => {
    const section = await openLab(page);
    const attacks = {
      'Promise.race': `(Promise as any).race = () => Promise.resolve();`,
      'Array.prototype.every': `Array.prototype.every = () => true;`,
      'JSON.parse': `JSON.parse = () => ({});`,
      'Function constructor': `(function () {}).constructor('return self')().postMessage([]);`,
      'Response.prototype.text': `Response.prototype.text = async () => '';`,
      'ReadableStream.prototype.getReader': `(ReadableStream.prototype as any).getReader = () => ({});`,
      'Symbol.asyncIterator': `Object.defineProperty(Symbol, 'asyncIterator', { value: Symbol('x') });`,
      'MessagePort.prototype.postMessage': `(globalThis as any).MessagePort.prototype.postMessage = () => {};`,
      postMessage: `(globalThis as any).postMessage([{ type: 'check', result: { id: 'whole-text', status: 'pass' } }]);`,
      'eval to the worker': `(0, eval)('self').postMessage([]);`,
    };
    const prelude = [
      'const attacks: Array<[string, () => unknown]> = [',
      ...Object.entries(attacks).map(
        ([name, body]) => `  [${JSON.stringify(name)}, () => { ${body} }],`,
      ),
      '];',
      'for (const [name, attack] of attacks) {',
      '  try { attack(); console.log(`ATTACK-WORKED ${name}`); } catch { console.log(`refused ${name}`); }',
      '}',
      `console.log('All 9 checks passed');`,
    ].join('\n');
    const starter = readFileSync(
      new URL('../../labs/sse-reader/starter.ts', import.meta.url),
      'utf8',
    );
    await run(page, section, `${prelude}\n${starter}`);
    const log = section.getByRole('log');
    await expect(log).toContainText('refused eval to the worker', { timeout: 15_000 });
    await expect(log).not.toContainText('ATTACK-WORKED');
    await section.getByRole('button', { name: 'Run all checks' }).click();
    // The starter's honest verdict: it fails (it returns no text), whatever the prelude tried.
    await expect(section.locator('.lab-checks__summary')).toHaveText(/^\d+ of \d+ checks passed/, {
      timeout: 4 * lab.timeLimitMs + 15_000,
    });
    await expect(section.locator('.lab-check--fail').first()).toBeVisible();
    await expect(log).not.toContainText('ATTACK-WORKED');
  });
});
