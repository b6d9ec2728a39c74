import { describe, expect, it } from 'vitest';
import { createMockHandler } from '../core/index.ts';
import { readBody } from './readBody.ts';

const request = (path: string): Request =>
  new Request(`http://mock.test${path}`, {
    method: 'POST',
    body: JSON.stringify({ model: 'm', stream: true, messages: [{ role: 'user', content: 'hi' }] }),
  });

async function text(reader: ReturnType<typeof readBody>): Promise<string> {
  const decoder = new TextDecoder();
  let out = '';
  for (let c = await reader.read(); c !== undefined; c = await reader.read())
    out += decoder.decode(c);
  return out;
}

describe('readBody', () => {
  it("reads a mock stream from the transport's source, any other body through its reader", async () => {
    const handle = createMockHandler({ epochMs: () => 0 });
    const path = '/knobs/ttft_ms=0,tps=1000,reply_tokens=8/v1/chat/completions';
    const fast = readBody((await handle(request(path))).body!);
    expect(fast.direct).toBe(true);
    const expected = await new Response((await handle(request(path))).body).text();
    expect(await text(fast)).toBe(expected);
    expect(expected).toMatch(/data: \[DONE\]\n\n$/);

    const plain = readBody(new Response('{"ok":true}').body!);
    expect(plain.direct).toBe(false);
    expect(await text(plain)).toBe('{"ok":true}');
  });

  it('cancel() ends the stream at once and logs it aborted', async () => {
    const outcomes: string[] = [];
    const handle = createMockHandler({ onLog: (l) => outcomes.push(l.outcome) });
    const body = readBody(
      (await handle(request('/scenarios/slow-first-token/v1/chat/completions'))).body!,
    );
    await body.read();
    const pending = body.read();
    body.cancel(new Error('client disconnected'));
    await expect(pending).resolves.toBeUndefined();
    expect(outcomes).toEqual(['aborted']);
  });
});
