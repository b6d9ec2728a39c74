import { describe, expect, it } from 'vitest';
import { holdOpen, readSseEvents, rechunk } from './streams.ts';
import { assert, CheckFailure, defineChecks, fail } from './index.ts';

const sse = (...pieces: string[]) =>
  new Response(
    new ReadableStream<Uint8Array>({
      start(controller) {
        for (const piece of pieces) controller.enqueue(new TextEncoder().encode(piece));
        controller.close();
      },
    }),
    { headers: { 'content-type': 'text/event-stream' } },
  );

async function reads(response: Response): Promise<string[]> {
  const out: string[] = [];
  const reader = response.body!.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return out;
    out.push(new TextDecoder().decode(value));
  }
}

describe('stream helpers', () => {
  it('rechunk re-slices a body into reads of a fixed size', async () => {
    expect(await reads(rechunk(sse('abc', 'defg', 'h'), 3))).toEqual(['abc', 'def', 'gh']);
    expect(() => rechunk(sse(), 0)).toThrow(RangeError);
  });

  it('holdOpen passes the body through and then never ends until cancelled', async () => {
    const held = holdOpen(sse('data: 1\n\n'));
    const reader = held.response.body!.getReader();
    expect(new TextDecoder().decode((await reader.read()).value)).toBe('data: 1\n\n');
    const next = reader.read();
    const raced = await Promise.race([
      next,
      new Promise((r) => setTimeout(() => r('pending'), 30)),
    ]);
    expect(raced).toBe('pending');
    expect(held.cancelled()).toBe(false);
    await reader.cancel();
    expect(held.cancelled()).toBe(true);
  });

  it('readSseEvents parses with the reference parser across reads', async () => {
    expect(
      await readSseEvents(sse('event: a\r\ndata: x', '\r\n\r\n: hi\n\ndata: [DONE]\n\n')),
    ).toEqual([
      { type: 'a', data: 'x' },
      { type: 'message', data: '[DONE]' },
    ]);
  });
});

describe('check API', () => {
  it('defineChecks rejects bad and duplicate ids', () => {
    const run = () => {};
    expect(() => defineChecks([{ id: 'Bad Id', name: 'x', run }])).toThrow(/kebab-case/);
    expect(() =>
      defineChecks([
        { id: 'a', name: 'x', run },
        { id: 'a', name: 'y', run },
      ]),
    ).toThrow(/defined twice/);
    expect(defineChecks([{ id: 'a', name: 'x', run }])).toHaveLength(1);
  });

  it('assert and fail throw CheckFailure with the teaching message', () => {
    expect(() => assert(false, 'an event was dropped')).toThrow(CheckFailure);
    expect(() => fail('nope')).toThrow('nope');
    expect(() => assert(1, 'fine')).not.toThrow();
  });
});
