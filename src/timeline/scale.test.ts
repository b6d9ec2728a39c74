import { describe, expect, it } from 'vitest';
import { clampView, fitView, lowerBound, panView, ticks, toT, toX, zoomView } from './scale.ts';

const domain = { origin: 0, end: 1000 };

describe('scale', () => {
  it('fits the domain with a little room', () => {
    expect(fitView(domain)).toEqual({ start: 0, end: 1040 });
  });

  it('zooms around a point and never out past the fit', () => {
    const view = zoomView(fitView(domain), 4, 520, domain);
    expect(view.end - view.start).toBeCloseTo(260);
    expect(toX(520, view, 100)).toBeCloseTo(50);
    expect(zoomView(view, 0.01, 500, domain)).toEqual(fitView(domain));
  });

  it('pans within the domain', () => {
    const view = { start: 100, end: 200 };
    expect(panView(view, -500, domain)).toEqual({ start: 0, end: 100 });
    expect(panView(view, 5000, domain)).toEqual({ start: 940, end: 1040 });
    expect(clampView({ start: 10, end: 10 }, domain).end).toBe(11);
  });

  it('maps x back to t', () => {
    expect(toT(toX(333, { start: 0, end: 1000 }, 640), { start: 0, end: 1000 }, 640)).toBeCloseTo(
      333,
    );
  });

  it('makes nice ticks relative to the origin', () => {
    expect(ticks({ start: 0, end: 1000 }, 0, 5)).toEqual([0, 200, 400, 600, 800, 1000]);
    expect(ticks({ start: 105, end: 160 }, 100, 5)).toEqual([20, 40, 60]);
  });

  it('binary-searches times', () => {
    const items = [1, 2, 2, 5].map((t) => ({ t }));
    expect(lowerBound(items, 2)).toBe(1);
    expect(lowerBound(items, 6)).toBe(4);
  });
});
