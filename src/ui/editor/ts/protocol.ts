/**
 * Messages between the editor (main thread) and the TypeScript language-service worker. Positions are
 * character offsets into the file's text, as CodeMirror uses them.
 */

/** One completion, already mapped to CodeMirror's vocabulary (`type` picks the icon). */
export interface TsCompletion {
  label: string;
  type: string;
  /** TypeScript's sort key, so the list keeps TypeScript's order (locals before globals...). */
  sortText: string;
  /** Text to insert when it differs from the label (e.g. `['quoted-key']`). */
  insertText?: string;
  /** The completion's origin module, passed back for details. */
  source?: string;
}

export interface TsCompletionResult {
  /** Start of the word being completed. */
  from: number;
  options: TsCompletion[];
}

export interface TsDiagnostic {
  from: number;
  to: number;
  severity: 'error' | 'warning' | 'info';
  message: string;
  /** TypeScript's error code (`2339`), shown in the message as `ts(2339)`. */
  code: number;
}

export interface TsHover {
  from: number;
  to: number;
  /** The type signature (`(property) Response.body: ReadableStream<...> | null`). */
  signature: string;
  documentation: string;
}

/** What the worker can be asked, with the answer type of each. */
export interface TsRequests {
  /** Creates or replaces a file in the virtual file system. */
  setFile: { args: { fileName: string; text: string }; result: null };
  completions: { args: { fileName: string; pos: number }; result: TsCompletionResult | null };
  completionDetail: {
    args: { fileName: string; pos: number; name: string; source?: string };
    result: { signature: string; documentation: string } | null;
  };
  diagnostics: { args: { fileName: string }; result: TsDiagnostic[] };
  hover: { args: { fileName: string; pos: number }; result: TsHover | null };
}

export type TsMethod = keyof TsRequests;

export interface TsRequestMessage<M extends TsMethod = TsMethod> {
  id: number;
  method: M;
  args: TsRequests[M]['args'];
}

export type TsResponseMessage =
  { id: number; ok: true; result: unknown } | { id: number; ok: false; error: string };
