/**
 * Runs -> lanes, marks, bands, figures. A `TimelineBuilder` follows one `RunRecording` while it grows:
 * recordings are append-only (attempts, reads and events are only ever added; end times are only ever
 * set), so each `update()` only looks at what is new and the cost of a live run stays linear in its size.
 * `buildTimeline()` is the one-shot form; both give the same model for the same recording.
 */
import type { Attempt, Provider, RunRecording } from '../lab/run/recording.ts';
import { fromBase64, previewBytes } from './bytes.ts';
import { interpretEvent, sniffProvider, summarizeEvent, type Signal } from './interpret.ts';
import { ReadScanner } from './split.ts';
import type {
  AttemptOutput,
  Band,
  Figures,
  Mark,
  MarkKind,
  TimelineModel,
  ToolCallTrack,
} from './types.ts';

const MARK_ORDER: Record<MarkKind, number> = {
  request: 0,
  retry: 1,
  headers: 2,
  'first-byte': 3,
  'first-token': 4,
  'json-valid': 5,
  'last-token': 6,
  terminator: 7,
  error: 8,
  abort: 9,
};

const encoder = new TextEncoder();

interface AttemptState {
  reads: number;
  events: number;
  scanner: ReadScanner;
  provider: Provider;
  output: AttemptOutput;
  tools: Map<string, ToolCallTrack>;
  band: Band;
  headersMarked: boolean;
  firstByteMarked: boolean;
  errorMarked: boolean;
  endMarked: boolean;
  /** The stream's terminator ([DONE], message_stop, response.completed) arrived. */
  terminated: boolean;
  /** Time of the previous arrival on the wire (headers or read), for the longest gap. */
  lastArrival: number;
  usage?: number;
}

function emptyFigures(): Figures {
  return {
    ttftMs: null,
    totalMs: null,
    tokens: 0,
    tokensSource: 'deltas',
    tokensPerSecond: null,
    longestGapMs: null,
    longestGapAt: null,
    reads: 0,
    events: 0,
    bytes: 0,
    attempts: 0,
  };
}

const ms = (t: number): string => `${Math.round(t * 10) / 10} ms`;

/** Incrementally maintains the timeline model of one recording. */
export class TimelineBuilder {
  readonly model: TimelineModel = {
    lanes: { wire: [], events: [], output: [] },
    marks: [],
    bands: [],
    figures: emptyFigures(),
    rows: [],
    domain: { origin: 0, end: 0 },
    final: { text: '', tDone: null },
    live: true,
    version: 0,
  };
  #attempts: AttemptState[] = [];
  /** Indexes of attempts that have not ended yet. */
  #open = new Set<number>();
  /** Marks were added out of time order since the last sort. */
  #unsorted = false;
  /** Output tokens reported by the latest attempt that reported usage. */
  #usage: { attempt: number; tokens: number } | undefined;
  #recordingId: string | undefined;
  #firstToken: Mark | undefined;
  #lastToken: Mark | undefined;
  #deltaTokens = 0;

  /**
   * Brings the model up to date with `recording` (the same run, possibly grown since the last call).
   * A recording with a different id starts over. Returns the model (the same object, mutated).
   */
  update(recording: RunRecording): TimelineModel {
    // A different run, or one that is not this run grown (an imported file reusing an id): start over.
    if (
      this.#recordingId !== undefined &&
      (this.#recordingId !== recording.id || this.#shrank(recording))
    ) {
      this.#reset();
    }
    this.#recordingId = recording.id;
    const m = this.model;
    if (recording.attempts.length > 0 && this.#attempts.length === 0) {
      m.domain.origin = recording.attempts[0]!.tRequest;
      m.domain.end = m.domain.origin;
    }
    // Only attempts that can still change: new ones, and those not yet ended (an ended attempt never
    // changes again), so an update costs what is new, not the whole run.
    for (const i of [...this.#open]) this.#updateAttempt(recording.attempts[i]!);
    for (let i = this.#attempts.length; i < recording.attempts.length; i++)
      this.#updateAttempt(recording.attempts[i]!);
    this.#finish(recording);
    m.version++;
    return m;
  }

  /** Not this run grown: fewer attempts, or the latest attempt seen has fewer reads or events. O(1). */
  #shrank(recording: RunRecording): boolean {
    if (recording.attempts.length < this.#attempts.length) return true;
    const i = this.#attempts.length - 1;
    const s = this.#attempts[i];
    const a = recording.attempts[i];
    return s !== undefined && (!a || a.reads.length < s.reads || a.events.length < s.events);
  }

  #reset(): void {
    const fresh = new TimelineBuilder();
    Object.assign(this.model, fresh.model, { version: this.model.version + 1 });
    this.#attempts = [];
    this.#open.clear();
    this.#unsorted = false;
    this.#usage = undefined;
    this.#firstToken = undefined;
    this.#lastToken = undefined;
    this.#deltaTokens = 0;
  }

  #see(t: number): void {
    if (t > this.model.domain.end) this.model.domain.end = t;
  }

  #mark(
    kind: MarkKind,
    attempt: number,
    t: number,
    label: string,
    description: string,
    key = '',
  ): Mark {
    // Ids depend only on what the mark is, so a live build and a batch build agree.
    const mark: Mark = {
      id: `${kind}-${attempt}${key ? `-${key}` : ''}`,
      kind,
      attempt,
      t,
      label,
      description,
    };
    this.#pushMark(mark);
    this.#see(t);
    return mark;
  }

  #pushMark(mark: Mark): void {
    const marks = this.model.marks;
    const last = marks[marks.length - 1];
    if (last && compareMarks(last, mark) > 0) this.#unsorted = true;
    marks.push(mark);
  }

  #state(a: Attempt): AttemptState {
    let s = this.#attempts[a.index];
    if (s) return s;
    const band: Band = {
      attempt: a.index,
      tStart: a.tRequest,
      tEnd: a.tRequest,
      live: true,
      provider: a.provider,
      url: a.url,
      label:
        (a.index === 0 ? 'Attempt 1' : `Attempt ${a.index + 1} (retry ${a.index})`) +
        (a.check ? ` · check ${a.check}` : ''),
    };
    const output: AttemptOutput = { attempt: a.index, text: '', steps: [], tools: [] };
    s = {
      reads: 0,
      events: 0,
      scanner: new ReadScanner(),
      provider: a.provider,
      output,
      tools: new Map(),
      band,
      headersMarked: false,
      firstByteMarked: false,
      errorMarked: false,
      endMarked: false,
      terminated: false,
      lastArrival: a.tRequest,
    };
    this.#attempts[a.index] = s;
    this.#open.add(a.index);
    this.model.bands.push(band);
    this.model.lanes.output.push(output);
    this.model.figures.attempts = this.model.bands.length;
    const where = `${a.method} ${a.url}`;
    if (a.index === 0) this.#mark('request', 0, a.tRequest, 'Request', `Request sent: ${where}`);
    else
      this.#mark(
        'retry',
        a.index,
        a.tRequest,
        `Retry ${a.index}`,
        `Retry ${a.index} began: attempt ${a.index + 1}, ${where}`,
      );
    return s;
  }

  #updateAttempt(a: Attempt): void {
    const s = this.#state(a);
    if (!s.headersMarked && a.tHeaders !== undefined) {
      s.headersMarked = true;
      s.lastArrival = a.tHeaders;
      s.band.status = a.status;
      this.#mark(
        'headers',
        a.index,
        a.tHeaders,
        `Headers ${a.status ?? ''}`.trim(),
        `Response headers received${a.status !== undefined ? `, status ${a.status}` : ''}, attempt ${a.index + 1}`,
      );
    }
    // Events are placed right after the read that completed them; reads with no event yet are flushed
    // after the events, so the table keeps arrival order.
    for (; s.events < a.events.length; s.events++) {
      const e = a.events[s.events]!;
      this.#flushReads(a, s, Math.min(e.read + 1, a.reads.length));
      this.#addEvent(a, s, s.events);
    }
    this.#flushReads(a, s, a.reads.length);
    if (!s.errorMarked && a.error) {
      s.errorMarked = true;
      this.#mark(
        'error',
        a.index,
        a.error.t,
        'Error',
        `Error in attempt ${a.index + 1}: ${a.error.message}`,
      );
    }
    if (!s.endMarked && a.tEnd !== undefined) {
      s.endMarked = true;
      this.#open.delete(a.index);
      s.band.live = false;
      // A reader that cancels after the terminator (as the lessons teach) has completed its attempt.
      s.band.end = a.end === 'cancelled' && s.terminated ? 'done' : a.end;
      this.#see(a.tEnd);
      if (s.band.end === 'cancelled') {
        this.#mark(
          'abort',
          a.index,
          a.tEnd,
          'Abort',
          `Attempt ${a.index + 1} was cancelled by the client`,
        );
      }
    }
    s.band.tEnd = a.tEnd ?? Math.max(s.band.tEnd, s.lastArrival, a.error?.t ?? 0);
    this.#see(s.band.tEnd);
  }

  #flushReads(a: Attempt, s: AttemptState, upTo: number): void {
    const m = this.model;
    for (; s.reads < upTo; s.reads++) {
      const r = a.reads[s.reads]!;
      const bytes = fromBase64(r.bytes);
      const scan = s.scanner.scan(bytes);
      const id = `r${a.index}.${s.reads}`;
      m.lanes.wire.push({
        id,
        attempt: a.index,
        index: s.reads,
        t: r.t,
        size: bytes.length,
        bytes,
        insideEvent: scan.endsInsideEvent,
        insideChar: scan.endsInsideChar,
        eventEnds: scan.eventEnds,
      });
      const flags = [
        scan.endsInsideEvent && 'ends inside an event',
        scan.endsInsideChar && 'ends inside a character',
      ]
        .filter(Boolean)
        .join(', ');
      m.rows.push({
        id,
        kind: 'read',
        attempt: a.index,
        t: r.t,
        bytes: bytes.length,
        text: previewBytes(bytes) + (flags ? ` (${flags})` : ''),
      });
      const f = m.figures;
      f.reads++;
      f.bytes += bytes.length;
      const gap = r.t - s.lastArrival;
      if (f.longestGapMs === null || gap > f.longestGapMs) {
        f.longestGapMs = gap;
        f.longestGapAt = s.lastArrival;
      }
      s.lastArrival = r.t;
      if (!s.firstByteMarked) {
        s.firstByteMarked = true;
        this.#mark(
          'first-byte',
          a.index,
          r.t,
          'First byte',
          `First byte of the body, attempt ${a.index + 1}`,
        );
      }
      this.#see(r.t);
    }
  }

  #addEvent(a: Attempt, s: AttemptState, index: number): void {
    const m = this.model;
    const e = a.events[index]!;
    const id = `e${a.index}.${index}`;
    const summary = summarizeEvent(e);
    m.lanes.events.push({
      id,
      attempt: a.index,
      index,
      t: e.t,
      read: e.read,
      type: e.type,
      data: e.data,
      summary,
    });
    if (s.provider === 'other' || s.provider === 'models') {
      const sniffed = sniffProvider(e);
      if (sniffed !== 'other') s.provider = sniffed;
    }
    const signals = interpretEvent(s.provider, e);
    m.rows.push({
      id,
      kind: 'event',
      attempt: a.index,
      t: e.t,
      bytes: encoder.encode(e.data).length,
      text: describeSignals(signals) ?? summary,
    });
    m.figures.events++;
    this.#see(e.t);
    for (const signal of signals) this.#apply(a, s, signal, e.t, index);
  }

  #token(a: Attempt, t: number): void {
    this.#deltaTokens++;
    if (!this.#firstToken) {
      this.#firstToken = this.#mark(
        'first-token',
        a.index,
        t,
        'TTFT',
        `First token, ${ms(t - this.model.domain.origin)} after the request (time to first token)`,
      );
    }
    if (!this.#lastToken) {
      this.#lastToken = this.#mark('last-token', a.index, t, 'Last token', '');
    }
    if (t < this.#lastToken.t) this.#unsorted = true;
    this.#lastToken.t = t;
    // Moving the last token later may put it after marks that follow it in the list.
    const marks = this.model.marks;
    if (marks[marks.length - 1] !== this.#lastToken) this.#unsorted = true;
    this.#lastToken.attempt = a.index;
    this.#lastToken.description = `Last token so far, ${ms(t - this.model.domain.origin)} after the request`;
  }

  #apply(a: Attempt, s: AttemptState, signal: Signal, t: number, event: number): void {
    const out = s.output;
    switch (signal.kind) {
      case 'text':
        out.text += signal.delta;
        out.steps.push({ t, event, length: out.text.length });
        this.#token(a, t);
        return;
      case 'tool-start':
      case 'tool-args': {
        let track = s.tools.get(signal.key);
        if (!track) {
          track = { key: signal.key, args: '', fragments: [] };
          s.tools.set(signal.key, track);
          out.tools.push(track);
        }
        if (signal.kind === 'tool-start') {
          track.name ??= signal.name;
          track.callId ??= signal.id;
          return;
        }
        track.args += signal.delta;
        track.fragments.push({ t, event, delta: signal.delta, length: track.args.length });
        this.#token(a, t);
        if (!track.validAt && isCompleteJson(track.args)) {
          track.validAt = { t, fragment: track.fragments.length - 1 };
          this.#mark(
            'json-valid',
            a.index,
            t,
            'Args valid JSON',
            `Arguments of tool call ${track.name ?? track.key} first parse as JSON after fragment ${track.fragments.length}`,
            track.key,
          );
        }
        return;
      }
      case 'terminator':
        s.terminated = true;
        this.#mark(
          'terminator',
          a.index,
          t,
          signal.label,
          `Stream terminator ${signal.label}, attempt ${a.index + 1}`,
          String(event),
        );
        return;
      case 'error':
        this.#mark(
          'error',
          a.index,
          t,
          'Error event',
          `Error event in the stream, attempt ${a.index + 1}: ${signal.message}`,
          String(event),
        );
        return;
      case 'usage':
        s.usage = signal.outputTokens;
        if (!this.#usage || a.index >= this.#usage.attempt)
          this.#usage = { attempt: a.index, tokens: signal.outputTokens };
        return;
    }
  }

  #finish(recording: RunRecording): void {
    const m = this.model;
    m.live = recording.outcome === undefined;
    if (this.#unsorted) {
      m.marks.sort(compareMarks);
      this.#unsorted = false;
    }
    const f = m.figures;
    const origin = m.domain.origin;
    f.ttftMs = this.#firstToken ? this.#firstToken.t - origin : null;
    f.totalMs = this.#attempts.length ? m.domain.end - origin : null;
    const usage = this.#usage?.tokens;
    f.tokens = usage ?? this.#deltaTokens;
    f.tokensSource = usage !== undefined ? 'usage' : 'deltas';
    const span = this.#firstToken && this.#lastToken ? this.#lastToken.t - this.#firstToken.t : 0;
    f.tokensPerSecond = span > 0 ? Math.round((f.tokens / span) * 1000 * 10) / 10 : null;
    const last = this.#attempts[this.#attempts.length - 1];
    const lastAttempt = recording.attempts[recording.attempts.length - 1];
    m.final.text = last?.output.text ?? '';
    m.final.tDone = lastAttempt ? (lastAttempt.tEnd ?? lastAttempt.error?.t ?? null) : null;
  }
}

function compareMarks(x: Mark, y: Mark): number {
  return x.t - y.t || MARK_ORDER[x.kind] - MARK_ORDER[y.kind] || x.attempt - y.attempt;
}

/** What an event meant, in a few words, for the table ("text "Hel"", "[DONE]"); undefined if nothing. */
export function describeSignals(signals: readonly Signal[]): string | undefined {
  const parts = signals.map((signal) => {
    switch (signal.kind) {
      case 'text':
        return `text ${JSON.stringify(signal.delta)}`;
      case 'tool-start':
        return `tool call ${signal.name ?? signal.key} starts`;
      case 'tool-args':
        return `tool args ${JSON.stringify(signal.delta)}`;
      case 'terminator':
        return `end: ${signal.label}`;
      case 'error':
        return `error: ${signal.message}`;
      case 'usage':
        return `usage: ${signal.outputTokens} output tokens`;
    }
  });
  return parts.length ? parts.join(' · ') : undefined;
}

/** True when `text` parses as a JSON object or array (a tool call's arguments are complete). */
export function isCompleteJson(text: string): boolean {
  const trimmed = text.trimEnd();
  const lastChar = trimmed[trimmed.length - 1];
  // Only try to parse when the text could be complete: keeps the check cheap fragment after fragment.
  if (lastChar !== '}' && lastChar !== ']') return false;
  try {
    JSON.parse(trimmed);
    return true;
  } catch {
    return false;
  }
}

/** Builds the timeline model of a (finished or live) recording in one go. */
export function buildTimeline(recording: RunRecording): TimelineModel {
  return new TimelineBuilder().update(recording);
}
