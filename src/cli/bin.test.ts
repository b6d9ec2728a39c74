import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('./bin.mjs', import.meta.url));

describe('the streamlab command', () => {
  it('runs the CLI on a Node that runs TypeScript', () => {
    const result = spawnSync(process.execPath, [bin, '--help'], { encoding: 'utf8' });
    expect(result.stdout).toContain('Usage: streamlab <command>');
    expect(result.status).toBe(0);
  });

  it('says what to do on a Node that cannot run TypeScript files (not ERR_UNKNOWN_FILE_EXTENSION)', () => {
    // Node 24 with type stripping turned off stands in for Node 20 or an early 22.
    const result = spawnSync(process.execPath, ['--no-experimental-strip-types', bin, 'mock'], {
      encoding: 'utf8',
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('cannot run TypeScript files');
    expect(result.stderr).toContain('npm run mock -- --help');
    expect(result.stderr).not.toContain('ERR_UNKNOWN_FILE_EXTENSION');
  });
});
