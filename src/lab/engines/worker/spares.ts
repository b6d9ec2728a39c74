/**
 * The sandbox frame's spare workers, as the frame announces them to the page (`public/sandbox.html`
 * boots one after init and after each run's Stop, and hands the page a control port to it).
 */

/** A booted spare worker: its id in the frame and the control port the page posts a run to. */
export interface Spare {
  id: number;
  port: MessagePort;
}

/**
 * The frame's spare workers as they are announced: `take` resolves with the one booted now, or with the
 * next one. A newer spare replaces one not yet taken (the frame keeps a single spare).
 */
export function spareQueue(): {
  offer(spare: Spare): void;
  take(): Promise<Spare>;
  /** Takes the booted spare now, if there is one (a Run posts to it in its own task). */
  takeNow(): Spare | undefined;
  /** The booted spare not yet taken, if any. */
  peek(): Spare | undefined;
} {
  let ready: Spare | undefined;
  const waiting: Array<(spare: Spare) => void> = [];
  const takeNow = (): Spare | undefined => {
    const spare = ready;
    ready = undefined;
    return spare;
  };
  return {
    offer(spare) {
      const next = waiting.shift();
      if (next) next(spare);
      else ready = spare;
    },
    peek: () => ready,
    takeNow,
    take() {
      const spare = takeNow();
      return spare ? Promise.resolve(spare) : new Promise((resolve) => waiting.push(resolve));
    },
  };
}
