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
