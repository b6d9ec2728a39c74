import { useEffect, useState, type RefObject } from 'react';

export interface SplitterProps {
  /** The element whose first column the splitter sizes (through `--lab-split`). */
  container: RefObject<HTMLElement | null>;
  label: string;
}

const MIN = 25;
const MAX = 75;
const STEP = 5;
const clamp = (pct: number): number => Math.round(Math.min(MAX, Math.max(MIN, pct)));

/**
 * A vertical separator between two columns (WAI-ARIA window splitter): drag it, or focus it and use
 * ←/→ (Home/End for the extremes). It sets `--lab-split` (the first column's share, in %) on its
 * container; `lab.css` hides it where the columns stack.
 */
export function Splitter({ container, label }: SplitterProps) {
  const [pct, setPct] = useState(55);
  useEffect(() => {
    container.current?.style.setProperty('--lab-split', `${pct}%`);
  }, [pct, container]);

  const fromPointer = (clientX: number): void => {
    const box = container.current?.getBoundingClientRect();
    if (box && box.width > 0) setPct(clamp(((clientX - box.left) / box.width) * 100));
  };

  return (
    <div
      className="lab-ws__splitter"
      role="separator"
      aria-orientation="vertical"
      aria-label={label}
      aria-valuemin={MIN}
      aria-valuemax={MAX}
      aria-valuenow={pct}
      tabIndex={0}
      onKeyDown={(event) => {
        const next =
          event.key === 'ArrowLeft'
            ? pct - STEP
            : event.key === 'ArrowRight'
              ? pct + STEP
              : event.key === 'Home'
                ? MIN
                : event.key === 'End'
                  ? MAX
                  : undefined;
        if (next === undefined) return;
        event.preventDefault();
        setPct(clamp(next));
      }}
      onPointerDown={(event) => {
        event.currentTarget.setPointerCapture(event.pointerId);
        event.preventDefault();
      }}
      onPointerMove={(event) => {
        if (event.currentTarget.hasPointerCapture(event.pointerId)) fromPointer(event.clientX);
      }}
    />
  );
}
