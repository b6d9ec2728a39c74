/**
 * Batches a stream of items into one delivery per tick of `schedule` (an animation frame in the page).
 * A lab run under a one-byte-reads scenario sends thousands of messages a second; folding them into the
 * run store one frame at a time means one snapshot and one render per frame instead of one per message.
 *
 * Quiet items (`quiet`) do not ask for a tick by themselves: a queue holding only quiet items waits for
 * `later` (a short timer), then for a tick, unless another item asks for a tick first. A Run's start is
 * quiet: the page changes once, when the run's first output arrives (about 15 ms after the click in a
 * warm sandbox), instead of drawing the start in one frame and the first chunk in the next. On two
 * cores, that first frame (style, layout and paint of a long lesson) held the first chunk back by
 * 20 to 40 ms.
 */
export interface BatchOptions<T> {
  /** Items that alone wait for `later` before asking for a tick. */
  quiet?: (item: T) => boolean;
  /** Schedules the wait of a queue of quiet items. */
  later?: (done: () => void) => void;
}

export function batchBy<T>(
  deliver: (items: T[]) => void,
  schedule: (flush: () => void) => void,
  options: BatchOptions<T> = {},
): (item: T) => void {
  const { quiet = () => false, later = (done: () => void) => done() } = options;
  let queue: T[] = [];
  let scheduled = false;
  let waiting = false;
  const flush = (): void => {
    scheduled = false;
    if (queue.length === 0) return;
    const items = queue;
    queue = [];
    deliver(items);
  };
  const tick = (): void => {
    if (scheduled) return;
    scheduled = true;
    schedule(flush);
  };
  const waited = (): void => {
    waiting = false;
    if (queue.length > 0) tick();
  };
  return (item) => {
    queue.push(item);
    if (scheduled) return;
    if (!quiet(item)) return tick();
    if (waiting) return;
    waiting = true;
    later(waited);
  };
}
