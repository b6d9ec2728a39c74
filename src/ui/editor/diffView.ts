/**
 * The solution diff: the learner's code beside the lab's solution, both read-only, changes marked.
 * Side by side when there is room, one unified view (solution with the learner's lines shown as
 * deletions) on a phone. Loaded with a dynamic `import()` when the learner first asks for the solution,
 * so `@codemirror/merge` is not part of the lab's initial JavaScript.
 */
import { javascript } from '@codemirror/lang-javascript';
import { MergeView, unifiedMergeView } from '@codemirror/merge';
import { EditorState, type Extension } from '@codemirror/state';
import { EditorView, lineNumbers } from '@codemirror/view';
import { labEditorTheme } from './theme.ts';

export interface DiffViewOptions {
  parent: HTMLElement;
  learnerCode: string;
  solution: string;
  /** Side by side (true) or unified (false). */
  sideBySide: boolean;
}

export interface DiffView {
  destroy(): void;
}

/**
 * Diff colours from the design tokens: faint line tints (so syntax colours keep their contrast) and a
 * solid underline under the changed text; red on the learner's side, green on the solution's.
 */
const diffTheme = EditorView.theme({
  '&.cm-merge-a .cm-changedLine, .cm-deletedChunk': {
    backgroundColor: 'color-mix(in srgb, var(--danger) 9%, transparent)',
  },
  '&.cm-merge-b .cm-changedLine, .cm-inlineChangedLine': {
    backgroundColor: 'color-mix(in srgb, var(--ok) 9%, transparent)',
  },
  '&.cm-merge-a .cm-changedText, .cm-deletedChunk .cm-deletedText': {
    background: 'linear-gradient(var(--danger), var(--danger)) bottom / 100% 2px no-repeat',
  },
  '&.cm-merge-b .cm-changedText': {
    background: 'linear-gradient(var(--ok), var(--ok)) bottom / 100% 2px no-repeat',
  },
  '&.cm-merge-a .cm-changedLineGutter, .cm-deletedLineGutter': { background: 'var(--danger)' },
  '&.cm-merge-b .cm-changedLineGutter': { background: 'var(--ok)' },
  '.cm-collapsedLines': {
    color: 'var(--fg)',
    background: 'var(--surface-2)',
  },
  // @codemirror/merge marks folded lines with "⦚" (U+299A), which Debian's fonts lack (a missing-glyph
  // box): a dotted rule drawn in CSS instead needs no font.
  '.cm-collapsedLines::before, .cm-collapsedLines::after': {
    content: '""',
    display: 'inline-block',
    height: '1em',
    verticalAlign: '-0.15em',
    borderInlineStart: '2px dotted currentColor',
  },
  '.cm-collapsedLines::before': { marginInlineEnd: '0.6em' },
  '.cm-collapsedLines::after': { marginInlineStart: '0.6em' },
});

function readOnly(label: string): Extension {
  return [
    lineNumbers(),
    javascript({ typescript: true }),
    EditorState.readOnly.of(true),
    EditorView.contentAttributes.of({
      'aria-label': label,
      'aria-readonly': 'true',
      tabindex: '0',
    }),
    labEditorTheme,
    diffTheme,
  ];
}

/** Creates the diff in `options.parent`. */
export function createDiffView(options: DiffViewOptions): DiffView {
  if (options.sideBySide) {
    const view = new MergeView({
      a: { doc: options.learnerCode, extensions: readOnly('Your code (read-only)') },
      b: { doc: options.solution, extensions: readOnly('Solution (read-only)') },
      parent: options.parent,
      gutter: true,
      collapseUnchanged: { margin: 3, minSize: 6 },
    });
    return { destroy: () => view.destroy() };
  }
  const view = new EditorView({
    parent: options.parent,
    state: EditorState.create({
      doc: options.solution,
      extensions: [
        readOnly('Solution, with your differing lines shown as deletions (read-only)'),
        unifiedMergeView({ original: options.learnerCode, mergeControls: false, gutter: true }),
      ],
    }),
  });
  return { destroy: () => view.destroy() };
}
