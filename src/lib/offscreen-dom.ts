/**
 * Jumps to a part of a lesson land where they should although blocks above the target have not been
 * laid out yet (`content-visibility: auto`, src/styles/offscreen.css): until shown, such a block has
 * an estimated height, so a jump past it would land too high or too low once it renders. Before a
 * jump (the page opened at `#id`, an in-page link), the deferred blocks above the target are laid
 * out for real (`data-shown`), then the target is scrolled to.
 */

/** The blocks offscreen.css defers. */
export const DEFERRED_BLOCKS = '.recorded-run, .expressive-code';

/** The element a `#fragment` names, or null (an empty or malformed fragment included). */
function targetOf(hash: string): HTMLElement | null {
  if (hash.length < 2) return null;
  try {
    return document.getElementById(decodeURIComponent(hash.slice(1)));
  } catch {
    return null;
  }
}

/** Lays out, for real, every deferred block that comes before `target` in the page. */
export function showBlocksBefore(target: Element): void {
  for (const block of document.querySelectorAll<HTMLElement>(DEFERRED_BLOCKS)) {
    if (!(block.compareDocumentPosition(target) & Node.DOCUMENT_POSITION_FOLLOWING)) break;
    block.toggleAttribute('data-shown', true);
  }
}

export function wireOffscreenAnchors(): void {
  // Opened at `#id` (not a reload or Back, where the browser restores the reader's own position):
  // jump at once, as the browser itself does on load (a smooth scroll would hydrate every lab on the way).
  const navigation = performance.getEntriesByType('navigation')[0] as
    PerformanceNavigationTiming | undefined;
  const opened = targetOf(location.hash);
  if (opened && (navigation?.type ?? 'navigate') === 'navigate') {
    showBlocksBefore(opened);
    opened.scrollIntoView({ behavior: 'instant' });
  }
  // Before the browser follows an in-page link, so it scrolls with the real heights.
  document.addEventListener(
    'click',
    (event) => {
      const link = event.target instanceof Element ? event.target.closest('a[href^="#"]') : null;
      const target = link ? targetOf(link.getAttribute('href') ?? '') : null;
      if (target) showBlocksBefore(target);
    },
    true,
  );
}
