import { spawnSync } from 'node:child_process';
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
  // A process that calls it first, then reports its pid and its flags.
  const script = join(mkdtempSync(join(tmpdir(), 'gcflags-')), 'probe.ts');
  writeFileSync(
    script,
    `import { relaunchWithMockFlags } from ${JSON.stringify(fileURLToPath(new URL('./gcFlags.ts', import.meta.url)))};
relaunchWithMockFlags();
process.stdout.write(JSON.stringify({ pid: process.pid, execArgv: process.execArgv }) + '\\n');
`,
  );
  /** The lines the probe printed, and the pid it was started with. */
  const probe = (env: NodeJS.ProcessEnv = {}) => {
    const run = spawnSync(process.execPath, [script], {
      env: { ...process.env, NODE_OPTIONS: '', ...env },
      encoding: 'utf8',
    });
    if (run.status !== 0) throw new Error(`probe exited with ${run.status}: ${run.stderr}`);
    const lines = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { pid: number; execArgv: string[] });
    return { lines, pid: run.pid };
  };

  it.runIf(process.platform !== 'win32')(
    'restarts the process in place with the flags, once',
    () => {
      const { lines, pid } = probe();
      expect(lines).toHaveLength(1);
      expect(lines[0]!.execArgv).toEqual([...MOCK_NODE_FLAGS]);
      // In place: the process that printed is the one that was started, not a child of it.
      expect(lines[0]!.pid).toBe(pid);
    },
  );

  it('leaves a process alone whose NODE_OPTIONS set the size already', () => {
    const { lines, pid } = probe({ NODE_OPTIONS: '--max-semi-space-size=8' });
    expect(lines).toHaveLength(1);
    expect(lines[0]!.pid).toBe(pid);
    expect(lines[0]!.execArgv).toEqual([]);
  });
});
