/**
 * The hand-in: "Download my work" on the home page saves one zip of the learner's saved lab code, in
 * the shape `streamlab grade` takes (`<lab-id>.ts` per lab, `streamlab-work.json`).
 */
import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { strFromU8, unzipSync } from 'fflate';

test('@full "Download my work" zips the saved code of every lab touched', async ({ page }) => {
  await page.goto('./');
  const button = page.locator('[data-handin]');
  await expect(button).toBeDisabled();
  await page.evaluate(() => {
    const at = Date.UTC(2026, 10, 29, 14, 0);
    localStorage.setItem(
      'streamlab:progress',
      JSON.stringify({
        version: 1,
        lessons: {},
        labs: { 'sse-reader': { code: 'export const mine = "ada";\n', runs: 0, at } },
        quizzes: {},
      }),
    );
  });
  await page.reload();
  await expect(button).toHaveText(/Download my work \(1 lab, \.zip\)/);
  const [download] = await Promise.all([page.waitForEvent('download'), button.click()]);
  expect(download.suggestedFilename()).toMatch(/^streamlab-work-\d{4}-\d\d-\d\d\.zip$/);
  const files = unzipSync(new Uint8Array(await readFile(await download.path())));
  expect(Object.keys(files).sort()).toEqual(['sse-reader.ts', 'streamlab-work.json']);
  expect(strFromU8(files['sse-reader.ts']!)).toMatch(
    /^\/\/ .*sse-reader.*\nexport const mine = "ada";\n$/,
  );
  expect(JSON.parse(strFromU8(files['streamlab-work.json']!))).toMatchObject({
    labs: [{ id: 'sse-reader', file: 'sse-reader.ts', passed: false }],
  });
});
