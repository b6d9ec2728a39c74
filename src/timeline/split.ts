/**
 * Cutting a raw SSE byte stream into reads, the way a network might deliver it (for the SSE inspector
 * and for tests), and scanning reads to tell where they cut: inside an event, inside a character.
 */
import { isContinuation, utf8SequenceLength } from './bytes.ts';

/** How the inspector cuts a stream into reads. */
export type SplitMode = 'events' | 'random' | 'byte' | 'inside-char';

export const SPLIT_MODES: readonly { mode: SplitMode; label: string }[] = [
  { mode: 'events', label: 'Whole events' },
  { mode: 'random', label: 'Random sizes' },
  { mode: 'byte', label: 'One byte per read' },
  { mode: 'inside-char', label: 'Split inside a character' },
];

/** Byte offsets just after each event's closing blank line (LF, CR or CRLF line ends). */
export function eventBoundaries(bytes: Uint8Array): number[] {
  const scanner = new ReadScanner();
  return scanner.scan(bytes).eventEnds;
}

/** A small seeded PRNG (mulberry32), so "random" cuts are reproducible from a seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function cutAt(bytes: Uint8Array, offsets: Iterable<number>): Uint8Array[] {
  const sorted = [...new Set(offsets)]
    .filter((o) => o > 0 && o < bytes.length)
    .sort((a, b) => a - b);
  const reads: Uint8Array[] = [];
  let start = 0;
  for (const end of sorted) {
    reads.push(bytes.slice(start, end));
    start = end;
  }
  if (start < bytes.length) reads.push(bytes.slice(start));
  return reads;
}

/**
 * Cuts `bytes` into reads.
 * - `events`: one read per event (cut after each blank line);
 * - `random`: sizes 1..`maxRead` drawn from a PRNG seeded with `seed`;
 * - `byte`: one byte per read;
 * - `inside-char`: whole events, plus a cut after the first byte of every multibyte character (the
 *   classic "decode each chunk on its own" bug shows up as U+FFFD).
 */
export function splitIntoReads(
  bytes: Uint8Array,
  mode: SplitMode,
  options: { seed?: number; maxRead?: number } = {},
): Uint8Array[] {
  if (bytes.length === 0) return [];
  switch (mode) {
    case 'events':
      return cutAt(bytes, eventBoundaries(bytes));
    case 'byte':
      return cutAt(
        bytes,
        Array.from({ length: bytes.length }, (_, i) => i),
      );
    case 'random': {
      const random = seededRandom(options.seed ?? 1);
      const max = Math.max(1, options.maxRead ?? 24);
      const offsets: number[] = [];
      for (let at = 0; at < bytes.length;) {
        at += 1 + Math.floor(random() * max);
        offsets.push(at);
      }
      return cutAt(bytes, offsets);
    }
    case 'inside-char': {
      const offsets = eventBoundaries(bytes);
      for (let i = 0; i < bytes.length; i++) {
        const len = utf8SequenceLength(bytes[i]!);
        if (len > 1 && !isContinuation(bytes[i]!)) offsets.push(i + 1);
      }
      return cutAt(bytes, offsets);
    }
  }
}

/** What {@link ReadScanner.scan} tells about one read. */
export interface ReadScan {
  /** The read ended with an event begun but not yet closed by its blank line (or mid-line). */
  endsInsideEvent: boolean;
  /** The read ended between the bytes of one UTF-8 character. */
  endsInsideChar: boolean;
  /** Offsets within the read just after each blank line that closed an event. */
  eventEnds: number[];
}

/**
 * Scans the reads of one response in order, keeping just enough state (a UTF-8 sequence in progress,
 * a line in progress, an event in progress, a pending CR) to flag where each read cuts. It works on
 * bytes: CR and LF never occur inside a multibyte UTF-8 sequence, so no decoding is needed.
 */
export class ReadScanner {
  #expect = 0; // continuation bytes still due for the current character
  #lineLength = 0;
  #eventOpen = false; // a non-empty line was seen since the last blank line
  #afterCr = false;
  #atStart = true;

  scan(bytes: Uint8Array): ReadScan {
    const eventEnds: number[] = [];
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i]!;
      // A BOM at the very start of the stream is not part of any line.
      if (this.#atStart && b === 0xef && bytes[i + 1] === 0xbb && bytes[i + 2] === 0xbf) {
        i += 2;
        this.#atStart = false;
        continue;
      }
      this.#atStart = false;
      if (this.#expect > 0 && isContinuation(b)) {
        this.#expect--;
        continue;
      }
      this.#expect = 0;
      if (b === 0x0a && this.#afterCr) {
        // The LF of a CRLF (possibly split across reads) ends nothing new.
        this.#afterCr = false;
        if (eventEnds.length && eventEnds[eventEnds.length - 1] === i)
          eventEnds[eventEnds.length - 1] = i + 1;
        continue;
      }
      this.#afterCr = b === 0x0d;
      if (b === 0x0d || b === 0x0a) {
        if (this.#lineLength === 0) {
          if (this.#eventOpen) eventEnds.push(i + 1);
          this.#eventOpen = false;
        } else {
          this.#eventOpen = true;
        }
        this.#lineLength = 0;
        continue;
      }
      this.#lineLength++;
      this.#expect = utf8SequenceLength(b) - 1;
    }
    return {
      endsInsideEvent: this.#eventOpen || this.#lineLength > 0,
      endsInsideChar: this.#expect > 0,
      eventEnds,
    };
  }
}
