/**
 * Batches a stream of items into one delivery per tick of `schedule` (an animation frame in the page).
 * A lab run under a one-byte-reads scenario sends thousands of messages a second; folding them into the
 * run store one frame at a time means one snapshot and one render per frame instead of one per message.
 */
export function batchBy<T>(
  deliver: (items: T[]) => void,
  schedule: (flush: () => void) => void,
): (item: T) => void {
  let queue: T[] = [];
  let scheduled = false;
  const flush = (): void => {
    scheduled = false;
    const items = queue;
    queue = [];
    deliver(items);
  };
  return (item) => {
    queue.push(item);
    if (scheduled) return;
    scheduled = true;
    schedule(flush);
  };
}
