/**
 * Pure position helpers shared by the editor and the console: `file:line:column` text and
 * 1-based line/column <-> document offsets.
 */

/** A 1-based position in a named file, as error stacks and compilers print it. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

/** `sse-reader.ts:12:5`. */
export function formatLocation(location: SourceLocation): string {
  return `${location.file}:${location.line}:${location.column}`;
}

/**
 * Finds `file:line:column` references to `file` in a line of text (a stack trace, an error message), so
 * the console can make them links. Returns each match's span in `text` and its location.
 */
export function findLocations(
  text: string,
  file: string,
): Array<{ start: number; end: number; location: SourceLocation }> {
  const escaped = file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const pattern = new RegExp(`(?<![\\w./-])${escaped}:(\\d+):(\\d+)`, 'g');
  const found: Array<{ start: number; end: number; location: SourceLocation }> = [];
  for (const match of text.matchAll(pattern)) {
    found.push({
      start: match.index,
      end: match.index + match[0].length,
      location: { file, line: Number(match[1]), column: Number(match[2]) },
    });
  }
  return found;
}

/**
 * The document offset of a 1-based line and column, clamped into the document (a stale position after
 * an edit still lands somewhere sensible instead of throwing).
 */
export function offsetAt(text: string, line: number, column: number): number {
  const lines = text.split('\n');
  const lineIndex = Math.min(Math.max(1, Math.floor(line)), lines.length) - 1;
  let offset = 0;
  for (let i = 0; i < lineIndex; i++) offset += lines[i]!.length + 1;
  const lineLength = lines[lineIndex]!.length;
  return offset + Math.min(Math.max(1, Math.floor(column)), lineLength + 1) - 1;
}

/** The end of the word (identifier) starting at `offset`, or `offset + 1` when none starts there. */
export function wordEnd(text: string, offset: number): number {
  let end = offset;
  while (end < text.length && /[\w$]/.test(text[end]!)) end++;
  return end > offset ? end : Math.min(offset + 1, Math.max(text.length, offset));
}
