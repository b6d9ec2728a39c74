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

describe('batchBy: quiet items', () => {
  const setup = () => {
    const ticks: Array<() => void> = [];
    const waits: Array<() => void> = [];
    const delivered: string[][] = [];
    const push = batchBy<string>(
      (items) => delivered.push(items),
      (flush) => ticks.push(flush),
      { quiet: (item) => item.startsWith('q'), later: (done) => waits.push(done) },
    );
    return { ticks, waits, delivered, push };
  };

  it('a quiet item waits, and the next loud item brings it along in one tick', () => {
    const { ticks, waits, delivered, push } = setup();
    push('q-start');
    push('q-phase');
    expect(ticks).toHaveLength(0);
    expect(waits).toHaveLength(1);
    push('chunk');
    expect(ticks).toHaveLength(1);
    ticks.shift()!();
    expect(delivered).toEqual([['q-start', 'q-phase', 'chunk']]);
    // The wait ends with nothing queued: no tick, no empty delivery.
    waits.shift()!();
    expect(ticks).toHaveLength(0);
    expect(delivered).toHaveLength(1);
  });

  it('quiet items alone are delivered after the wait, at the next tick', () => {
    const { ticks, waits, delivered, push } = setup();
    push('q-start');
    waits.shift()!();
    expect(delivered).toEqual([]);
    push('q-phase');
    expect(waits).toHaveLength(0);
    ticks.shift()!();
    expect(delivered).toEqual([['q-start', 'q-phase']]);
  });

  it('a quiet item while a tick is due rides that tick, and a later quiet one waits again', () => {
    const { ticks, waits, delivered, push } = setup();
    push('chunk');
    push('q-phase');
    expect(waits).toHaveLength(0);
    ticks.shift()!();
    expect(delivered).toEqual([['chunk', 'q-phase']]);
    push('q-start');
    expect(ticks).toHaveLength(0);
    expect(waits).toHaveLength(1);
  });
});
