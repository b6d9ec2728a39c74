/**
 * Reading values learner code made, without running its traps. Learner code can throw or log anything:
 * a Proxy whose every trap throws, an object with a throwing `message` getter, a `toString` that throws
 * or returns an object. The run's own code describes such values through these helpers, which never
 * throw, so a hostile value becomes a line in the console or an error message, not a broken run.
 */

/** `value[key]`, or `undefined` if reading it throws. */
export function safeRead(value: unknown, key: PropertyKey): unknown {
  try {
    return (value as Record<PropertyKey, unknown>)[key];
  } catch {
    return undefined;
  }
}

/** Whether `value` looks like an error (an `Error`, or an object with a `message`); never throws. */
export function isErrorLike(value: unknown): boolean {
  try {
    return (
      value instanceof Error || (typeof value === 'object' && value !== null && 'message' in value)
    );
  } catch {
    return false;
  }
}

/** `String(value)` when that works and gives a string; otherwise `fallback`. Never throws. */
export function safeText(value: unknown, fallback: string): string {
  if (typeof value === 'string') return value;
  if (value === undefined) return fallback || 'undefined';
  try {
    const text: unknown = String(value);
    if (typeof text === 'string') return text;
  } catch {
    // fall through
  }
  try {
    return Object.prototype.toString.call(value);
  } catch {
    return fallback;
  }
}
