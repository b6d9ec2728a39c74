/**
 * Presenter mode on a lesson page: `data-present` on <html> (large type, projector contrast:
 * `src/styles/present.css`), the toggle, the presenter bar, and keys to step through the lesson's stops
 * (its sections, recorded runs and labs): `]`/PageDown next, `[`/PageUp previous. Keys typed into the
 * editor, a form field or a widget that handles them itself are left alone. State: `src/present/state.ts`.
 */
import { presenter } from '../present/state.ts';
import { presenterKey, stepStop } from '../present/sections.ts';

/** What a step can land on. */
const STOPS = '.lesson-header, .lesson-body h2, .lesson-body .recorded-run, .lesson-body .lab';
/** The with-and-without-streaming comparison (a recorded run showing the non-streaming strip). */
const COMPARISON = '.recorded-run:has(.tl-nostream)';
/** The hash that asks a page to open at its comparison (from another lesson's presenter bar). */
export const COMPARISON_HASH = '#without-streaming';
/** Where keys belong to something else. */
const OWN_KEYS =
  'input, textarea, select, [contenteditable], .cm-editor, .tl, .tl-table-wrap, .sse-inspector, [role="slider"]';

function stops(): HTMLElement[] {
  return [...document.querySelectorAll<HTMLElement>(STOPS)];
}

/** The sticky header's height, measured once per step rather than once per stop. */
const headerHeight = (): number =>
  document.querySelector('.site-header')?.getBoundingClientRect().height ?? 0;

/** Page offset a stop scrolls to: its top, under the sticky header. */
function offsetOf(el: HTMLElement, header: number): number {
  return Math.max(0, Math.round(el.getBoundingClientRect().top + window.scrollY - header - 8));
}

function show(el: HTMLElement): void {
  window.scrollTo({ top: offsetOf(el, headerHeight()), behavior: 'instant' });
  // Move the focus along (without scrolling again), so Tab continues from the section shown.
  if (!el.hasAttribute('tabindex')) el.setAttribute('tabindex', '-1');
  el.focus({ preventScroll: true });
}

/** Shows the next (1) or previous (-1) stop; false at either end. */
export function step(dir: 1 | -1): boolean {
  const all = stops();
  const header = headerHeight();
  const i = stepStop(
    all.map((el) => offsetOf(el, header)),
    window.scrollY,
    dir,
  );
  if (i === undefined) return false;
  show(all[i]!);
  return true;
}

/** Shows the page's comparison, if it has one. */
export function showComparison(): boolean {
  const el = document.querySelector<HTMLElement>(COMPARISON);
  if (el) show(el);
  return el !== null;
}

export function wirePresenter(root: HTMLElement): void {
  const store = presenter();
  const toggles = root.querySelectorAll<HTMLButtonElement>('[data-present-toggle]');
  const paint = (): void => {
    const on = store.get().on;
    document.documentElement.toggleAttribute('data-present', on);
    for (const toggle of toggles) toggle.setAttribute('aria-pressed', String(on));
  };
  paint();
  store.subscribe(paint);
  for (const toggle of toggles)
    toggle.addEventListener('click', () => store.setOn(!store.get().on));
  root.querySelector('[data-present-exit]')?.addEventListener('click', () => store.setOn(false));
  root.querySelector('[data-present-prev]')?.addEventListener('click', () => step(-1));
  root.querySelector('[data-present-next]')?.addEventListener('click', () => step(1));
  // The comparison: on this page a jump, on another lesson a link (it opens there, in presenter mode).
  const compare = root.querySelector<HTMLAnchorElement>('[data-present-compare]');
  compare?.addEventListener('click', (event) => {
    if (showComparison()) event.preventDefault();
  });
  if (location.hash === COMPARISON_HASH) requestAnimationFrame(() => showComparison());

  document.addEventListener('keydown', (event) => {
    if (!store.get().on || event.defaultPrevented) return;
    const dir = presenterKey(event);
    if (dir === undefined) return;
    const target = event.target instanceof Element ? event.target : null;
    if (target?.closest(OWN_KEYS)) return;
    if (step(dir)) event.preventDefault();
  });
}
