/**
 * The lab editor: CodeMirror 6 with TypeScript syntax, undo history, search, bracket handling and
 * local completion from the start; TypeScript-aware completion, diagnostics and hover types once
 * `enableTypeAware()` has loaded the language service (a separate chunk and worker).
 *
 * Framework-free so the island stays thin; `Editor.tsx` mounts it from React.
 */
import {
  autocompletion,
  closeBrackets,
  closeBracketsKeymap,
  completionKeymap,
} from '@codemirror/autocomplete';
import {
  defaultKeymap,
  history,
  historyKeymap,
  indentWithTab,
  undo as historyUndo,
} from '@codemirror/commands';
import { javascript } from '@codemirror/lang-javascript';
import { bracketMatching, indentOnInput } from '@codemirror/language';
import { forceLinting, linter, lintKeymap, type Diagnostic } from '@codemirror/lint';
import { highlightSelectionMatches, searchKeymap } from '@codemirror/search';
import {
  Compartment,
  EditorSelection,
  EditorState,
  StateEffect,
  StateField,
} from '@codemirror/state';
import {
  drawSelection,
  EditorView,
  highlightActiveLine,
  highlightActiveLineGutter,
  keymap,
  lineNumbers,
} from '@codemirror/view';
import { offsetAt, wordEnd } from './position.ts';
import { labEditorTheme } from './theme.ts';
import type { TypeAware } from './ts/extensions.ts';

/** A runtime error to show as a diagnostic in the learner's file (1-based line and column). */
export interface RuntimeProblem {
  line: number;
  column: number;
  message: string;
}

export interface LabEditorOptions {
  parent: HTMLElement;
  doc: string;
  /** The learner's file name (`sse-reader.ts`): the language service types it under this name. */
  fileName: string;
  /** Accessible name of the editing area. */
  label: string;
  /** Id of an element describing the editor's keys (the Escape-then-Tab hatch), for screen readers. */
  describedBy?: string;
  /** Called after every change of the document. */
  onChange?: (doc: string) => void;
  /** Ctrl/Cmd+Enter. */
  onRun?: () => void;
}

export interface LabEditor {
  readonly view: EditorView;
  getCode(): string;
  /**
   * Replaces the whole document as one undoable step (Reset: Ctrl/Cmd+Z brings the edits back).
   * Returns false when the document already had that text.
   */
  replaceCode(code: string, userEvent?: string): boolean;
  /** Undoes the last change (the "Undo reset" button). */
  undo(): boolean;
  /** Moves the cursor to a 1-based position, scrolls it into view and focuses the editor. */
  focusAt(line: number, column: number): void;
  /** Shows (or clears, with null) a runtime error as a diagnostic at its position. */
  setRuntimeProblem(problem: RuntimeProblem | null): void;
  /**
   * Loads the TypeScript language service (lazily, once) and turns on type-aware completion,
   * diagnostics and hover. Resolves when it answers; rejects if it could not load.
   */
  enableTypeAware(): Promise<void>;
  destroy(): void;
}

const setRuntime = StateEffect.define<Diagnostic | null>();

/** The runtime error diagnostic, kept at its place while the learner edits around it. */
const runtimeField = StateField.define<Diagnostic | null>({
  create: () => null,
  update(value, tr) {
    for (const effect of tr.effects) if (effect.is(setRuntime)) return effect.value;
    if (!value || !tr.docChanged) return value;
    const from = tr.changes.mapPos(value.from, 1);
    const to = Math.max(from, tr.changes.mapPos(value.to, -1));
    return { ...value, from, to };
  },
});

/** Creates the editor in `options.parent`. */
export function createLabEditor(options: LabEditorOptions): LabEditor {
  const languageService = new Compartment();
  let typeAware: TypeAware | undefined;
  let loading: Promise<void> | undefined;
  let destroyed = false;

  const lint = linter(
    async (view) => {
      const runtime = view.state.field(runtimeField);
      const fromTypes = typeAware ? await typeAware.diagnostics(view).catch(() => []) : [];
      return runtime ? [runtime, ...fromTypes] : fromTypes;
    },
    {
      delay: 350,
      needsRefresh: (update) =>
        update.transactions.some((tr) => tr.effects.some((e) => e.is(setRuntime))),
    },
  );

  const runKeys = keymap.of([
    {
      key: 'Mod-Enter',
      preventDefault: true,
      run: () => {
        options.onRun?.();
        return true;
      },
    },
  ]);

  // tabindex 0 only states what contenteditable already does (the content is in the tab order), so
  // checkers such as axe see the scrolling region as keyboard-reachable.
  const contentAttributes: Record<string, string> = { 'aria-label': options.label, tabindex: '0' };
  if (options.describedBy) contentAttributes['aria-describedby'] = options.describedBy;

  const state = EditorState.create({
    doc: options.doc,
    extensions: [
      runKeys,
      lineNumbers(),
      highlightActiveLineGutter(),
      history(),
      drawSelection(),
      indentOnInput(),
      bracketMatching(),
      closeBrackets(),
      highlightActiveLine(),
      highlightSelectionMatches(),
      javascript({ typescript: true }),
      languageService.of(autocompletion()),
      runtimeField,
      lint,
      // Tab indents; Escape then Tab (CodeMirror's built-in hatch) moves focus on, as the
      // described-by hint tells screen-reader and keyboard users.
      keymap.of([
        ...closeBracketsKeymap,
        ...defaultKeymap,
        ...searchKeymap,
        ...historyKeymap,
        ...completionKeymap,
        ...lintKeymap,
        indentWithTab,
      ]),
      EditorState.tabSize.of(2),
      // Long lines wrap, so the editor never stays scrolled sideways (after End on a long line).
      EditorView.lineWrapping,
      EditorView.contentAttributes.of(contentAttributes),
      EditorView.updateListener.of((update) => {
        if (update.docChanged) options.onChange?.(update.state.doc.toString());
      }),
      labEditorTheme,
    ],
  });
  const view = new EditorView({ state, parent: options.parent });

  return {
    view,
    getCode: () => view.state.doc.toString(),
    replaceCode(code, userEvent = 'input.replace') {
      if (view.state.doc.toString() === code) return false;
      view.dispatch({
        changes: { from: 0, to: view.state.doc.length, insert: code },
        selection: EditorSelection.cursor(0),
        userEvent,
        scrollIntoView: true,
      });
      return true;
    },
    undo: () => historyUndo(view),
    focusAt(line, column) {
      const pos = offsetAt(view.state.doc.toString(), line, column);
      view.dispatch({ selection: EditorSelection.cursor(pos), scrollIntoView: true });
      view.focus();
    },
    setRuntimeProblem(problem) {
      let diagnostic: Diagnostic | null = null;
      if (problem) {
        const text = view.state.doc.toString();
        const from = offsetAt(text, problem.line, problem.column);
        diagnostic = {
          from,
          to: Math.min(wordEnd(text, from), text.length),
          severity: 'error',
          source: 'Run',
          message: problem.message,
        };
      }
      view.dispatch({ effects: setRuntime.of(diagnostic) });
    },
    enableTypeAware() {
      loading ??= import('./ts/extensions.ts').then(({ createTypeAware }) => {
        if (destroyed) return;
        typeAware = createTypeAware('/' + options.fileName);
        view.dispatch({ effects: languageService.reconfigure(typeAware.extensions) });
        forceLinting(view);
        // One round trip proves the worker loaded (and warms the checker up).
        return typeAware.diagnostics(view).then(() => undefined);
      });
      return loading;
    },
    destroy() {
      destroyed = true;
      typeAware?.dispose();
      view.destroy();
    },
  };
}
