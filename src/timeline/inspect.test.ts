import { describe, expect, it } from 'vitest';
import { createInspectorRun } from './inspect.ts';
import { buildTimeline } from './model.ts';
import { longChatStream, SAMPLE_STREAMS } from './samples.ts';
import { splitIntoReads } from './split.ts';

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('inspector run', () => {
  for (const sample of SAMPLE_STREAMS.filter((s) => s.id !== 'long')) {
    it(`gives the same events however "${sample.label}" is cut`, () => {
      const events = (mode: 'events' | 'random' | 'byte' | 'inside-char') => {
        const run = createInspectorRun({ label: sample.label, provider: sample.provider });
        for (const read of splitIntoReads(enc(sample.text), mode, { seed: 3 })) run.push(read);
        run.end();
        return run.recording.attempts[0]!.events.map((e) => [e.type, e.data]);
      };
      const whole = events('events');
      expect(whole.length).toBeGreaterThan(3);
      expect(events('byte')).toEqual(whole);
      expect(events('random')).toEqual(whole);
      expect(events('inside-char')).toEqual(whole);
    });
  }

  it('turns reads into events with the read that completed each', () => {
    const run = createInspectorRun({ label: 'x', interval: 5 });
    expect(run.push(enc('data: a\n\ndata: b'))).toBe(1);
    expect(run.push(enc('\n\n'))).toBe(1);
    run.end();
    expect(run.recording.attempts[0]!.events).toEqual([
      { t: 5, read: 0, type: 'message', data: 'a' },
      { t: 10, read: 1, type: 'message', data: 'b' },
    ]);
    expect(run.recording.outcome).toBe('ok');
  });

  it('shows the per-read decoding bug as U+FFFD', () => {
    const run = createInspectorRun({ label: 'x', naiveDecode: true });
    for (const read of splitIntoReads(enc('data: é\n\n'), 'inside-char')) run.push(read);
    run.end();
    expect(run.recording.attempts[0]!.events[0]!.data).toBe('\uFFFD\uFFFD');
  });

  it('builds a 2,000-event timeline from the long sample', () => {
    const run = createInspectorRun({ label: 'long', provider: 'openai-chat' });
    for (const read of splitIntoReads(enc(longChatStream(2000)), 'events')) run.push(read);
    run.end();
    const model = buildTimeline(run.recording);
    expect(model.figures.events).toBe(2000);
    expect(model.figures.reads).toBe(2000);
    expect(model.marks.some((m) => m.kind === 'terminator')).toBe(true);
  });
});
