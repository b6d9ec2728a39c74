import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MOCK_NODE_FLAGS, setsSemiSpace } from './gcFlags.ts';

describe('setsSemiSpace', () => {
  it('finds the young generation size on the command line or in NODE_OPTIONS, in either spelling', () => {
    expect(setsSemiSpace([])).toBe(false);
    expect(setsSemiSpace(['--max-old-space-size=4096'], '--enable-source-maps')).toBe(false);
    expect(setsSemiSpace(['--max-semi-space-size=1'])).toBe(true);
    expect(setsSemiSpace([], '--inspect --max_semi_space_size=8')).toBe(true);
  });
});

describe('relaunchWithMockFlags', () => {
  // A process that calls it first, then reports its pid, its flags and V8's young generation size.
  const script = join(mkdtempSync(join(tmpdir(), 'gcflags-')), 'probe.ts');
  writeFileSync(
    script,
    `import { getHeapSpaceStatistics } from 'node:v8';
import { relaunchWithMockFlags } from ${JSON.stringify(fileURLToPath(new URL('./gcFlags.ts', import.meta.url)))};
relaunchWithMockFlags();
process.stdout.write(JSON.stringify({ pid: process.pid, execArgv: process.execArgv }) + '\\n');
`,
  );
  const probe = (env: NodeJS.ProcessEnv = {}) =>
    execFileSync(process.execPath, [script], {
      env: { ...process.env, NODE_OPTIONS: '', ...env },
      encoding: 'utf8',
    })
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { pid: number; execArgv: string[] });

  it.runIf(process.platform !== 'win32')(
    'restarts the process in place with the flags, once',
    () => {
      const lines = probe();
      expect(lines).toHaveLength(1);
      expect(lines[0]!.execArgv).toEqual([...MOCK_NODE_FLAGS]);
    },
  );

  it('leaves a process alone whose NODE_OPTIONS set the size already', () => {
    const lines = probe({ NODE_OPTIONS: '--max-semi-space-size=8' });
    expect(lines).toHaveLength(1);
    expect(lines[0]!.execArgv).toEqual([]);
  });
});
