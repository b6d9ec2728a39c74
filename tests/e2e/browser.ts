/**
 * Which Chromium the tests, screenshots and bench use: the system's `/usr/bin/chromium` when present
 * (CI installs it with apt), else Playwright's own downloaded browser, else a clear error.
 */
import { existsSync } from 'node:fs';
import { chromium, type LaunchOptions } from '@playwright/test';

export const SYSTEM_CHROMIUM = '/usr/bin/chromium';

/** Flags that keep a headless Chromium quiet and offline-friendly in containers and CI. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The Chromium executable to use, or throws saying how to install one. */
export function chromiumPath(): string {
  if (existsSync(SYSTEM_CHROMIUM)) return SYSTEM_CHROMIUM;
  let bundled: string | undefined;
  try {
    bundled = chromium.executablePath();
  } catch {
    bundled = undefined;
  }
  if (bundled && existsSync(bundled)) return bundled;
  throw new Error(
    'No Chromium found. Install one with `sudo apt-get install -y chromium` (Debian/Ubuntu; gives ' +
      '/usr/bin/chromium) or `npx playwright install chromium`, then run the tests again.',
  );
}

/** Launch options for Playwright's `chromium.launch()`. */
export function chromiumLaunchOptions(): LaunchOptions {
  const executablePath = chromiumPath();
  return executablePath === SYSTEM_CHROMIUM
    ? { executablePath, args: CHROMIUM_ARGS }
    : { args: CHROMIUM_ARGS };
}
