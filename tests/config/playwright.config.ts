/**
 * End-to-end tests: Chromium against the BUILT site (build it first: `npm run build`), served as plain
 * static files by our own server (`streamlab serve`) on a free port (`E2E_PORT` overrides it).
 * tests/e2e/any-path.spec.ts also serves the same dist/ with nginx at three other paths.
 */
import { execFileSync } from 'node:child_process';
import { defineConfig } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import { chromiumLaunchOptions } from '../e2e/browser.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A port free right now, found synchronously (the config must be synchronous). */
function freePort(): string {
  return execFileSync(process.execPath, [
    '-e',
    "const s = require('node:net').createServer().listen(0, '127.0.0.1', () => { process.stdout.write(String(s.address().port)); s.close(); });",
  ])
    .toString()
    .trim();
}

// Chosen once, in the runner: its workers load this file again and inherit the variable.
process.env.E2E_PORT ||= freePort();
const PORT = Number(process.env.E2E_PORT);

export default defineConfig({
  testDir: '../e2e',
  testMatch: '**/*.spec.ts',
  outputDir: '../.tmp/test-results',
  fullyParallel: true,
  // Two cores shared with the build: two workers keep the machine responsive.
  workers: 2,
  forbidOnly: Boolean(process.env.CI),
  // `npm test` runs a representative sample; E2E_FULL=1 (`npm run test:e2e:full`) runs every matrix
  // (tests/e2e/helpers.ts: sample()).
  grepInvert: process.env.E2E_FULL ? undefined : /@full/,
  retries: 0,
  // A lab page hydrates an editor and boots a sandboxed worker: on 2 shared cores, with two browsers at
  // once, that takes seconds. Limits sized for that machine, not for a fast laptop.
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}/`,
    browserName: 'chromium',
    launchOptions: chromiumLaunchOptions(),
    trace: 'retain-on-failure',
    // Tests must not depend on the machine's colour scheme; specs set a theme when it matters.
    colorScheme: 'light',
  },
  webServer: {
    command: `node src/cli/streamlab.ts serve dist --port ${PORT}`,
    cwd: ROOT,
    url: `http://127.0.0.1:${PORT}/`,
    reuseExistingServer: false,
    timeout: 30_000,
  },
});
