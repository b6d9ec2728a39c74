/**
 * Byte helpers shared by the timeline model, the run details view and the SSE inspector: base64 (runs
 * store read bytes as base64 so they export as plain JSON), and a display form of raw bytes in which
 * `\r`, `\n` and the halves of a character split across reads stay visible.
 */

/** Decodes standard base64 into bytes. Throws a `SyntaxError`-like `Error` on a malformed string. */
export function fromBase64(text: string): Uint8Array {
  // atob exists in browsers, workers and Node >= 16; it throws on characters outside the alphabet.
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

/** Encodes bytes as standard base64 (chunked, so a large read does not overflow the argument list). */
export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) {
    binary += String.fromCharCode(...bytes.subarray(i, i + chunk));
  }
  return btoa(binary);
}

/** How many bytes a UTF-8 sequence that starts with `lead` has (1 for ASCII and for stray bytes). */
export function utf8SequenceLength(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xf0 && lead < 0xf8) return 4;
  if (lead >= 0xe0) return lead < 0xf0 ? 3 : 1;
  if (lead >= 0xc0) return 2;
  return 1; // a continuation byte on its own
}

/** True for a UTF-8 continuation byte (`10xxxxxx`). */
export const isContinuation = (byte: number): boolean => (byte & 0xc0) === 0x80;

/**
 * One piece of a read as shown to the learner:
 * - `text`: printable characters;
 * - `cr` / `lf`: a carriage return or line feed (drawn as ␍ / ␊);
 * - `partial`: bytes of a character that this read cut in two (shown as hex, e.g. `e2 82`);
 * - `boundary`: an event ended here (just after its blank line) — a split point inside the read.
 */
export type ByteSegment =
  | { kind: 'text'; text: string }
  | { kind: 'cr' }
  | { kind: 'lf' }
  | { kind: 'partial'; hex: string; where: 'start' | 'end' }
  | { kind: 'boundary' };

const hex = (bytes: Uint8Array): string =>
  Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(' ');

/**
 * Splits a read's bytes into display segments. `eventEnds` are byte offsets (within the read) at which
 * an event's closing blank line ended, as reported by {@link ReadScanner}.
 */
export function describeBytes(bytes: Uint8Array, eventEnds: readonly number[] = []): ByteSegment[] {
  const segments: ByteSegment[] = [];
  const ends = new Set(eventEnds);
  const n = bytes.length;
  let text = '';
  const flush = (): void => {
    if (text) segments.push({ kind: 'text', text });
    text = '';
  };
  let i = 0;
  // Continuation bytes at the very start belong to a character the previous read began.
  while (i < n && isContinuation(bytes[i]!)) i++;
  if (i > 0) segments.push({ kind: 'partial', hex: hex(bytes.subarray(0, i)), where: 'start' });
  while (i < n) {
    if (ends.has(i)) {
      flush();
      segments.push({ kind: 'boundary' });
    }
    const b = bytes[i]!;
    if (b === 0x0d || b === 0x0a) {
      flush();
      segments.push({ kind: b === 0x0d ? 'cr' : 'lf' });
      i++;
      continue;
    }
    // A run of whole characters up to the next CR, LF or event end, decoded at once (a read is often
    // kilobytes: one decode per character was most of the timeline's time).
    let j = i;
    let cut = false;
    while (j < n) {
      if (j > i && (ends.has(j) || bytes[j] === 0x0d || bytes[j] === 0x0a)) break;
      const len = utf8SequenceLength(bytes[j]!);
      if (j + len > n) {
        cut = true;
        break;
      }
      j += len;
    }
    if (j > i) text += decoder.decode(bytes.subarray(i, j));
    i = j;
    if (cut) {
      flush();
      segments.push({ kind: 'partial', hex: hex(bytes.subarray(i)), where: 'end' });
      break;
    }
  }
  flush();
  if (ends.has(n)) segments.push({ kind: 'boundary' });
  return segments;
}

const decoder = new TextDecoder();

/** A one-line preview of bytes for tables: CR and LF shown as `\r` and `\n`, cut to `max` characters. */
export function previewBytes(bytes: Uint8Array, max = 80): string {
  let out = '';
  // Only the start can show: a prefix that surely yields more than `max` characters (at most 4 bytes
  // each) gives the same preview as the whole read, which may be kilobytes.
  const prefix = bytes.length > max * 4 + 8 ? bytes.subarray(0, max * 4 + 8) : bytes;
  for (const seg of describeBytes(prefix)) {
    if (seg.kind === 'text') out += seg.text;
    else if (seg.kind === 'cr') out += '\\r';
    else if (seg.kind === 'lf') out += '\\n';
    else if (seg.kind === 'partial') out += `‹${seg.hex}›`;
    if (out.length > max) return out.slice(0, max - 1) + '…';
  }
  return out;
}
