import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { coalescingWriter } from './coalesce.ts';

/** A sink that records each batch the stream hands down (one batch = one socket write). */
function sink() {
  const batches: string[][] = [];
  const out = new Writable({
    writev(chunks, done) {
      batches.push(chunks.map((c) => String(c.chunk)));
      done();
    },
    write(chunk, _encoding, done) {
      batches.push([String(chunk)]);
      done();
    },
  });
  return { out, batches };
}

const bytes = (text: string) => new TextEncoder().encode(text);
const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('coalescingWriter', () => {
  it('sends what one tick writes, promise jobs included, as one batch', async () => {
    const { out, batches } = sink();
    const { write } = coalescingWriter(out);
    write(bytes(': sched 250\n'));
    await Promise.resolve();
    write(bytes('data: {"a":1}\n\n'));
    await tick();
    write(bytes('data: {"a":2}\n\n'));
    await tick();
    expect(batches).toEqual([[': sched 250\n', 'data: {"a":1}\n\n'], ['data: {"a":2}\n\n']]);
  });

  it('flush() sends at once what the tick has written so far', async () => {
    const { out, batches } = sink();
    const writer = coalescingWriter(out);
    writer.write(bytes('data: last\n\n'));
    writer.flush();
    expect(batches).toEqual([['data: last\n\n']]);
    out.end();
    await tick();
    expect(batches.flat()).toEqual(['data: last\n\n']);
  });
});
