import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';

import { buildHandIn } from '../../progress/handin.ts';
import { emptyProgress } from '../../progress/store.ts';
import { submissionFiles } from './cli.ts';
import { readSubmission, selectFromHandIns } from './handin.ts';

const NOW = Date.UTC(2026, 10, 29, 15, 0);

/** A learner's "Download my work" zip with code for the given labs. */
function handIn(labs: Record<string, string>): Uint8Array {
  const s = emptyProgress();
  for (const [id, code] of Object.entries(labs)) s.labs[id] = { code, runs: 1, at: NOW };
  return buildHandIn(s, NOW).zip;
}

describe('grading hand-ins', () => {
  it('takes each zip and each unzipped hand-in as one submission of the lab, beside plain files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'handin-'));
    await writeFile(join(dir, 'ada.zip'), handIn({ 'sse-reader': 'ada1', 'measure-ttft': 'ada2' }));
    await mkdir(join(dir, 'bob'));
    for (const [name, bytes] of Object.entries(
      unzipSync(handIn({ 'sse-reader': 'bob1', 'measure-ttft': 'bob2' })),
    ))
      await writeFile(join(dir, 'bob', name), bytes);
    await mkdir(join(dir, 'cy'));
    for (const [name, bytes] of Object.entries(unzipSync(handIn({ 'measure-ttft': 'cy2' }))))
      await writeFile(join(dir, 'cy', name), bytes);
    await writeFile(join(dir, 'dan.ts'), 'dan1');

    const files = await submissionFiles([dir], 'sse-reader');
    expect(files.map((f) => f.slice(dir.length + 1))).toEqual([
      'ada.zip/sse-reader.ts',
      'bob/sse-reader.ts',
      'cy/sse-reader.ts',
      'dan.ts',
    ]);
    const read = (f: string) => readSubmission(f).then((c) => c.split('\n').pop());
    expect(await read(files[0]!)).toBe('ada1');
    expect(await read(files[1]!)).toBe('bob1');
    // cy did not do this lab: still a submission (it scores 0), with a message that says why.
    await expect(readSubmission(files[2]!)).rejects.toThrow(
      /not handed in: .*cy has no sse-reader\.ts \(it holds measure-ttft\)/,
    );
    expect(await readSubmission(files[3]!)).toBe('dan1');
  });

  it('a zip whose manifest lists no labs says what it does hold', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'handin-odd-'));
    const zip = join(dir, 'eve.zip');
    await writeFile(
      zip,
      zipSync({
        'streamlab-work.json': strToU8(JSON.stringify({ labs: 'sse-reader' })),
        'measure-ttft.ts': strToU8('x'),
      }),
    );
    await expect(readSubmission(join(zip, 'sse-reader.ts'))).rejects.toThrow(
      /not handed in: .*eve\.zip has no sse-reader\.ts \(its streamlab-work\.json lists no labs; it holds measure-ttft\.ts\)/,
    );
  });

  it('a hand-in folder given as "." still counts only its <lab>.ts', () => {
    const files = ['measure-ttft.ts', 'sse-reader.ts', 'other/x.ts'];
    expect(selectFromHandIns(files, ['streamlab-work.json'], 'sse-reader')).toEqual([
      'sse-reader.ts',
    ]);
    expect(selectFromHandIns(files, ['other/streamlab-work.json'], 'sse-reader')).toEqual([
      'measure-ttft.ts',
      'other/sse-reader.ts',
      'sse-reader.ts',
    ]);
  });

  it('a zip given by name is read for the lab; a zip without it or a broken zip says so', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'handin-'));
    const zip = join(dir, 'eve.zip');
    await writeFile(zip, handIn({ 'measure-ttft': 'eve2' }));
    const [measure] = await submissionFiles([zip], 'measure-ttft');
    expect((await readSubmission(measure!)).endsWith('eve2')).toBe(true);
    const [sse] = await submissionFiles([zip], 'sse-reader');
    await expect(readSubmission(sse!)).rejects.toThrow(/eve\.zip has no sse-reader\.ts/);
    await writeFile(join(dir, 'bad.zip'), 'not a zip');
    const [bad] = await submissionFiles([join(dir, 'bad.zip')], 'sse-reader');
    await expect(readSubmission(bad!)).rejects.toThrow(/bad\.zip is not a readable zip/);
  });
});
