import { describe, expect, it } from 'vitest';
import { frameBytes, planFrames, type PlannedFrames } from './bodyPlan.ts';

const ev = (data: string, tokens = 1, event?: string) => ({ event, data, tokens });
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);
const knobs = { trace: 0, heartbeat: 0, crlf: 0 };
/** The frames as rows: when, how many events, whether they carry tokens, the text. */
const rows = (frames: PlannedFrames) =>
  Array.from({ length: frames.count }, (_, k) => [
    frames.at[k],
    frames.events[k],
    frames.tokens[k],
    text(frameBytes(frames, k)),
  ]);

describe('planFrames', () => {
  it('merges the events due at the same moment into one frame, and marks frames that carry tokens', () => {
    const events = [
      ev('{"role":1}', 0),
      ev('"a"'),
      ev('"b"'),
      ev('{"stop":1}', 0),
      ev('[DONE]', 0),
    ];
    expect(rows(planFrames(events, [0, 250, 270, 270, 270], knobs))).toEqual([
      [0, 1, 0, 'data: {"role":1}\n\n'],
      [250, 1, 1, 'data: "a"\n\n'],
      [270, 3, 1, 'data: "b"\n\ndata: {"stop":1}\n\ndata: [DONE]\n\n'],
    ]);
  });

  it('writes trace comments and event names, and CRLF line endings when asked', () => {
    const frames = planFrames([ev('{}', 1, 'delta')], [12.25], { ...knobs, trace: 1, crlf: 1 });
    expect(rows(frames)[0]![3]).toBe(': sched 12.3\r\nevent: delta\r\ndata: {}\r\n\r\n');
  });

  it('encodes text that is not ASCII right, frame by frame', () => {
    const events = [ev('"héllo"'), ev('"🌊 wave"'), ev('"plain"')];
    const frames = planFrames(events, [0, 10, 20], knobs);
    expect(rows(frames).map((r) => r[3])).toEqual([
      'data: "héllo"\n\n',
      'data: "🌊 wave"\n\n',
      'data: "plain"\n\n',
    ]);
    expect(frameBytes(frames, 1).length).toBe(
      new TextEncoder().encode('data: "🌊 wave"\n\n').length,
    );
  });

  it('keeps every frame in one buffer, and plans nothing for no events', () => {
    const frames = planFrames([ev('1'), ev('2')], [0, 10], knobs);
    expect(frameBytes(frames, 0).buffer).toBe(frameBytes(frames, 1).buffer);
    expect(text(frames.bytes)).toBe('data: 1\n\ndata: 2\n\n');
    expect(planFrames([], [], knobs).count).toBe(0);
  });
});
