import { describe, expect, it } from 'vitest';
import type { Attempt, RunRecording } from '../lab/run/recording.ts';
import { buildTimeline, isCompleteJson, TimelineBuilder } from './model.ts';
import { readOf, recordingOf } from './testing.ts';

const chunk = (delta: object): string =>
  `data: ${JSON.stringify({ choices: [{ index: 0, delta }] })}\n\n`;
const toolStart = chunk({
  tool_calls: [
    { index: 0, id: 'call_1', type: 'function', function: { name: 'get', arguments: '{"a"' } },
  ],
});
const toolMore = chunk({ tool_calls: [{ index: 0, function: { arguments: ':1}' } }] });

/** A failed first attempt (500), then a retry that streams "Hello" and a tool call. */
function handBuilt(): RunRecording {
  const r0 = chunk({ role: 'assistant', content: 'He' });
  const r1 = chunk({ content: 'llo' }) + toolStart.slice(0, -1); // ends inside the tool event
  const r2 = '\n' + toolMore + 'data: [DONE]\n\n';
  const data = (s: string): string => s.slice('data: '.length).trimEnd();
  const failed: Attempt = {
    index: 0,
    method: 'POST',
    url: '/v1/chat/completions',
    provider: 'openai-chat',
    scenario: 'default',
    tRequest: 0,
    tHeaders: 10,
    status: 500,
    reads: [],
    events: [],
    tEnd: 12,
    end: 'error',
    error: { t: 12, message: 'HTTP 500' },
  };
  const ok: Attempt = {
    index: 1,
    method: 'POST',
    url: '/v1/chat/completions',
    provider: 'openai-chat',
    scenario: 'default',
    tRequest: 500,
    tHeaders: 520,
    status: 200,
    reads: [readOf(600, r0), readOf(650, r1), readOf(900, r2)],
    events: [
      { t: 600, read: 0, type: 'message', data: data(r0) },
      { t: 650, read: 1, type: 'message', data: data(chunk({ content: 'llo' })) },
      { t: 900, read: 2, type: 'message', data: data(toolStart) },
      { t: 900, read: 2, type: 'message', data: data(toolMore) },
      { t: 900, read: 2, type: 'message', data: '[DONE]' },
    ],
    tEnd: 910,
    end: 'done',
  };
  return recordingOf([failed, ok], { outcome: 'ok', tEnd: 915 });
}

describe('buildTimeline', () => {
  it('computes exact figures on a hand-built run with a retry', () => {
    const model = buildTimeline(handBuilt());
    expect(model.figures).toEqual({
      ttftMs: 600,
      totalMs: 910,
      tokens: 4,
      tokensSource: 'deltas',
      tokensPerSecond: 13.3,
      longestGapMs: 250,
      longestGapAt: 650,
      reads: 3,
      events: 5,
      bytes: model.lanes.wire.reduce((n, r) => n + r.size, 0),
      attempts: 2,
    });
    expect(model.final).toEqual({ text: 'Hello', tDone: 910 });
    expect(model.live).toBe(false);
    expect(model.domain).toEqual({ origin: 0, end: 910 });
  });

  it('places marks in time order, with retries and errors', () => {
    const model = buildTimeline(handBuilt());
    expect(model.marks.map((m) => `${m.kind}@${m.t}`)).toEqual([
      'request@0',
      'headers@10',
      'error@12',
      'retry@500',
      'headers@520',
      'first-byte@600',
      'first-token@600',
      'json-valid@900',
      'last-token@900',
      'terminator@900',
    ]);
    for (const mark of model.marks) expect(mark.description.length).toBeGreaterThan(10);
    expect(model.bands.map((b) => [b.tStart, b.tEnd, b.end])).toEqual([
      [0, 12, 'error'],
      [500, 910, 'done'],
    ]);
  });

  it('flags reads that end inside an event and marks when tool arguments become JSON', () => {
    const model = buildTimeline(handBuilt());
    expect(model.lanes.wire.map((r) => r.insideEvent)).toEqual([false, true, false]);
    const tool = model.lanes.output[1]!.tools[0]!;
    expect(tool).toMatchObject({ name: 'get', callId: 'call_1', args: '{"a":1}' });
    expect(tool.fragments.map((f) => f.delta)).toEqual(['{"a"', ':1}']);
    expect(tool.validAt).toEqual({ t: 900, fragment: 1 });
    expect(model.lanes.output[1]!.steps).toEqual([
      { t: 600, event: 0, length: 2 },
      { t: 650, event: 1, length: 5 },
    ]);
  });

  it('has one table row per read and per event, in arrival order', () => {
    const model = buildTimeline(handBuilt());
    expect(model.rows.map((r) => r.id)).toEqual([
      'r1.0',
      'e1.0',
      'r1.1',
      'e1.1',
      'r1.2',
      'e1.2',
      'e1.3',
      'e1.4',
    ]);
    expect(model.rows[4]!.text).toMatch(/^\\n/);
    expect(model.rows[2]!.text).toContain('ends inside an event');
  });

  it('flags a read that ends inside a character', () => {
    const bytes = new TextEncoder().encode(
      'data: {"choices":[{"index":0,"delta":{"content":"é"}}]}\n\n',
    );
    const cut = bytes.indexOf(0xc3) + 1;
    const run = recordingOf([
      {
        index: 0,
        method: 'POST',
        url: '/v1/chat/completions',
        provider: 'openai-chat',
        scenario: 'default',
        tRequest: 0,
        reads: [readOf(1, bytes.slice(0, cut)), readOf(2, bytes.slice(cut))],
        events: [
          {
            t: 2,
            read: 1,
            type: 'message',
            data: '{"choices":[{"index":0,"delta":{"content":"é"}}]}',
          },
        ],
      },
    ]);
    const model = buildTimeline(run);
    expect(model.lanes.wire.map((r) => [r.insideChar, r.insideEvent])).toEqual([
      [true, true],
      [false, false],
    ]);
    expect(model.final.text).toBe('é');
    expect(model.live).toBe(true);
  });

  it('builds the same model live, snapshot by snapshot, as in one go', () => {
    const full = handBuilt();
    const builder = new TimelineBuilder();
    const snapshots: RunRecording[] = [];
    const grow = (f: (r: RunRecording) => void): void => {
      const last = structuredClone(snapshots[snapshots.length - 1]!);
      f(last);
      snapshots.push(last);
    };
    snapshots.push(recordingOf([]));
    grow((r) =>
      r.attempts.push({
        ...structuredClone(full.attempts[0]!),
        tHeaders: undefined,
        status: undefined,
        tEnd: undefined,
        end: undefined,
        error: undefined,
      }),
    );
    grow((r) => Object.assign(r.attempts[0]!, { tHeaders: 10, status: 500 }));
    grow((r) =>
      Object.assign(r.attempts[0]!, {
        tEnd: 12,
        end: 'error',
        error: { t: 12, message: 'HTTP 500' },
      }),
    );
    const ok = full.attempts[1]!;
    grow((r) =>
      r.attempts.push({
        ...structuredClone(ok),
        reads: [],
        events: [],
        tEnd: undefined,
        end: undefined,
      }),
    );
    for (let i = 0; i < ok.reads.length; i++) {
      grow((r) => {
        r.attempts[1]!.reads.push(ok.reads[i]!);
        r.attempts[1]!.events.push(...ok.events.filter((e) => e.read === i));
      });
    }
    grow((r) => Object.assign(r.attempts[1]!, { tEnd: 910, end: 'done' }));
    grow((r) => Object.assign(r, { outcome: 'ok', tEnd: 915 }));
    for (const snapshot of snapshots) builder.update(snapshot);
    const batch = buildTimeline(full);
    expect({ ...builder.model, version: 0 }).toEqual({ ...batch, version: 0 });
  });

  it('starts over when a different run arrives', () => {
    const builder = new TimelineBuilder();
    builder.update(handBuilt());
    const other = recordingOf([], { id: 'other' });
    const model = builder.update(other);
    expect(model.rows).toEqual([]);
    expect(model.figures.reads).toBe(0);
  });
});

describe('interpretation per provider', () => {
  const attempt = (provider: Attempt['provider'], events: [string, object][]): RunRecording => {
    const text = events
      .map(([type, body]) => `event: ${type}\ndata: ${JSON.stringify(body)}\n\n`)
      .join('');
    return recordingOf([
      {
        index: 0,
        method: 'POST',
        url: '/v1',
        provider,
        scenario: 'default',
        tRequest: 0,
        tHeaders: 1,
        status: 200,
        reads: [readOf(5, text)],
        events: events.map(([type, body]) => ({ t: 5, read: 0, type, data: JSON.stringify(body) })),
        tEnd: 6,
        end: 'done',
      },
    ]);
  };

  it('reads Anthropic text, tool input, usage and message_stop', () => {
    const model = buildTimeline(
      attempt('anthropic', [
        [
          'message_start',
          { type: 'message_start', message: { usage: { input_tokens: 3, output_tokens: 1 } } },
        ],
        [
          'content_block_delta',
          { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hi' } },
        ],
        [
          'content_block_start',
          {
            type: 'content_block_start',
            index: 1,
            content_block: { type: 'tool_use', id: 'toolu_1', name: 'w', input: {} },
          },
        ],
        [
          'content_block_delta',
          {
            type: 'content_block_delta',
            index: 1,
            delta: { type: 'input_json_delta', partial_json: '' },
          },
        ],
        [
          'content_block_delta',
          {
            type: 'content_block_delta',
            index: 1,
            delta: { type: 'input_json_delta', partial_json: '{}' },
          },
        ],
        [
          'message_delta',
          {
            type: 'message_delta',
            delta: { stop_reason: 'tool_use' },
            usage: { output_tokens: 7 },
          },
        ],
        ['message_stop', { type: 'message_stop' }],
      ]),
    );
    expect(model.final.text).toBe('Hi');
    expect(model.lanes.output[0]!.tools[0]).toMatchObject({
      name: 'w',
      args: '{}',
      validAt: { t: 5, fragment: 0 },
    });
    expect(model.figures).toMatchObject({ tokens: 7, tokensSource: 'usage' });
    expect(model.marks.filter((m) => m.kind === 'terminator').map((m) => m.label)).toEqual([
      'message_stop',
    ]);
  });

  it('reads OpenAI Responses deltas, function arguments and response.completed', () => {
    const model = buildTimeline(
      attempt('openai-responses', [
        ['response.output_text.delta', { type: 'response.output_text.delta', delta: 'Yo' }],
        [
          'response.output_item.added',
          {
            type: 'response.output_item.added',
            output_index: 1,
            item: { type: 'function_call', id: 'fc_1', call_id: 'c', name: 'f' },
          },
        ],
        [
          'response.function_call_arguments.delta',
          { type: 'response.function_call_arguments.delta', item_id: 'fc_1', delta: '[1' },
        ],
        [
          'response.function_call_arguments.delta',
          { type: 'response.function_call_arguments.delta', item_id: 'fc_1', delta: ']' },
        ],
        [
          'response.completed',
          { type: 'response.completed', response: { usage: { output_tokens: 4 } } },
        ],
      ]),
    );
    expect(model.final.text).toBe('Yo');
    expect(model.lanes.output[0]!.tools[0]).toMatchObject({
      name: 'f',
      args: '[1]',
      validAt: { fragment: 1 },
    });
    expect(model.figures.tokens).toBe(4);
    expect(model.marks.map((m) => m.kind)).toContain('terminator');
  });

  it('marks error events', () => {
    const model = buildTimeline(
      attempt('anthropic', [
        ['error', { type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } }],
      ]),
    );
    const error = model.marks.find((m) => m.kind === 'error');
    expect(error?.description).toContain('Overloaded');
  });
});

describe('isCompleteJson', () => {
  it('is true only for a whole object or array', () => {
    expect(isCompleteJson('{"a":')).toBe(false);
    expect(isCompleteJson('{"a":{"b":1}')).toBe(false);
    expect(isCompleteJson('{"a":{"b":1}}')).toBe(true);
    expect(isCompleteJson('[1, 2] ')).toBe(true);
    expect(isCompleteJson('"x"')).toBe(false);
  });
});

describe('TimelineBuilder with a different run under the same id', () => {
  it('starts over when the run is not the previous one grown', () => {
    const builder = new TimelineBuilder();
    const full = handBuilt();
    builder.update(full);
    const shorter = structuredClone(full);
    shorter.attempts[1]!.reads = shorter.attempts[1]!.reads.slice(0, 1);
    shorter.attempts[1]!.events = shorter.attempts[1]!.events.filter((e) => e.read < 1);
    const model = builder.update(shorter);
    expect({ ...model, version: 0 }).toEqual({ ...buildTimeline(shorter), version: 0 });
  });
});

describe('a reader that cancels', () => {
  const cancelled = (afterDone: boolean): RunRecording => {
    const run = handBuilt();
    const ok = run.attempts[1]!;
    if (!afterDone) {
      ok.events = ok.events.slice(0, 2);
      ok.reads = ok.reads.slice(0, 2);
    }
    ok.end = 'cancelled';
    return run;
  };

  it('after the terminator has completed its attempt: no abort, not a failed band', () => {
    const model = buildTimeline(cancelled(true));
    expect(model.bands[1]?.end).toBe('done');
    expect(model.marks.some((m) => m.kind === 'abort')).toBe(false);
  });

  it('before the terminator is an abort', () => {
    const model = buildTimeline(cancelled(false));
    expect(model.bands[1]?.end).toBe('cancelled');
    expect(model.marks.some((m) => m.kind === 'abort')).toBe(true);
  });
});
