import { memo, useEffect, useRef, useState, type ReactNode } from 'react';
import type { TableRow } from '../../timeline/types.ts';

/** Rows per memoized block in a fully rendered table. */
const BLOCK = 100;
/** Above this many rows only the rows in view are in the DOM (see {@link RunTable}). */
export const VIRTUALIZE_ABOVE = 400;
/** Row height in a virtualized table (rows are one line there), in CSS pixels. */
const ROW_HEIGHT = 26;
/** Rows rendered beyond the visible ones, above and below. */
const OVERSCAN = 20;

export interface RunTableProps {
  rows: TableRow[];
  /** `rows.length`, so an in-place append re-renders. */
  count: number;
  origin: number;
  selected?: string;
  onSelect?: (id: string) => void;
  /** Shown in the Kind column when a run has several attempts. */
  multiAttempt: boolean;
  /** The table's accessible name (its caption); "Chunk timeline" unless several runs share a page. */
  name?: string;
}

/** Time in ms from the request, one decimal at most. */
export const formatTime = (t: number, origin: number): string =>
  String(Math.round((t - origin) * 10) / 10);

interface RowProps {
  row: TableRow;
  index: number;
  origin: number;
  selected: boolean;
  onSelect?: (id: string) => void;
  multiAttempt: boolean;
  virtual: boolean;
}

const Row = memo(function Row({
  row,
  index,
  origin,
  selected,
  onSelect,
  multiAttempt,
  virtual,
}: RowProps) {
  return (
    <tr
      data-id={row.id}
      data-attempt={row.attempt}
      className={`tl-row tl-row--${row.kind}`}
      aria-current={selected ? 'true' : undefined}
      data-selected={selected ? 'true' : undefined}
      aria-rowindex={virtual ? index + 2 : undefined}
    >
      <td className="tl-num">
        <button
          type="button"
          className="tl-row-select"
          onClick={() => onSelect?.(row.id)}
          aria-label={`${formatTime(row.t, origin)} ms, ${row.kind}: show details`}
        >
          {formatTime(row.t, origin)}
        </button>
      </td>
      <td>{multiAttempt ? `${row.kind} · #${row.attempt + 1}` : row.kind}</td>
      <td className="tl-num">{row.bytes}</td>
      <td className="tl-text" title={virtual ? row.text : undefined}>
        {row.text}
      </td>
    </tr>
  );
});

interface BlockProps {
  rows: TableRow[];
  start: number;
  end: number;
  origin: number;
  selected?: string;
  onSelect?: (id: string) => void;
  multiAttempt: boolean;
}

/**
 * A block of up to 100 rows. Rows are append-only, so a full block never changes: memo skips it, and a
 * live run re-renders only its last block.
 */
const Block = memo(function Block({
  rows,
  start,
  end,
  origin,
  selected,
  onSelect,
  multiAttempt,
}: BlockProps) {
  const out: ReactNode[] = [];
  for (let i = start; i < end; i++) {
    const row = rows[i]!;
    out.push(
      <Row
        key={row.id}
        row={row}
        index={i}
        origin={origin}
        selected={row.id === selected}
        onSelect={onSelect}
        multiAttempt={multiAttempt}
        virtual={false}
      />,
    );
  }
  return <tbody>{out}</tbody>;
});

/**
 * "Chunk timeline": one row per read and per event, in arrival order, with the time in ms from the
 * request, the kind, the bytes and the text. It is the screen-reader view of the timeline and a stable
 * contract for tests.
 *
 * Up to {@link VIRTUALIZE_ABOVE} rows, every row is in the DOM (and in the server-rendered HTML). Past
 * that, laying out thousands of rows on every frame of a live run costs far more than a frame, so the
 * table keeps only the rows in its scroll view in the DOM, one line each, and says how many rows it has
 * with `aria-rowcount` / `aria-rowindex`, the ARIA way for partially rendered tables.
 */
export function RunTable({
  rows,
  count,
  origin,
  selected,
  onSelect,
  multiAttempt,
  name = 'Chunk timeline',
}: RunTableProps) {
  const virtual = count > VIRTUALIZE_ABOVE;
  const wrap = useRef<HTMLDivElement>(null);
  const [scroll, setScroll] = useState({ top: 0, height: 360 });
  useEffect(() => {
    const el = wrap.current;
    if (!el || !virtual) return;
    const update = (): void => setScroll({ top: el.scrollTop, height: el.clientHeight });
    update();
    el.addEventListener('scroll', update, { passive: true });
    return () => el.removeEventListener('scroll', update);
  }, [virtual]);

  let body: ReactNode;
  if (virtual) {
    const first = Math.max(0, Math.floor(scroll.top / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(count, Math.ceil((scroll.top + scroll.height) / ROW_HEIGHT) + OVERSCAN);
    const shown: ReactNode[] = [];
    for (let i = first; i < last; i++) {
      const row = rows[i]!;
      shown.push(
        <Row
          key={row.id}
          row={row}
          index={i}
          origin={origin}
          selected={row.id === selected}
          onSelect={onSelect}
          multiAttempt={multiAttempt}
          virtual
        />,
      );
    }
    body = (
      <tbody>
        {first > 0 && (
          <tr aria-hidden="true" className="tl-spacer" style={{ height: first * ROW_HEIGHT }} />
        )}
        {shown}
        {last < count && (
          <tr
            aria-hidden="true"
            className="tl-spacer"
            style={{ height: (count - last) * ROW_HEIGHT }}
          />
        )}
      </tbody>
    );
  } else {
    const blocks: ReactNode[] = [];
    for (let start = 0; start < count; start += BLOCK) {
      const end = Math.min(count, start + BLOCK);
      let hasSelected = false;
      if (selected !== undefined)
        for (let i = start; i < end && !hasSelected; i++) hasSelected = rows[i]!.id === selected;
      blocks.push(
        <Block
          key={start}
          rows={rows}
          start={start}
          end={end}
          origin={origin}
          selected={hasSelected ? selected : undefined}
          onSelect={onSelect}
          multiAttempt={multiAttempt}
        />,
      );
    }
    body = blocks;
  }

  return (
    <div
      ref={wrap}
      className="tl-table-wrap"
      tabIndex={0}
      role="region"
      aria-label={`${name}, scrollable`}
    >
      <table
        className={`tl-table${virtual ? ' tl-table--virtual' : ''}`}
        aria-rowcount={virtual ? count + 1 : undefined}
      >
        <caption>{name}</caption>
        <colgroup>
          <col className="tl-col-time" />
          <col className="tl-col-kind" />
          <col className="tl-col-bytes" />
          <col />
        </colgroup>
        <thead>
          <tr aria-rowindex={virtual ? 1 : undefined}>
            <th scope="col">Time (ms)</th>
            <th scope="col">Kind</th>
            <th scope="col">Bytes</th>
            <th scope="col">Text</th>
          </tr>
        </thead>
        {body}
      </table>
      {count === 0 && <p className="tl-empty">No reads yet.</p>}
    </div>
  );
}
