import { useEffect, useRef, useState } from 'react';

/**
 * `value`, but while `live` it changes at most once per `ms` (with a trailing update, so the last value
 * always shows). Used for the parts of the timeline that need not move at frame rate during a live run
 * (the table, the details): laying them out on every frame would cost more than the frame.
 */
export function useThrottled<T>(value: T, live: boolean, ms = 250): T {
  const [shown, setShown] = useState(value);
  const last = useRef(0);
  const latest = useRef(value);
  latest.current = value;
  const now = typeof performance === 'undefined' ? 0 : performance.now();
  const due = !live || now - last.current >= ms;
  useEffect(() => {
    if (due) {
      last.current = performance.now();
      if (!Object.is(shown, value)) setShown(value);
      return;
    }
    const timer = setTimeout(
      () => {
        last.current = performance.now();
        setShown(latest.current);
      },
      ms - (performance.now() - last.current),
    );
    return () => clearTimeout(timer);
  });
  return due ? value : shown;
}
