import { memo } from 'react';
import type { TableRow } from '../../timeline/types.ts';

const BLOCK = 100;

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
 * live run re-renders only its last block instead of thousands of rows per frame.
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
  const out = [];
  for (let i = start; i < end; i++) {
    const row = rows[i]!;
    const isSelected = row.id === selected;
    out.push(
      <tr
        key={row.id}
        data-id={row.id}
        data-attempt={row.attempt}
        className={`tl-row tl-row--${row.kind}`}
        aria-selected={isSelected}
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
        <td className="tl-text">{row.text}</td>
      </tr>,
    );
  }
  return <tbody>{out}</tbody>;
});

/**
 * "Chunk timeline": one row per read and per event, in arrival order, with the time in ms from the
 * request, the kind, the bytes and the text. It is the screen-reader view of the timeline and a stable
 * contract for tests.
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
  const blocks = [];
  for (let start = 0; start < count; start += BLOCK) {
    const end = Math.min(count, start + BLOCK);
    const hasSelected =
      selected !== undefined && rows.slice(start, end).some((r) => r.id === selected);
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
  return (
    <div className="tl-table-wrap" tabIndex={0} role="region" aria-label={`${name}, scrollable`}>
      <table className="tl-table">
        <caption>{name}</caption>
        <colgroup>
          <col className="tl-col-time" />
          <col className="tl-col-kind" />
          <col className="tl-col-bytes" />
          <col />
        </colgroup>
        <thead>
          <tr>
            <th scope="col">Time (ms)</th>
            <th scope="col">Kind</th>
            <th scope="col">Bytes</th>
            <th scope="col">Text</th>
          </tr>
        </thead>
        {blocks}
      </table>
      {count === 0 && <p className="tl-empty">No reads yet.</p>}
    </div>
  );
}
