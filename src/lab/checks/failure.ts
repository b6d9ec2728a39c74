/** A check's verdict that the learner's code is wrong; its message is shown to the learner as is. */
export class CheckFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CheckFailure';
  }
}

/** Fails the current check with `message`. */
export function fail(message: string): never {
  throw new CheckFailure(message);
}

/** Fails the current check with `message` unless `condition` holds (and narrows its type). */
export function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new CheckFailure(message);
}
