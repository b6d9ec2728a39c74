/**
 * The timeline against the built site: the recorded run embedded in lesson 1 (its "Chunk timeline"
 * table matches the run file), export and import of runs, keyboard reachability of marks, the SSE
 * inspector in lesson 2, and axe on both. Elements are found by role and accessible name.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Locator, type Page } from '@playwright/test';
import type { RunRecording } from '../../src/lab/run/recording.ts';
import { DIST, sample, setTheme } from './helpers.ts';

const BASE = (process.env.BASE_PATH ?? '/').replace(/\/?$/, '/');
const RUN_FILE = new URL('../../content/runs/ttft-default.json', import.meta.url);
const run = JSON.parse(readFileSync(RUN_FILE, 'utf8')) as RunRecording;

/** The built lesson page whose HTML contains `marker` (so the spec follows the lessons, not slugs). */
function lessonWith(marker: string): string {
  const lessons = join(process.env.E2E_DIST ?? DIST, 'lessons');
  for (const slug of readdirSync(lessons).sort()) {
    const html = readFileSync(join(lessons, slug, 'index.html'), 'utf8');
    if (html.includes(marker)) return `${BASE}lessons/${slug}/`;
  }
  throw new Error(`no built lesson contains ${marker}; build the site first (npm run build)`);
}

/** Rows the table must show for a run: per attempt, each read followed by the events it completed. */
function expectedRows(recording: RunRecording): { time: string; kind: string; bytes: string }[] {
  const origin = recording.attempts[0]?.tRequest ?? 0;
  const time = (t: number): string => String(Math.round((t - origin) * 10) / 10);
  const rows: { time: string; kind: string; bytes: string }[] = [];
  for (const attempt of recording.attempts) {
    attempt.reads.forEach((read, i) => {
      rows.push({ time: time(read.t), kind: 'read', bytes: String(read.size) });
      for (const event of attempt.events.filter((e) => e.read === i)) {
        const bytes = new TextEncoder().encode(event.data).length;
        rows.push({ time: time(event.t), kind: 'event', bytes: String(bytes) });
      }
    });
  }
  return rows;
}

/** The recorded run's panel, hydrated. */
async function recordedRun(page: Page): Promise<Locator> {
  await page.goto(lessonWith('data-run="ttft-default"'));
  const embed = page.locator('.recorded-run[data-run="ttft-default"]').first();
  await embed.scrollIntoViewIfNeeded();
  await expect(embed.locator('astro-island:not([ssr])')).toHaveCount(1);
  return embed;
}

async function tableRows(table: Locator): Promise<{ time: string; kind: string; bytes: string }[]> {
  return table.locator('tbody tr').evaluateAll((trs) =>
    trs.map((tr) => {
      const cells = [...tr.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? '');
      return { time: cells[0]!, kind: cells[1]!, bytes: cells[2]! };
    }),
  );
}

test.describe('timeline', () => {
  test('the recorded run in lesson 1 lists every read and event with the times of its file', async ({
    page,
  }) => {
    const embed = await recordedRun(page);
    const table = embed.getByRole('table', { name: 'Chunk timeline', exact: true });
    const expected = expectedRows(run);
    expect(expected.length).toBeGreaterThan(10);
    await expect(table.locator('tbody tr')).toHaveCount(expected.length);
    expect(await tableRows(table)).toEqual(expected);
    // The figures agree with the file: TTFT is the first content delta.
    await expect(embed.locator('[data-figure="readsVsEvents"]').first()).toHaveText(
      `${run.attempts[0]!.reads.length} / ${run.attempts[0]!.events.length}`,
    );
  });

  test('the table works without JavaScript', async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(lessonWith('data-run="ttft-default"'));
    const table = page
      .locator('.recorded-run[data-run="ttft-default"]')
      .first()
      .getByRole('table', { name: 'Chunk timeline', exact: true });
    await expect(table.locator('tbody tr')).toHaveCount(expectedRows(run).length);
    await context.close();
  });

  test(
    'exports a run as JSON and opens one back, with a clear error for a bad file',
    sample(false),
    async ({ page }) => {
      const embed = await recordedRun(page);
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        embed.getByRole('button', { name: 'Export run (JSON)' }).click(),
      ]);
      const exported = JSON.parse(readFileSync((await download.path())!, 'utf8')) as RunRecording;
      expect(exported).toEqual(run);

      // Open a shorter run: the table follows it.
      const shorter: RunRecording = structuredClone(run);
      const attempt = shorter.attempts[0]!;
      attempt.reads = attempt.reads.slice(0, 3);
      attempt.events = attempt.events.filter((e) => e.read < 3);
      shorter.label = 'Shared by the instructor';
      const input = embed.locator('input[type="file"]');
      await input.setInputFiles({
        name: 'shared.json',
        mimeType: 'application/json',
        buffer: Buffer.from(JSON.stringify(shorter)),
      });
      const table = embed.getByRole('table', { name: 'Chunk timeline', exact: true });
      await expect(table.locator('tbody tr')).toHaveCount(expectedRows(shorter).length);
      await expect(embed.getByText('Shared by the instructor')).toBeVisible();

      const broken = structuredClone(run) as unknown as {
        attempts: { reads: { size: unknown }[] }[];
      };
      broken.attempts[0]!.reads[1]!.size = 'big';
      await input.setInputFiles({
        name: 'broken.json',
        mimeType: 'application/json',
        buffer: Buffer.from(JSON.stringify(broken)),
      });
      await expect(embed.getByRole('alert')).toContainText('broken.json');
      await expect(embed.getByRole('alert')).toContainText('attempts[0].reads[1].size');
    },
  );

  test('every mark is reachable by keyboard and described', async ({ page }) => {
    const embed = await recordedRun(page);
    const marks = embed.getByRole('toolbar', { name: 'Marks' }).first().getByRole('button');
    const count = await marks.count();
    expect(count).toBeGreaterThanOrEqual(5);
    await marks.first().focus();
    const seen = new Set<string>();
    for (let i = 0; i < count; i++) {
      const name = await page.evaluate(
        () => document.activeElement?.getAttribute('aria-label') ?? '',
      );
      expect(name).toMatch(/ at [\d.]+ ms: .{10,}/);
      seen.add(name);
      await page.keyboard.press('ArrowRight');
    }
    expect(seen.size).toBe(count);
    expect([...seen].some((n) => n.startsWith('TTFT'))).toBe(true);
    await page.keyboard.press('Home');
    await expect(marks.first()).toBeFocused();
    await page.keyboard.press('End');
    await expect(marks.last()).toBeFocused();
    // The focused mark is described in text, not only drawn.
    await expect(embed.locator('.tl-readout').first()).toContainText(' ms — ');
    // Zoom keys change the visible window.
    const hint = embed.locator('.tl-hint').first();
    const before = await hint.textContent();
    await page.keyboard.press('+');
    await expect(hint).not.toHaveText(before!);
  });

  test(
    'the SSE inspector in lesson 2 turns reads into the same events however they are cut',
    sample(false),
    async ({ page }) => {
      await page.goto(lessonWith('SseInspectorIsland'));
      const inspector = page.locator('.tl-inspector');
      await inspector.scrollIntoViewIfNeeded();
      await expect(page.locator('.sse-inspector astro-island:not([ssr])')).toHaveCount(1);
      await inspector.getByLabel('Stream', { exact: true }).selectOption('chat-text');
      const status = inspector.getByRole('status');
      const table = inspector.getByRole('table', { name: 'Chunk timeline', exact: true });
      const eventsFor = async (mode: string): Promise<string[]> => {
        await inspector.getByLabel('Cut into reads').selectOption(mode);
        await expect(status).toContainText('Read 0 of');
        await inspector.getByRole('button', { name: 'Next read' }).click();
        await expect(status).toContainText('Read 1 of');
        await inspector.getByRole('button', { name: 'All reads' }).click();
        await expect(status).toContainText('stream ended');
        return table
          .locator('tbody tr.tl-row--event td:nth-child(4)')
          .evaluateAll((tds) => tds.map((td) => td.textContent ?? ''));
      };
      const whole = await eventsFor('events');
      expect(whole.length).toBeGreaterThan(4);
      expect(whole.at(-1)).toBe('end: [DONE]');
      expect(await eventsFor('random')).toEqual(whole);
      expect(await eventsFor('inside-char')).toEqual(whole);
      // A read cut inside a character is flagged.
      await expect(table.getByText('ends inside a character').first()).toBeVisible();
    },
  );

  for (const theme of ['light', 'dark'] as const) {
    test(
      `axe finds nothing in the timeline and the inspector (${theme})`,
      sample(false),
      async ({ page }) => {
        await setTheme(page, theme);
        await recordedRun(page);
        const one = await new AxeBuilder({ page }).include('.recorded-run').analyze();
        expect(
          one.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(', ')}`),
        ).toEqual([]);
        await page.goto(lessonWith('SseInspectorIsland'));
        await page.locator('.tl-inspector').scrollIntoViewIfNeeded();
        await expect(page.locator('.sse-inspector astro-island:not([ssr])')).toHaveCount(1);
        await page.locator('.tl-inspector').getByRole('button', { name: 'All reads' }).click();
        const two = await new AxeBuilder({ page }).include('.sse-inspector').analyze();
        expect(
          two.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target).join(', ')}`),
        ).toEqual([]);
      },
    );
  }
});
