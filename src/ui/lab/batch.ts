/**
 * Batches a stream of items into one delivery per tick of `schedule` (an animation frame in the page).
 * A lab run under a one-byte-reads scenario sends thousands of messages a second; folding them into the
 * run store one frame at a time means one snapshot and one render per frame instead of one per message.
 *
 * An item for which `urgent` is true is delivered at once, after everything queued before it (so order
 * holds): a Run's `run-start` updates the lab in the click's own task, while the browser waits for the
 * next frame anyway, instead of in that frame, where its render would hold up the run's first chunk.
 */
export function batchBy<T>(
  deliver: (items: T[]) => void,
  schedule: (flush: () => void) => void,
  urgent: (item: T) => boolean = () => false,
): (item: T) => void {
  let queue: T[] = [];
  let scheduled = false;
  const deliverQueued = (): void => {
    if (queue.length === 0) return;
    const items = queue;
    queue = [];
    deliver(items);
  };
  const flush = (): void => {
    scheduled = false;
    deliverQueued();
  };
  return (item) => {
    queue.push(item);
    if (urgent(item)) return deliverQueued();
    if (scheduled) return;
    scheduled = true;
    schedule(flush);
  };
}
