/**
 * Cuts a text the page would show (a console line, a driver or check error) to `limit` characters, with
 * a visible note of how much was left out, so a learner's 5 MB error message neither floods the page
 * nor disappears without a word.
 */

/** The longest error message (driver or check) a run reports. */
export const ERROR_TEXT_LIMIT = 2_000;
/** The longest console line a run keeps. */
export const CONSOLE_TEXT_LIMIT = 4_000;

/** `text` when it fits in `limit` characters, else its start and "… truncated, N more characters". */
export function truncateText(text: string, limit: number): string {
  if (text.length <= limit) return text;
  const more = text.length - limit;
  return `${text.slice(0, limit)}… truncated, ${more.toLocaleString('en-US')} more character${more === 1 ? '' : 's'}`;
}
