/**
 * CodeMirror extensions backed by the TypeScript worker: completion, diagnostics and hover types.
 * Loaded lazily by `LabEditor.enableTypeAware()` after the lab is interactive.
 */
import type { Completion, CompletionContext, CompletionResult } from '@codemirror/autocomplete';
import { autocompletion } from '@codemirror/autocomplete';
import type { Diagnostic } from '@codemirror/lint';
import type { EditorView } from '@codemirror/view';
import { hoverTooltip } from '@codemirror/view';
import type { Extension, Text } from '@codemirror/state';
import { createTsClient, type TsClient } from './client.ts';
import { parseDocMarkdown } from './doc-markdown.ts';
import type { InlineToken } from '../../lab/inline.ts';

export interface TypeAware {
  /** Completion and hover, to put into the editor's language-service compartment. */
  extensions: Extension;
  /** TypeScript's diagnostics for the current document (the editor's linter merges them in). */
  diagnostics(view: EditorView): Promise<Diagnostic[]>;
  dispose(): void;
}

/** Turns TypeScript's sort key ("11", "15"...) into a CodeMirror boost: lower key, higher boost. */
export function boostFromSortText(sortText: string): number {
  const n = Number.parseInt(sortText, 10);
  return Number.isFinite(n) ? Math.max(-99, Math.min(99, 20 - n)) : 0;
}

function inlineNodes(tokens: InlineToken[]): Node[] {
  return tokens.map((token) => {
    if (token.kind === 'text') return document.createTextNode(token.text);
    const tag = token.kind === 'link' ? 'a' : token.kind;
    const element = document.createElement(tag);
    element.textContent = token.text;
    if (token.kind === 'link') {
      (element as HTMLAnchorElement).href = token.href;
      (element as HTMLAnchorElement).target = '_blank';
      (element as HTMLAnchorElement).rel = 'noopener noreferrer';
    }
    return element;
  });
}

/** The popup body: the signature as code, then the documentation's Markdown as elements. */
function infoNode(signature: string, documentation: string): HTMLElement {
  const box = document.createElement('div');
  box.className = 'cm-ts-info';
  const code = document.createElement('code');
  code.textContent = signature;
  box.append(code);
  for (const block of parseDocMarkdown(documentation)) {
    if (block.kind === 'paragraph') {
      const p = document.createElement('p');
      p.append(...inlineNodes(block.inline));
      box.append(p);
    } else if (block.kind === 'list') {
      const ul = document.createElement('ul');
      for (const item of block.items) {
        const li = document.createElement('li');
        li.append(...inlineNodes(item));
        ul.append(li);
      }
      box.append(ul);
    } else {
      const pre = document.createElement('pre');
      pre.textContent = block.text;
      box.append(pre);
    }
  }
  return box;
}

/**
 * One language-service worker per page, shared by every lab on it (a lesson may embed several): each
 * lab's file has its own name in the worker's file system, and TypeScript plus the declarations are
 * loaded and parsed once. Counted so the worker stops when the last editor goes.
 */
let shared: { client: TsClient; users: number } | undefined;

function acquireSharedClient(): TsClient {
  shared ??= { client: createTsClient(), users: 0 };
  shared.users++;
  const mine = shared;
  let released = false;
  return {
    request: (method, args) => mine.client.request(method, args),
    dispose() {
      if (released) return;
      released = true;
      if (--mine.users === 0) {
        mine.client.dispose();
        if (shared === mine) shared = undefined;
      }
    },
  };
}

/**
 * Starts (or joins) the page's language-service worker and returns the extensions for the file
 * `fileName` (a path in the worker's virtual file system, e.g. `/sse-reader.ts`).
 */
export function createTypeAware(
  fileName: string,
  client: TsClient = acquireSharedClient(),
): TypeAware {
  let synced: Text | undefined;
  /** Sends the document to the worker if it changed since the last request (requests are ordered). */
  const sync = (doc: Text): void => {
    if (doc === synced) return;
    synced = doc;
    // A failure here surfaces in the request that follows; this promise must not go unhandled.
    client.request('setFile', { fileName, text: doc.toString() }).catch(() => undefined);
  };

  const complete = async (context: CompletionContext): Promise<CompletionResult | null> => {
    const word = context.matchBefore(/[\w$]*/);
    const before = context.state.sliceDoc(Math.max(0, context.pos - 1), context.pos);
    if (!context.explicit && (!word || word.from === word.to) && before !== '.') return null;
    sync(context.state.doc);
    const pos = context.pos;
    const result = await client.request('completions', { fileName, pos });
    if (!result || context.aborted) return null;
    const options: Completion[] = result.options.map((option) => ({
      label: option.label,
      type: option.type,
      boost: boostFromSortText(option.sortText),
      ...(option.insertText !== undefined ? { apply: option.insertText } : {}),
      info: async () => {
        const detail = await client.request('completionDetail', {
          fileName,
          pos,
          name: option.label,
          ...(option.source !== undefined ? { source: option.source } : {}),
        });
        return detail ? infoNode(detail.signature, detail.documentation) : null;
      },
    }));
    return { from: result.from, options, validFor: /^[\w$]*$/ };
  };

  const hover = hoverTooltip(async (view, pos) => {
    sync(view.state.doc);
    const info = await client.request('hover', { fileName, pos });
    if (!info) return null;
    return {
      pos: info.from,
      end: info.to,
      above: true,
      create: () => ({ dom: infoNode(info.signature, info.documentation) }),
    };
  });

  return {
    extensions: [autocompletion({ override: [complete], activateOnTypingDelay: 50 }), hover],
    async diagnostics(view) {
      sync(view.state.doc);
      const found = await client.request('diagnostics', { fileName });
      const length = view.state.doc.length;
      return found
        .filter((d) => d.to <= length)
        .map((d) => ({
          from: d.from,
          to: d.to,
          severity: d.severity,
          source: 'TypeScript',
          message: `${d.message} ts(${d.code})`,
        }));
    },
    dispose: () => client.dispose(),
  };
}
