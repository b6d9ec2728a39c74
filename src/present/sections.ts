/**
 * Presenter mode's stepping: which stop (a section heading, a recorded run, a lab) comes next or before,
 * given the stops' offsets from the top of the page and the current scroll position. Pure.
 */

/** How close (px) to a stop counts as being at it. */
const AT = 8;

/** Index of the stop to move to, or undefined at either end. `tops` ascend; `scrollTop` is where we are. */
export function stepStop(
  tops: readonly number[],
  scrollTop: number,
  dir: 1 | -1,
): number | undefined {
  if (dir === 1) {
    const i = tops.findIndex((top) => top > scrollTop + AT);
    return i === -1 ? undefined : i;
  }
  for (let i = tops.length - 1; i >= 0; i--) if (tops[i]! < scrollTop - AT) return i;
  return undefined;
}

/** What a key does in presenter mode: `]`/PageDown next, `[`/PageUp previous; none with modifiers. */
export function presenterKey(event: {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
}): 1 | -1 | undefined {
  if (event.ctrlKey || event.metaKey || event.altKey) return undefined;
  if (event.key === ']' || event.key === 'PageDown') return 1;
  if (event.key === '[' || event.key === 'PageUp') return -1;
  return undefined;
}
