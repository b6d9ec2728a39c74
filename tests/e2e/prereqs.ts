/**
 * What the end-to-end tests need from the machine, checked before anything else runs (`npm test` starts
 * with it): Chromium (/usr/bin/chromium or Playwright's own) and nginx. When one is missing, it is
 * installed with apt (as root, or with sudo when sudo asks no password); where that cannot be done,
 * this stops at once, naming the command to run.
 *
 *   node tests/e2e/prereqs.ts          # check, install what is missing
 *   node tests/e2e/prereqs.ts --check  # check only: exit 1 naming what is missing
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromiumPath } from './browser.ts';
import { nginxPath } from './nginx.ts';

/** Debian package names of what is missing. */
export function missingPackages(): string[] {
  const missing: string[] = [];
  const found = (find: () => string) => {
    try {
      find();
      return true;
    } catch {
      return false;
    }
  };
  if (!found(chromiumPath)) missing.push('chromium');
  if (!found(nginxPath)) missing.push('nginx');
  return missing;
}

/** How to run apt here: directly as root, through passwordless sudo, or not at all. */
function aptRunner(): string[] | undefined {
  if (!existsSync('/usr/bin/apt-get')) return undefined;
  if (process.getuid?.() === 0) return [];
  const sudo = spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' });
  return sudo.status === 0 ? ['sudo', '-n'] : undefined;
}

function run(command: string[]): boolean {
  const [file, ...args] = command;
  const result = spawnSync(file!, args, {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  return result.status === 0;
}

function main(): number {
  const missing = missingPackages();
  if (missing.length === 0) return 0;
  const command = `sudo apt-get install -y --no-install-recommends ${missing.join(' ')}`;
  const runner = process.argv.includes('--check') ? undefined : aptRunner();
  if (runner === undefined) {
    process.stderr.write(
      `The end-to-end tests need ${missing.join(' and ')}, not found on this machine.\n` +
        `Install ${missing.length > 1 ? 'them' : 'it'} (Debian/Ubuntu), then run the tests again:\n\n` +
        `  ${command}\n\n` +
        (missing.includes('chromium')
          ? 'Elsewhere, Playwright can fetch its own Chromium: npx playwright install chromium\n'
          : ''),
    );
    return 1;
  }
  process.stdout.write(`Installing ${missing.join(' and ')} for the end-to-end tests (apt)...\n`);
  const ok =
    run([...runner, 'apt-get', 'update']) &&
    run([...runner, 'apt-get', 'install', '-y', '--no-install-recommends', ...missing]);
  const still = missingPackages();
  if (!ok || still.length > 0) {
    process.stderr.write(`Could not install ${still.join(' and ')}. Run: ${command}\n`);
    return 1;
  }
  return 0;
}

if (import.meta.main) process.exit(main());
