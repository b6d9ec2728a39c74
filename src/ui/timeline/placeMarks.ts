/**
 * Where the timeline's mark buttons go: at their time when they can, never on top of each other.
 * Marks close in time (a retry storm, a burst of tool calls) share a row only while they are at least
 * one button apart; the next one opens another row (up to `maxRows`), and when every row is taken it
 * is nudged right in the row that ends first. Each row is then pulled back from the right edge, so no
 * button spills out of the panel. Pure: x positions in, positions out.
 */
export interface MarkPlacement {
  /** Centre of each mark, px (a mark out of view keeps its raw x, in row 0). */
  x: number[];
  row: number[];
  /** Rows in use (at least 1). */
  rows: number;
}

export interface PlaceOptions {
  /** Distance between two centres in one row: the button width plus a gap. */
  size?: number;
  /** Nearest a centre may come to either edge. */
  margin?: number;
  maxRows?: number;
}

export function placeMarks(
  raw: readonly number[],
  width: number,
  { size = 26, margin = 12, maxRows = 3 }: PlaceOptions = {},
): MarkPlacement {
  const x = [...raw];
  const row = raw.map(() => 0);
  const ends: number[] = [];
  const inView = (i: number): boolean => raw[i]! >= -1 && raw[i]! <= width + 1;
  for (let i = 0; i < raw.length; i++) {
    if (!inView(i)) continue;
    const at = Math.max(raw[i]!, margin);
    let r = ends.findIndex((end) => at >= end + size);
    if (r < 0 && ends.length < maxRows) r = ends.length;
    if (r < 0) r = ends.indexOf(Math.min(...ends));
    x[i] = r < ends.length ? Math.max(at, ends[r]! + size) : at;
    row[i] = r;
    ends[r] = x[i]!;
  }
  for (let r = 0; r < ends.length; r++) {
    let next = width - margin + size;
    for (let i = raw.length - 1; i >= 0; i--) {
      if (!inView(i) || row[i] !== r) continue;
      x[i] = Math.max(margin, Math.min(x[i]!, next - size));
      next = x[i]!;
    }
  }
  return { x, row, rows: Math.max(1, ends.length) };
}
