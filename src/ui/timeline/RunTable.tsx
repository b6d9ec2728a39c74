import {
  memo,
  useEffect,
  useId,
  useRef,
  useState,
  type KeyboardEvent,
  type ReactNode,
} from 'react';
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
  /** The row whose button is the table's one tab stop. */
  tabbable: boolean;
  onSelect?: (id: string) => void;
  multiAttempt: boolean;
  virtual: boolean;
}

const Row = memo(function Row({
  row,
  index,
  origin,
  selected,
  tabbable,
  onSelect,
  multiAttempt,
  virtual,
}: RowProps) {
  return (
    <tr
      data-id={row.id}
      data-index={index}
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
          tabIndex={tabbable ? 0 : -1}
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
  /** The tab stop's row id, when it is in this block. */
  active?: string;
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
  active,
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
        tabbable={row.id === active}
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
 *
 * The table is one tab stop (a roving tabindex): Tab reaches one row's button (the selected row, or
 * the first), ↑/↓ move between rows, PageUp/PageDown by ten, Home/End to the ends; Enter shows the
 * row's details.
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
  const helpId = useId();
  const [moved, setMoved] = useState<string>();
  /** A row to focus once it is rendered (after a key moved the tab stop there). */
  const pendingFocus = useRef<string | undefined>(undefined);
  const inTable = (id: string | undefined): boolean =>
    id !== undefined && rows.slice(0, count).some((r) => r.id === id);
  const active = inTable(moved) ? moved : inTable(selected) ? selected : rows[0]?.id;
  const [scroll, setScroll] = useState({ top: 0, height: 360 });
  useEffect(() => {
    const el = wrap.current;
    if (!el || !virtual) return;
    const update = (): void => setScroll({ top: el.scrollTop, height: el.clientHeight });
    update();
    el.addEventListener('scroll', update, { passive: true });
    return () => el.removeEventListener('scroll', update);
  }, [virtual]);

  useEffect(() => {
    const id = pendingFocus.current;
    if (id === undefined) return;
    const button = wrap.current?.querySelector<HTMLElement>(
      `tr[data-id="${CSS.escape(id)}"] .tl-row-select`,
    );
    if (!button) return; // not rendered yet: a virtual table renders it after the scroll
    pendingFocus.current = undefined;
    button.focus();
  });

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    const tr = (event.target as HTMLElement).closest<HTMLElement>('tr[data-index]');
    if (!tr || !(event.target as HTMLElement).classList.contains('tl-row-select')) return;
    const index = Number(tr.dataset.index);
    const steps: Record<string, number> = {
      ArrowDown: index + 1,
      ArrowUp: index - 1,
      PageDown: index + 10,
      PageUp: index - 10,
      Home: 0,
      End: count - 1,
    };
    const target = steps[event.key];
    if (target === undefined || count === 0) return;
    event.preventDefault();
    const next = Math.max(0, Math.min(count - 1, target));
    const id = rows[next]!.id;
    pendingFocus.current = id;
    setMoved(id);
    const el = wrap.current;
    if (virtual && el) {
      const top = next * ROW_HEIGHT;
      if (top < el.scrollTop || top + ROW_HEIGHT > el.scrollTop + el.clientHeight)
        el.scrollTop = Math.max(0, top - el.clientHeight / 2);
    }
  };

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
          tabbable={row.id === active}
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
      let hasActive = false;
      for (let i = start; i < end; i++) {
        if (rows[i]!.id === selected) hasSelected = true;
        if (rows[i]!.id === active) hasActive = true;
      }
      blocks.push(
        <Block
          key={start}
          rows={rows}
          start={start}
          end={end}
          origin={origin}
          selected={hasSelected ? selected : undefined}
          active={hasActive ? active : undefined}
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
      role="region"
      aria-label={`${name}, scrollable`}
      aria-describedby={count > 0 ? helpId : undefined}
      onKeyDown={onKeyDown}
    >
      <p id={helpId} hidden>
        One tab stop: the arrow keys move between rows, Page Up and Page Down by ten, Home and End
        to the first and the last; Enter shows a row&apos;s details.
      </p>
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
