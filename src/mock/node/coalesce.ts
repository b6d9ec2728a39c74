/**
 * Coalesces what one response writes within a tick into one socket write: the first write of a tick
 * corks the response and the end of the tick uncorks it, so a comment and the event after it, or the
 * several events a slow reader's turn releases, leave in one `writev` instead of one syscall each. At
 * a thousand concurrent streams the syscalls, not the mock's own work, are most of the server's time.
 *
 * Call `flush()` before `end()`: an HTTP response ended while corked drops what it buffered.
 */
import type { Writable } from 'node:stream';

export interface CoalescingWriter {
  write(chunk: Uint8Array): boolean;
  flush(): void;
}

export function coalescingWriter(out: Writable): CoalescingWriter {
  let corked = false;
  const flush = (): void => {
    if (!corked) return;
    corked = false;
    out.uncork();
  };
  return {
    write(chunk) {
      if (!corked) {
        corked = true;
        out.cork();
        // After this tick's promise jobs too: the read loop's next chunks arrive as microtasks.
        process.nextTick(flush);
      }
      return out.write(chunk);
    },
    flush,
  };
}
