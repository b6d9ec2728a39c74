import { describe, expect, it } from 'vitest';
import { createPrng, hashString } from './prng.ts';

describe('prng', () => {
  it('repeats for a seed, differs across seeds, stays in range', () => {
    const a = createPrng(42);
    const b = createPrng(42);
    const xs = Array.from({ length: 100 }, () => a.next());
    expect(Array.from({ length: 100 }, () => b.next())).toEqual(xs);
    expect(createPrng(43).next()).not.toBe(xs[0]);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    const ints = Array.from({ length: 1000 }, () => a.int(1, 3));
    expect(new Set(ints)).toEqual(new Set([1, 2, 3]));
    expect(() => a.pick([])).toThrow(RangeError);
  });
  it('hashes strings stably', () => {
    expect(hashString('abc')).toBe(hashString('abc'));
    expect(hashString('abc')).not.toBe(hashString('abd'));
    expect(hashString('')).toBe(0x811c9dc5);
  });
});
