/**
 * Zoom and pan math for the time axis, free of any DOM: a `View` is the visible window of time, and
 * every gesture (wheel, pinch, drag, keys) becomes one of these pure functions.
 */

/** The visible window, in recording ms. */
export interface View {
  start: number;
  end: number;
}

/** Smallest window a user can zoom into (ms): below this nothing new becomes visible. */
export const MIN_SPAN = 1;

const span = (v: View): number => v.end - v.start;

/** The whole domain, with a little room on the right so the last mark is not on the edge. */
export function fitView(domain: { origin: number; end: number }): View {
  const width = Math.max(domain.end - domain.origin, 10);
  return { start: domain.origin, end: domain.origin + width * 1.04 };
}

/** Keeps a view inside the domain's fit (cannot pan before the request or far past the end). */
export function clampView(view: View, domain: { origin: number; end: number }): View {
  const fit = fitView(domain);
  const width = Math.min(Math.max(span(view), MIN_SPAN), span(fit));
  let start = Math.max(view.start, fit.start);
  if (start + width > fit.end) start = fit.end - width;
  return { start, end: start + width };
}

/** Zooms by `factor` (> 1 zooms in) keeping time `at` at the same place on screen. */
export function zoomView(
  view: View,
  factor: number,
  at: number,
  domain: { origin: number; end: number },
): View {
  const width = span(view) / factor;
  const ratio = span(view) > 0 ? (at - view.start) / span(view) : 0.5;
  const start = at - ratio * width;
  return clampView({ start, end: start + width }, domain);
}

/** Pans by `deltaMs` (positive moves later). */
export function panView(
  view: View,
  deltaMs: number,
  domain: { origin: number; end: number },
): View {
  return clampView({ start: view.start + deltaMs, end: view.end + deltaMs }, domain);
}

/** Centers the view on `t`, keeping its width. */
export function centerView(view: View, t: number, domain: { origin: number; end: number }): View {
  const half = span(view) / 2;
  return clampView({ start: t - half, end: t + half }, domain);
}

/** Time -> x pixel within `width`. */
export const toX = (t: number, view: View, width: number): number =>
  ((t - view.start) / (span(view) || 1)) * width;

/** x pixel -> time. */
export const toT = (x: number, view: View, width: number): number =>
  view.start + (x / (width || 1)) * span(view);

/**
 * "Nice" tick positions (1, 2, 5 × 10^n ms) for the visible window, about `count` of them, as times
 * relative to `origin` (the axis shows ms from the request).
 */
export function ticks(view: View, origin: number, count = 6): number[] {
  const raw = span(view) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw || 1));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const first = Math.ceil((view.start - origin) / step) * step;
  const out: number[] = [];
  for (let rel = first; origin + rel <= view.end + 1e-9 && out.length < 50; rel += step) {
    out.push(Math.round(rel * 1e6) / 1e6);
  }
  return out;
}

/**
 * Index of the first item with `t >= time` in a list sorted by time (binary search), so drawing and
 * hit-testing only touch what is visible.
 */
export function lowerBound<T extends { t: number }>(items: readonly T[], time: number): number {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (items[mid]!.t < time) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
