/**
 * Echoed user input, cut to a readable length. Error messages and log lines quote what the client sent
 * (an unknown knob, a run id, a path); a hostile client can send kilobytes there, which would then fill
 * every log line and error body. `clip` keeps the first `max` characters and marks the cut with "…",
 * saying how long the whole was.
 */

/** What messages keep of an echoed value. */
export const ECHO_MAX = 64;
/** What a log line keeps of a path, knob list or run id: any legal run id (at most 200) stays whole. */
export const LOG_ECHO_MAX = 200;

/** `text` if it is at most `max` characters long, else its first `max` and "… (N characters)". */
export function clip(text: string, max = ECHO_MAX): string {
  // Code points, not UTF-16 units, so a cut never splits a surrogate pair.
  const points = Array.from(text.length > max * 2 ? text.slice(0, max * 2) : text);
  if (points.length <= max && text.length <= max * 2) return text;
  return `${points.slice(0, max).join('')}… (${text.length} characters)`;
}
