/**
 * The timeline model: what the timeline draws, derived from a `RunRecording`. Times are the recording's
 * own (milliseconds since the run started); `domain.origin` is the first request, the zero of the axis.
 */
import type { Provider } from '../lab/run/recording.ts';

/** One read of a response body (wire lane). */
export interface WireRead {
  /** Stable id, `r<attempt>.<index>`. */
  id: string;
  attempt: number;
  index: number;
  t: number;
  size: number;
  bytes: Uint8Array;
  /** The read ended with an event begun but not closed. */
  insideEvent: boolean;
  /** The read ended between the bytes of one UTF-8 character. */
  insideChar: boolean;
  /** Offsets within the read just after each blank line that closed an event. */
  eventEnds: number[];
}

/** One parsed SSE event (events lane). */
export interface EventItem {
  /** Stable id, `e<attempt>.<index>`. */
  id: string;
  attempt: number;
  index: number;
  t: number;
  /** Index of the read that completed it. */
  read: number;
  type: string;
  data: string;
  /** Short one-line form for lanes and the table. */
  summary: string;
}

/** The output text after a text delta arrived (output lane). */
export interface TextStep {
  t: number;
  /** Event that carried the delta. */
  event: number;
  /** Length of the attempt's text after this delta (UTF-16 units). */
  length: number;
}

/** One tool-argument fragment. */
export interface ToolFragment {
  t: number;
  event: number;
  delta: string;
  /** Arguments length after this fragment. */
  length: number;
}

/** A tool call's arguments, growing fragment by fragment. */
export interface ToolCallTrack {
  key: string;
  name?: string;
  callId?: string;
  args: string;
  fragments: ToolFragment[];
  /** When the arguments first parsed as JSON (absent until then), and after which fragment. */
  validAt?: { t: number; fragment: number };
}

/** Everything the output lane needs for one attempt. */
export interface AttemptOutput {
  attempt: number;
  text: string;
  steps: TextStep[];
  tools: ToolCallTrack[];
}

export type MarkKind =
  | 'request'
  | 'headers'
  | 'first-byte'
  | 'first-token'
  | 'last-token'
  | 'terminator'
  | 'error'
  | 'abort'
  | 'retry'
  | 'json-valid';

/** A point of interest on the axis; every mark is keyboard-reachable and carries a description. */
export interface Mark {
  id: string;
  kind: MarkKind;
  attempt: number;
  t: number;
  /** Short label drawn near the mark ("TTFT"). */
  label: string;
  /** Full sentence for screen readers and the focused-mark readout. */
  description: string;
}

/** One HTTP attempt as a band on the axis (a retry is a new band). */
export interface Band {
  attempt: number;
  tStart: number;
  /** End of the band: the body's end, the error, or the latest thing seen while live. */
  tEnd: number;
  live: boolean;
  status?: number;
  provider: Provider;
  url: string;
  end?: 'done' | 'error' | 'cancelled';
  label: string;
}

/** The numbers shown beside the timeline. Times in ms; `null` when not (yet) known. */
export interface Figures {
  /** First request sent -> first token (text or tool arguments), across retries. */
  ttftMs: number | null;
  /** First request sent -> end of the last attempt (or last thing seen while live). */
  totalMs: number | null;
  /** Output tokens: the provider's usage report when present, else the count of token deltas. */
  tokens: number;
  tokensSource: 'usage' | 'deltas';
  /** Tokens per second between the first and the last token. */
  tokensPerSecond: number | null;
  /** Longest silence on the wire: between response headers/reads of one attempt. */
  longestGapMs: number | null;
  /** When that gap began. */
  longestGapAt: number | null;
  reads: number;
  events: number;
  bytes: number;
  attempts: number;
}

/** One row of the "Chunk timeline" table (per read and per event, in arrival order). */
export interface TableRow {
  id: string;
  kind: 'read' | 'event';
  attempt: number;
  t: number;
  /** Bytes of the read; for an event, bytes of its data (UTF-8). */
  bytes: number;
  text: string;
}

/** The whole model. Arrays are append-only while a run is live. */
export interface TimelineModel {
  lanes: { wire: WireRead[]; events: EventItem[]; output: AttemptOutput[] };
  marks: Mark[];
  bands: Band[];
  figures: Figures;
  rows: TableRow[];
  /** Axis: `origin` is the first request (t = 0 on the axis), `end` the last time seen. */
  domain: { origin: number; end: number };
  /** The final output as a non-streaming client would get it, all at once at `tDone`. */
  final: { text: string; tDone: number | null };
  live: boolean;
  /** Bumped on every change, so views can cheaply tell a new frame is due. */
  version: number;
}
