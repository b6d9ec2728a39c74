import { describe, expect, it } from 'vitest';
import { placeMarks } from './placeMarks.ts';

/** No two marks of one row closer than `size`, and every mark in view inside the panel. */
function expectLegible(raw: number[], width: number, size = 26, margin = 12) {
  const placed = placeMarks(raw, width, { size, margin });
  for (let i = 0; i < raw.length; i++) {
    expect(placed.x[i]).toBeGreaterThanOrEqual(margin);
    expect(placed.x[i]).toBeLessThanOrEqual(width - margin);
    for (let j = i + 1; j < raw.length; j++) {
      if (placed.row[i] === placed.row[j])
        expect(Math.abs(placed.x[i]! - placed.x[j]!)).toBeGreaterThanOrEqual(size);
    }
  }
  return placed;
}

describe('placeMarks', () => {
  it('keeps marks at their time when they are far apart, in one row', () => {
    expect(placeMarks([40, 120, 200], 300)).toEqual({ x: [40, 120, 200], row: [0, 0, 0], rows: 1 });
  });

  it('stacks marks at the same time in rows instead of overlapping them', () => {
    const placed = expectLegible([100, 100, 101], 300);
    expect(placed.row).toEqual([0, 1, 2]);
    expect(placed.x).toEqual([100, 100, 101]);
  });

  it('spreads a burst wider than three rows to the right, on a phone-width panel', () => {
    const placed = expectLegible(
      Array.from({ length: 24 }, (_, i) => 20 + i),
      250,
    );
    expect(placed.rows).toBe(3);
  });

  it('pulls marks at the right edge back inside the panel', () => {
    const placed = expectLegible([290, 295, 299, 300], 300);
    expect(Math.max(...placed.x)).toBe(288);
  });

  it('leaves marks out of view where they are', () => {
    expect(placeMarks([-50, 100, 400], 300)).toEqual({
      x: [-50, 100, 400],
      row: [0, 0, 0],
      rows: 1,
    });
  });
});
