import { describe, expect, it } from 'vitest';
import { exportFileName, exportRun, importRun, RunImportError } from './io.ts';
import { readOf, recordingOf } from './testing.ts';

const run = recordingOf(
  [
    {
      index: 0,
      method: 'POST',
      url: '/v1/messages',
      provider: 'anthropic',
      scenario: 'default',
      tRequest: 0,
      tHeaders: 3,
      status: 200,
      headers: { 'content-type': 'text/event-stream' },
      reads: [readOf(10, 'event: ping\ndata: {"type":"ping"}\n\n')],
      events: [{ t: 10, read: 0, type: 'ping', data: '{"type":"ping"}' }],
      tEnd: 11,
      end: 'done',
    },
  ],
  { label: 'Starter, default scenario', outcome: 'ok', tEnd: 12 },
);

const errorOf = (text: string): RunImportError => {
  try {
    importRun(text);
  } catch (error) {
    if (error instanceof RunImportError) return error;
    throw error;
  }
  throw new Error('expected importRun to throw');
};

describe('run export and import', () => {
  it('round-trips a run', () => {
    expect(importRun(exportRun(run))).toEqual(run);
    expect(exportFileName(run)).toBe('streamlab-run-starter-default-scenario.json');
  });

  it('says when the file is not JSON', () => {
    expect(errorOf('{"version":1,').message).toMatch(/^not valid JSON/);
  });

  it('names the field with the wrong type', () => {
    const bad = structuredClone(run) as unknown as { attempts: { reads: { t: unknown }[] }[] };
    bad.attempts[0]!.reads[0]!.t = 'soon';
    const error = errorOf(JSON.stringify(bad));
    expect(error.path).toBe('attempts[0].reads[0].t');
    expect(error.message).toMatch(/^attempts\[0\]\.reads\[0\]\.t: .*number/);
  });

  it('names a missing field', () => {
    const { attempts: _, ...bad } = run;
    expect(errorOf(JSON.stringify(bad)).path).toBe('attempts');
  });

  it('rejects another format version', () => {
    expect(errorOf(JSON.stringify({ ...run, version: 2 })).message).toBe(
      'version: unsupported run format version 2 (expected 1)',
    );
  });

  it('checks sizes, base64 and read references', () => {
    const wrongSize = structuredClone(run);
    wrongSize.attempts[0]!.reads[0]!.size = 3;
    expect(errorOf(JSON.stringify(wrongSize)).message).toMatch(
      /^attempts\[0\]\.reads\[0\]\.size: says 3 bytes/,
    );
    const badBase64 = structuredClone(run);
    badBase64.attempts[0]!.reads[0]!.bytes = '@@@';
    expect(errorOf(JSON.stringify(badBase64)).path).toBe('attempts[0].reads[0].bytes');
    const badRef = structuredClone(run);
    badRef.attempts[0]!.events[0]!.read = 4;
    expect(errorOf(JSON.stringify(badRef)).message).toContain('refers to read 4');
  });
});

describe('importing a huge run', () => {
  it('keeps the first 2,000 of 20,000 attempts and cuts long texts, each with a visible note', () => {
    const attempts = Array.from({ length: 20_000 }, (_, index) => ({
      index,
      method: 'POST',
      url: '/v1/chat/completions',
      provider: 'openai-chat' as const,
      scenario: 'rate-limited',
      tRequest: index,
      status: 429,
      reads: [],
      events: [],
    }));
    const run = recordingOf(attempts, {
      console: [{ t: 0, level: 'log', text: 'y'.repeat(10_000) }],
      error: { name: 'Error', message: 'z'.repeat(5_000) },
    });
    const imported = importRun(exportRun(run));
    expect(imported.attempts).toHaveLength(2_000);
    expect(imported.console[0]?.text).toMatch(
      /had 20,000 attempts: the first 2,000 are shown \(… truncated, 18,000 more attempts\)/,
    );
    expect(imported.console[1]?.text).toMatch(/… truncated, 6,000 more characters$/);
    expect(imported.error?.message).toMatch(/… truncated, 3,000 more characters$/);
  });
});
