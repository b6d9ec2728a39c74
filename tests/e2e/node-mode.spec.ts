/**
 * Node mode's switch and its honest fallback, with the real `@webcontainer/api` (which cannot boot here:
 * it loads from StackBlitz's servers). The site is served twice by our static server: plain (no special
 * headers: Node mode says what it needs) and with COOP/COEP (cross-origin isolated: the switch is offered,
 * and the rest of the site — Pagefind search, the worker engine — must keep working under COEP).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { startStaticServer, type RunningStaticServer } from '../../src/node/static-server.ts';
import { blockExternalRequests, DIST, labHydrated, listLessonPages, sample } from './helpers.ts';
import { bridgeStandIn } from './standin-bridge.ts';

const labTitle = (id: string): string =>
  (JSON.parse(readFileSync(`labs/${id}/lab.json`, 'utf8')) as { title: string }).title;
const lab = { title: labTitle('sse-reader') };
async function lessonOf(id: string): Promise<string> {
  for (const page of await listLessonPages()) {
    if (readFileSync(join(DIST, page, 'index.html'), 'utf8').includes(`data-lab="${id}"`))
      return page;
  }
  throw new Error(`No built page embeds <Lab id="${id}" />`);
}
const LESSON = await lessonOf('sse-reader');
const BACKEND_LESSON = await lessonOf('ui-backend');

let isolated: RunningStaticServer;
test.beforeAll(async () => {
  isolated = await startStaticServer({ root: DIST, port: 0 });
  isolated.server.prependListener('request', (_req, res) => {
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    res.setHeader('Cross-Origin-Embedder-Policy', 'require-corp');
  });
});
test.afterAll(() => isolated?.close());
// Lesson pages hydrate slowly on a busy machine.
test.describe.configure({ timeout: 180_000 });

async function openLab(page: Page, url: string, title = lab.title): Promise<Locator> {
  await page.goto(url);
  const section = page.getByRole('region', { name: title });
  await section.scrollIntoViewIfNeeded();
  await labHydrated(section, 45_000);
  return section;
}
const nodeSwitch = (section: Locator): Locator =>
  section.getByRole('switch', { name: 'Node mode' });

test('without isolation headers there is no switch, and a line says what Node mode needs', async ({
  page,
}) => {
  const section = await openLab(page, LESSON);
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(false);
  await expect(section.locator('[data-nodemode="unavailable"]')).toContainText(
    'Cross-Origin-Embedder-Policy',
  );
  await expect(nodeSwitch(section)).toHaveCount(0);
});

test(
  'under COOP/COEP: isolated, search and the worker engine still work, Node mode is offered',
  sample(false),
  async ({ page }) => {
    const { blocked } = await blockExternalRequests(page);
    const section = await openLab(page, `${isolated.url}${LESSON}`);
    expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
    await expect(nodeSwitch(section)).not.toBeChecked();

    // The worker engine runs under COEP: the starter's output reaches the console.
    await section.getByRole('button', { name: 'Run', exact: true }).click();
    await expect(section.locator('.lab-console__line').first()).toBeVisible({ timeout: 30_000 });

    await page.keyboard.press('Control+k');
    await page.getByRole('searchbox', { name: 'Search lessons' }).fill('stream');
    await expect(page.locator('.search-dialog .results > li > a').first()).toBeVisible({
      timeout: 20_000,
    });
    expect(blocked).toEqual([]);
  },
);

test('offline: the switch says so, without loading anything, and stays off', async ({
  page,
  context,
}) => {
  const section = await openLab(page, `${isolated.url}${LESSON}`);
  await context.setOffline(true);
  await nodeSwitch(section).click();
  await expect(section.locator('.lab-nodemode')).toHaveAttribute('data-nodemode', 'unavailable');
  await expect(section.locator('.lab-nodemode__status')).toContainText('offline');
  await expect(nodeSwitch(section)).not.toBeChecked();
});

test(
  'StackBlitz unreachable: the real boot is given up after 15 s, never an endless spinner',
  sample(false),
  async ({ page }) => {
    const { blocked } = await blockExternalRequests(page);
    const section = await openLab(page, `${isolated.url}${LESSON}`);
    await nodeSwitch(section).click();
    await expect(section.locator('.lab-nodemode')).toHaveAttribute('data-nodemode', 'booting');
    await expect(section.locator('.lab-nodemode')).toHaveAttribute('data-nodemode', 'unavailable', {
      timeout: 30_000,
    });
    await expect(section.locator('.lab-nodemode__status')).toContainText(
      'did not start within 15 s',
    );
    // The real package tried to load its runtime from StackBlitz.
    expect(blocked.some((url) => new URL(url).hostname.endsWith('stackblitz.com'))).toBe(true);
  },
);

/**
 * Turns Node mode on. On a busy machine the boot can pass its 15 s limit: the switch then says so and the
 * boot goes on, so turning it on again (as a learner would) finds it ready.
 */
async function turnOnNodeMode(section: Locator): Promise<void> {
  const mode = section.locator('.lab-nodemode');
  for (let attempt = 0; attempt < 3; attempt++) {
    await nodeSwitch(section).click();
    await expect(mode).toHaveAttribute('data-nodemode', /^(on|unavailable)$/, { timeout: 30_000 });
    if ((await mode.getAttribute('data-nodemode')) === 'on') return;
    await expect(section.locator('.lab-nodemode__status')).toContainText(
      'did not start within 15 s',
    );
  }
  await expect(mode).toHaveAttribute('data-nodemode', 'on');
}

test.describe('Node mode against the stand-in container (real Node processes behind the page)', () => {
  test(
    'a run goes through Node, and the terminal runs curl -N against the mock',
    sample(false),
    async ({ page }) => {
      const { blocked } = await blockExternalRequests(page);
      const bridge = await bridgeStandIn(page);
      try {
        const section = await openLab(page, `${isolated.url}${LESSON}`);
        await turnOnNodeMode(section);
        await section.getByRole('button', { name: 'Run', exact: true }).click();
        await expect(section.locator('.lab-console__line').first()).toBeVisible({
          timeout: 30_000,
        });
        // The run went through the container: the engine saved the editor's file there.
        expect(await bridge.container()!.fs.readFile('sse-reader.ts', 'utf8')).toContain('export');

        const screen = section.locator('.lab-terminal__screen');
        await expect(screen).toContainText('Node mode: a shell', { timeout: 30_000 });
        await screen.click();
        const body =
          '{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"hi"}]}';
        await page.keyboard.type(
          `curl -N http://localhost:8787/scenarios/fast/v1/chat/completions -d '${body}'`,
        );
        await page.keyboard.press('Enter');
        await expect(screen).toContainText('data: [DONE]', { timeout: 30_000 });
        expect(blocked).toEqual([]);
      } finally {
        await bridge.close();
      }
    },
  );

  test(
    "lesson 6's backend runs as a real server, and the preview's page streams its answer",
    sample(false),
    async ({ page }) => {
      const { blocked } = await blockExternalRequests(page);
      const bridge = await bridgeStandIn(page);
      try {
        const section = await openLab(
          page,
          `${isolated.url}${BACKEND_LESSON}`,
          labTitle('ui-backend'),
        );
        const editor = section.getByRole('textbox', { name: /^Code editor:/ });
        await editor.click();
        await page.keyboard.press('ControlOrMeta+a');
        await page.keyboard.insertText(readFileSync('labs/ui-backend/solution.ts', 'utf8'));
        await turnOnNodeMode(section);
        await section.getByRole('button', { name: 'Start my server' }).click();
        const frame = section.frameLocator('iframe[title^="Preview: a chat page"]');
        await frame.getByRole('button', { name: 'Send' }).click();
        await expect(frame.locator('#status')).toContainText('Done (finish reason: stop)', {
          timeout: 30_000,
        });
        await expect(frame.locator('#output')).not.toBeEmpty();
        expect(blocked).toEqual([]);
      } finally {
        await bridge.close();
      }
    },
  );
});
