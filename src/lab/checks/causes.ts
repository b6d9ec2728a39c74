/**
 * Likely causes given once per run. A failure message says what happened, then `Likely cause: …`; when
 * several checks fail for the same likely cause (a TTFT in seconds fails six timing checks), the first
 * one carries the advice and the others point back to it, so the learner reads it once.
 */
const MARK = 'Likely cause: ';

/** Returns a function that rewrites a failure message whose likely cause an earlier check already gave. */
export function createCauseSharer(): (checkName: string, message: string) => string {
  const seen = new Map<string, string>();
  return (checkName, message) => {
    const at = message.indexOf(MARK);
    if (at < 0) return message;
    const cause = message.slice(at + MARK.length).trim();
    const first = seen.get(cause);
    if (first === undefined) {
      seen.set(cause, checkName);
      return message;
    }
    return `${message.slice(0, at)}${MARK}the same as for “${first}” above.`;
  };
}
