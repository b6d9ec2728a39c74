/**
 * End-to-end tests: Chromium against the BUILT site served as plain static files by our own server
 * (`streamlab serve`), twice: at `/` from dist/ (build it first: `npm run build`), and under `/course/`
 * from a second build made once per run by tests/e2e/build-course.ts, to prove sub-path deploys work.
 */
import { defineConfig } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import { chromiumLaunchOptions } from '../e2e/browser.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PORT = Number(process.env.E2E_PORT ?? 4400);
const COURSE_PORT = PORT + 1;

export default defineConfig({
  testDir: '../e2e',
  testMatch: '**/*.spec.ts',
  outputDir: '../.tmp/test-results',
  fullyParallel: true,
  // Two cores shared with the build: two workers keep the machine responsive.
  workers: 2,
  forbidOnly: Boolean(process.env.CI),
  retries: 0,
  timeout: 30_000,
  expect: { timeout: 5_000 },
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}/`,
    browserName: 'chromium',
    launchOptions: chromiumLaunchOptions(),
    trace: 'retain-on-failure',
    // Tests must not depend on the machine's colour scheme; specs set a theme when it matters.
    colorScheme: 'light',
  },
  webServer: [
    {
      command: `node src/cli/streamlab.ts serve dist --port ${PORT}`,
      cwd: ROOT,
      url: `http://127.0.0.1:${PORT}/`,
      reuseExistingServer: false,
      timeout: 30_000,
    },
    {
      // Builds the /course/ copy (skipped when it is newer than dist/), then serves it.
      command: `node tests/e2e/build-course.ts && node src/cli/streamlab.ts serve tests/.tmp/dist-course --base /course/ --port ${COURSE_PORT}`,
      cwd: ROOT,
      url: `http://127.0.0.1:${COURSE_PORT}/course/`,
      reuseExistingServer: false,
      timeout: 180_000,
    },
  ],
});

/** Where the `/course/` copy is served (for specs that test the sub-path deploy). */
export const COURSE_URL = `http://127.0.0.1:${COURSE_PORT}/course/`;
