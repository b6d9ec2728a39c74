/**
 * Hostile or careless input to the mock core: a body declared as something other than JSON is a 415
 * naming what came and what is expected (a missing content-type, or fetch's text/plain default, is read
 * as JSON), and echoed input is cut to a readable length in error bodies and in the request log.
 */
import { describe, expect, it } from 'vitest';
import { clip, ECHO_MAX } from './clip.ts';
import { createVirtualClock, realClock, type Clock } from './clock.ts';
import { contentTypeProblem } from './contentType.ts';
import { createMockHandler, type RequestLog } from './handle.ts';

const ORIGIN = 'http://mock.test';
const chat = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] };
const claude = { model: 'claude-sonnet-4-5', max_tokens: 20, messages: chat.messages };

/** The parts of either API's error body these tests read. */
interface ErrorAnswer {
  type?: string;
  error: { message: string; type: string; param?: string | null };
}

function setup(clock: Clock = createVirtualClock()) {
  const logs: RequestLog[] = [];
  const handle = createMockHandler({ clock, onLog: (l) => logs.push(l) });
  const post = async (path: string, body: unknown, headers: Record<string, string> = {}) => {
    const request = new Request(ORIGIN + path, { method: 'POST', body: JSON.stringify(body) });
    // Request sets text/plain for a string body; a test that wants no content-type deletes it.
    request.headers.delete('content-type');
    for (const [k, v] of Object.entries(headers)) request.headers.set(k, v);
    const res = await handle(request);
    return { status: res.status, body: (await res.json()) as ErrorAnswer };
  };
  return { post, logs };
}

describe('content-type of a JSON route', () => {
  it('accepts application/json (with parameters), +json, text/plain and no content-type at all', () => {
    for (const header of [
      null,
      'application/json',
      'Application/JSON; charset=utf-8',
      'application/vnd.api+json',
      'text/plain;charset=UTF-8',
    ])
      expect(contentTypeProblem(header)).toBeUndefined();
  });

  it('answers form data (curl -d without -H) with 415, naming both types and the curl fix', async () => {
    const { post } = setup();
    const form = await post('/v1/chat/completions', chat, {
      'content-type': 'application/x-www-form-urlencoded',
    });
    expect(form.status).toBe(415);
    expect(form.body.error.type).toBe('invalid_request_error');
    expect(form.body.error.message).toContain('application/x-www-form-urlencoded');
    expect(form.body.error.message).toContain('content-type: application/json');
    expect(form.body.error.message).toContain("-H 'content-type: application/json'");
    const xml = await post('/v1/messages', claude, { 'content-type': 'application/xml' });
    expect(xml.status).toBe(415);
    expect(xml.body).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
    expect(xml.body.error.message).toMatch(
      /sent as content-type: application\/xml; .*application\/json\.$/,
    );
  });

  it('answers as before with no content-type, text/plain or application/json', async () => {
    const { post } = setup(realClock);
    for (const headers of [
      {} as Record<string, string>,
      { 'content-type': 'text/plain' },
      { 'content-type': 'application/json' },
    ])
      expect((await post('/v1/chat/completions?ttft_ms=0&tps=5000', chat, headers)).status).toBe(
        200,
      );
  });

  it('cuts an endless content-type it echoes', () => {
    const message = contentTypeProblem(`text/html; x=${'y'.repeat(5000)}`)!;
    expect(message.length).toBeLessThan(300);
    expect(message).toContain('… (5013 characters)');
  });
});

describe('echoed input is cut to a readable length', () => {
  it('clip keeps short text, cuts long text at a code point and says how long it was', () => {
    expect(clip('run-1')).toBe('run-1');
    expect(clip('x'.repeat(ECHO_MAX))).toBe('x'.repeat(ECHO_MAX));
    expect(clip('x'.repeat(3000))).toBe(`${'x'.repeat(ECHO_MAX)}… (3000 characters)`);
    expect(clip('😀'.repeat(100), 3)).toBe('😀😀😀… (200 characters)');
  });

  it('logs a rejected 3,000-character run id cut, not whole', async () => {
    const { post, logs } = setup();
    const runId = 'r'.repeat(3000);
    const answer = await post('/v1/chat/completions', chat, { 'x-streamlab-run': runId });
    expect(answer.status).toBe(400);
    expect(JSON.stringify(answer.body)).not.toContain('r'.repeat(201));
    expect(logs.at(-1)!.runId).toBe(`${'r'.repeat(200)}… (3000 characters)`);
  });

  it('cuts an unknown knob, scenario or path segment in the error body and its param', async () => {
    const { post, logs } = setup();
    const long = 'q'.repeat(3000);
    const knob = await post(`/v1/chat/completions?${long}=1`, chat);
    expect(knob.status).toBe(400);
    expect(knob.body.error.param).toBe(clip(long));
    expect(knob.body.error.message).toContain(`'${clip(long)}'`);
    const scenario = await post(`/scenarios/${long}/v1/chat/completions`, chat);
    expect(scenario.status).toBe(404);
    expect(scenario.body.error.message.length).toBeLessThan(500);
    const value = await post(`/v1/chat/completions?ttft_ms=${'9'.repeat(3000)}`, chat);
    expect(value.body.error.message).toContain('… (3000 characters)');
    expect(logs.every((l) => l.path.length < 260)).toBe(true);
  });
});

describe('a body that is not JSON', () => {
  it("says where the parser broke off, in the parser's words", async () => {
    const handle = createMockHandler({ clock: createVirtualClock() });
    const res = await handle(
      new Request(`${ORIGIN}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{"model": "gpt-4o-mini", messages: []}',
      }),
    );
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as ErrorAnswer;
    expect(error.message).toMatch(/not valid JSON \(.*position 25 \(line 1 column 26\)\)/);
  });
});
