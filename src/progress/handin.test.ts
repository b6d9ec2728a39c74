import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { buildHandIn, HANDIN_MANIFEST, handInFileName, labDownload } from './handin.ts';
import { codeHash, emptyProgress, type ProgressState } from './store.ts';

const NOW = Date.UTC(2026, 10, 29, 15, 30);
const T1 = Date.UTC(2026, 10, 29, 14, 0);

function state(): ProgressState {
  const s = emptyProgress();
  const passing = 'export async function readSse() { return "ok"; }\n';
  s.labs['sse-reader'] = {
    code: passing,
    passed: true,
    gradedHash: codeHash(passing),
    runs: 2,
    at: T1,
  };
  // Passed once, then edited: the file is handed in, but it does not pass now.
  s.labs['measure-ttft'] = {
    code: 'export const x = 1;',
    passed: true,
    gradedHash: codeHash('something else'),
    runs: 1,
    at: T1 + 1000,
  };
  s.labs['hints-only'] = { hints: 2, runs: 0, at: T1 }; // touched, but no code: nothing to hand in
  s.labs['../evil'] = { code: 'x', runs: 0, at: T1 }; // foreign storage: never a path
  return s;
}

describe('buildHandIn', () => {
  it('zips each lab with code as <lab-id>.ts, and a manifest', () => {
    const { zip, manifest } = buildHandIn(state(), NOW);
    const files = unzipSync(zip);
    expect(Object.keys(files).sort()).toEqual([
      'measure-ttft.ts',
      'sse-reader.ts',
      HANDIN_MANIFEST,
    ]);
    // Byte for byte the editor's code: the grader's line numbers are the editor's.
    expect(strFromU8(files['sse-reader.ts']!)).toBe(
      'export async function readSse() { return "ok"; }\n',
    );
    const parsed = JSON.parse(strFromU8(files[HANDIN_MANIFEST]!)) as unknown;
    expect(parsed).toEqual(manifest);
    expect(manifest).toEqual({
      format: 'streamlab-work',
      version: 1,
      createdAt: '2026-11-29T15:30:00.000Z',
      labs: [
        {
          id: 'measure-ttft',
          file: 'measure-ttft.ts',
          passed: false,
          savedAt: '2026-11-29T14:00:01.000Z',
        },
        {
          id: 'sse-reader',
          file: 'sse-reader.ts',
          passed: true,
          savedAt: '2026-11-29T14:00:00.000Z',
        },
      ],
    });
  });

  it('keeps non-ASCII code intact and is deterministic for the same inputs', () => {
    const s = emptyProgress();
    s.labs['sse-reader'] = { code: '// café ☕ — 日本\nexport {};\n', runs: 0, at: T1 };
    const a = buildHandIn(s, NOW).zip;
    expect(strFromU8(unzipSync(a)['sse-reader.ts']!)).toContain('// café ☕ — 日本\nexport {};\n');
    expect(buildHandIn(s, NOW).zip).toEqual(a);
  });

  it('with no code saved, holds only a manifest with no labs', () => {
    const { zip, manifest } = buildHandIn(emptyProgress(), NOW);
    expect(Object.keys(unzipSync(zip))).toEqual([HANDIN_MANIFEST]);
    expect(manifest.labs).toEqual([]);
  });

  it('names the download by date', () => {
    expect(handInFileName(NOW)).toBe('streamlab-work-2026-11-29.zip');
  });
});

describe('labDownload', () => {
  it('is <lab>.ts: a header comment naming the lab and the date, then the code as in the editor', () => {
    const at = Date.UTC(2026, 10, 29, 17, 5);
    const code = 'export const x = "é";\n';
    const { name, text } = labDownload(
      { id: 'sse-reader', title: 'Read an SSE\n stream' },
      code,
      at,
    );
    expect(name).toBe('sse-reader.ts');
    const [header, ...rest] = text.split('\n');
    expect(header).toBe(
      '// streamlab lab sse-reader (Read an SSE stream), downloaded 2026-11-29 17:05 UTC. Grade: streamlab grade sse-reader sse-reader.ts',
    );
    // Graded as it is by `streamlab grade` (src/lab/grade/grade.test.ts grades a downloaded solution).
    expect(rest.join('\n')).toBe(code);
  });
});
