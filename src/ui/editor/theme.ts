/**
 * The editor's look, from the site's design tokens (CSS custom properties), so light and dark themes
 * switch with `data-theme` on `<html>` without reconfiguring the editor. Syntax colours are classes
 * (`tok-keyword`...) coloured in `src/ui/lab/lab.css`, where each theme sets AA-contrast values.
 */
import { EditorView } from '@codemirror/view';
import { syntaxHighlighting } from '@codemirror/language';
import { classHighlighter } from '@lezer/highlight';
import type { Extension } from '@codemirror/state';

const base = EditorView.theme({
  '&': {
    color: 'var(--fg)',
    backgroundColor: 'var(--surface)',
    fontSize: '0.9rem',
    border: '1px solid var(--border)',
    borderRadius: 'var(--radius)',
  },
  '&.cm-focused': { outline: '2px solid var(--accent)', outlineOffset: '1px' },
  '.cm-scroller': { fontFamily: 'var(--mono)', lineHeight: '1.55' },
  '.cm-content': { caretColor: 'var(--fg)', padding: '0.5rem 0' },
  '.cm-cursor, .cm-dropCursor': { borderLeftColor: 'var(--fg)' },
  '.cm-gutters': {
    backgroundColor: 'var(--surface-2)',
    color: 'var(--muted)',
    borderRight: '1px solid var(--border)',
    borderRadius: 'var(--radius) 0 0 var(--radius)',
  },
  '.cm-activeLine': { backgroundColor: 'color-mix(in srgb, var(--accent) 7%, transparent)' },
  '.cm-activeLineGutter': {
    backgroundColor: 'color-mix(in srgb, var(--accent) 12%, transparent)',
    color: 'var(--fg)',
  },
  '&.cm-focused > .cm-scroller > .cm-selectionLayer .cm-selectionBackground, .cm-selectionBackground, ::selection':
    { backgroundColor: 'color-mix(in srgb, var(--accent) 28%, transparent)' },
  '.cm-matchingBracket': {
    backgroundColor: 'color-mix(in srgb, var(--accent) 20%, transparent)',
    outline: '1px solid var(--border)',
  },
  '.cm-tooltip': {
    backgroundColor: 'var(--surface-2)',
    color: 'var(--fg)',
    border: '1px solid var(--border)',
    borderRadius: 'var(--radius)',
    maxWidth: 'min(36rem, 90vw)',
  },
  '.cm-tooltip-autocomplete > ul': { fontFamily: 'var(--mono)', maxHeight: '14rem' },
  '.cm-tooltip-autocomplete > ul > li[aria-selected]': {
    backgroundColor: 'var(--accent)',
    color: 'var(--accent-fg)',
  },
  '.cm-completionDetail': { color: 'inherit', fontStyle: 'normal', opacity: '1' },
  '.cm-completionInfo': { padding: '0.4rem 0.6rem' },
  '.cm-ts-info': { fontSize: '0.85rem', maxWidth: '32rem', padding: '0.25rem 0.5rem' },
  '.cm-ts-info > code': { fontFamily: 'var(--mono)', whiteSpace: 'pre-wrap', display: 'block' },
  '.cm-ts-info p, .cm-ts-info ul': { margin: '0.4rem 0 0' },
  '.cm-ts-info ul': { paddingLeft: '1.1rem' },
  '.cm-ts-info p code, .cm-ts-info li code': { fontFamily: 'var(--mono)', fontSize: '0.95em' },
  '.cm-ts-info pre': {
    margin: '0.4rem 0 0',
    fontFamily: 'var(--mono)',
    whiteSpace: 'pre-wrap',
    fontSize: '0.8rem',
  },
  '.cm-diagnostic': { padding: '0.25rem 0.5rem', fontFamily: 'var(--mono)', fontSize: '0.85rem' },
  '.cm-diagnostic-error': { borderLeft: '4px solid var(--danger)' },
  '.cm-diagnostic-warning': { borderLeft: '4px solid var(--warn)' },
  '.cm-lintRange-error': {
    backgroundImage: 'none',
    textDecoration: 'underline wavy var(--danger)',
    textUnderlineOffset: '3px',
  },
  '.cm-lintRange-warning': {
    backgroundImage: 'none',
    textDecoration: 'underline wavy var(--warn)',
    textUnderlineOffset: '3px',
  },
  '.cm-panels': { backgroundColor: 'var(--surface-2)', color: 'var(--fg)' },
  '.cm-panels input, .cm-panels button': { font: 'inherit', color: 'inherit' },
  '.cm-searchMatch': { backgroundColor: 'color-mix(in srgb, var(--warn) 30%, transparent)' },
});

/** Theme and syntax classes. */
export const labEditorTheme: Extension = [base, syntaxHighlighting(classHighlighter)];
