import { describe, expect, it } from 'vitest';
import { describeRejected, MAX_ATTEMPTS, parseRunMessage } from './message-schema.ts';

const ok = [
  { type: 'phase', phase: 'checking', t: 1, check: 'a' },
  {
    type: 'attempt-start',
    attempt: 0,
    t: 0,
    method: 'POST',
    url: '/v1/chat/completions',
    provider: 'openai-chat',
    scenario: 'default',
    request: { stream: true },
  },
  { type: 'headers', attempt: 0, t: 1, status: 200, headers: { 'content-type': 'text/plain' } },
  { type: 'read', attempt: 0, read: { t: 2, bytes: 'aGk=', size: 2 } },
  { type: 'event', attempt: 0, event: { t: 2, read: 0, type: 'message', data: 'hi' } },
  { type: 'attempt-end', attempt: 0, t: 3, end: 'done' },
  { type: 'console', entry: { t: 3, level: 'log', text: 'hi' } },
  {
    type: 'check',
    result: {
      id: 'a',
      name: 'A',
      hidden: false,
      scenario: 'default',
      status: 'pass',
      durationMs: 1,
    },
  },
  { type: 'done', t: 4, outcome: 'ok', result: { any: ['json'] } },
];

describe('run message schema', () => {
  it('accepts every kind of honest message, unchanged', () => {
    for (const message of ok) expect(parseRunMessage(message)).toEqual({ ok: true, message });
  });

  it('drops hostile or broken messages, saying what and where', () => {
    const bad: Array<[unknown, RegExp]> = [
      [{ ...ok[3], attempt: 1e6 }, /^attempt: /],
      [{ ...ok[3], attempt: MAX_ATTEMPTS }, /^attempt: /],
      [{ ...ok[3], attempt: -1 }, /^attempt: /],
      [{ type: 'console', entry: { t: 'soon', level: 'log', text: 'x' } }, /^entry\.t: /],
      [
        { type: 'console', entry: { t: 1, level: 'log', text: 'x'.repeat(1_000_001) } },
        /^entry\.text: /,
      ],
      [{ type: 'done', t: Infinity, outcome: 'ok' }, /^t: /],
      [{ type: 'check', result: { id: 'a' } }, /^result\.name: /],
      [{ type: 'verdict', passed: true }, /^type: /],
      [null, /the message|type/],
      ['done', /the message|type/],
    ];
    for (const [message, problem] of bad) {
      const parsed = parseRunMessage(message);
      expect(parsed.ok, JSON.stringify(message)?.slice(0, 80)).toBe(false);
      if (!parsed.ok) expect(parsed.problem).toMatch(problem);
    }
  });

  it('leaves a __proto__ key out: the recording gets plain data', () => {
    const parsed = parseRunMessage(
      JSON.parse(
        '{"type":"headers","attempt":0,"t":1,"status":200,"headers":{"__proto__":{"x":"1"},"a":"b"}}',
      ),
    );
    expect(parsed.ok).toBe(true);
    if (!parsed.ok || parsed.message.type !== 'headers') return;
    expect(Object.getPrototypeOf(parsed.message.headers)).toBe(Object.prototype);
    expect(parsed.message.headers).toEqual({ a: 'b' });
  });

  it('never throws on a hostile object, and names the dropped message by its type', () => {
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('gotcha');
        },
      },
    );
    expect(parseRunMessage(hostile).ok).toBe(false);
    expect(describeRejected(hostile, 'x')).toMatch(/sent a 'unknown' message .* stopped/);
    expect(describeRejected({ type: 'read' }, 'attempt: too big')).toBe(
      "The lab sandbox sent a 'read' message that does not fit the run format (attempt: too big), so the run was stopped. Lab code cannot write to the run channel; if yours does not try to, run it again.",
    );
  });
});
