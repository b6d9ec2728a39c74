import { describe, expect, it } from 'vitest';
import { batchBy } from './batch.ts';

describe('batchBy', () => {
  it('delivers everything pushed before a tick, in order, once per tick', () => {
    const ticks: Array<() => void> = [];
    const delivered: number[][] = [];
    const push = batchBy<number>(
      (items) => delivered.push(items),
      (flush) => ticks.push(flush),
    );
    push(1);
    push(2);
    push(3);
    expect(ticks).toHaveLength(1);
    expect(delivered).toEqual([]);
    ticks.shift()!();
    expect(delivered).toEqual([[1, 2, 3]]);
    push(4);
    expect(ticks).toHaveLength(1);
    ticks.shift()!();
    expect(delivered).toEqual([[1, 2, 3], [4]]);
  });
});

describe('batchBy: urgent items', () => {
  it('delivers an urgent item at once, after what was queued before it, and never an empty batch', () => {
    const ticks: Array<() => void> = [];
    const delivered: string[][] = [];
    const push = batchBy<string>(
      (items) => delivered.push(items),
      (flush) => ticks.push(flush),
      (item) => item === 'start',
    );
    push('a');
    push('b');
    push('start');
    expect(delivered).toEqual([['a', 'b', 'start']]);
    push('c');
    // The tick scheduled for 'a' delivers 'c'; no tick delivers nothing.
    for (const tick of ticks.splice(0)) tick();
    expect(delivered).toEqual([['a', 'b', 'start'], ['c']]);
    push('start');
    expect(delivered).toEqual([['a', 'b', 'start'], ['c'], ['start']]);
    for (const tick of ticks.splice(0)) tick();
    expect(delivered).toHaveLength(3);
  });
});
