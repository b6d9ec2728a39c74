/**
 * The TypeScript language service behind the lab editor, over an in-memory file system
 * (`@typescript/vfs`). It runs inside the language-service worker (`ts.worker.ts`) and, in unit tests,
 * directly in Node; it never touches the DOM.
 */
import ts from 'typescript';
import { createSystem, createVirtualTypeScriptEnvironment } from '@typescript/vfs';
import type { TsCompletionResult, TsDiagnostic, TsHover, TsRequests } from './protocol.ts';

/** Options the learner's file is checked with: strict, modern, browser globals, bundler resolution. */
export const LAB_COMPILER_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  lib: ['lib.es2022.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts', 'lib.dom.asynciterable.d.ts'],
  types: [],
  strict: true,
  noEmit: true,
  skipLibCheck: true,
  allowImportingTsExtensions: true,
  esModuleInterop: true,
  // Every file is its own module, so two labs on one page (sharing this service) never clash on globals.
  moduleDetection: ts.ModuleDetectionKind.Force,
};

/** TypeScript's element kinds -> CodeMirror completion types (which pick the icon). */
const KIND_TO_TYPE: Record<string, string> = {
  method: 'method',
  function: 'function',
  'local function': 'function',
  constructor: 'class',
  property: 'property',
  getter: 'property',
  setter: 'property',
  'JSX attribute': 'property',
  var: 'variable',
  let: 'variable',
  'local var': 'variable',
  parameter: 'variable',
  const: 'constant',
  class: 'class',
  'local class': 'class',
  interface: 'interface',
  type: 'type',
  'type parameter': 'type',
  'primitive type': 'type',
  enum: 'enum',
  'enum member': 'constant',
  module: 'namespace',
  'external module name': 'namespace',
  keyword: 'keyword',
  string: 'text',
};

/** Diagnostic codes that are noise in a single-file lab editor. */
const IGNORED_CODES = new Set([
  // "An import path can only end with a '.ts' extension when..." — labs import with .ts on purpose.
  5097,
]);

export type LabLanguageService = {
  [M in keyof TsRequests]: (args: TsRequests[M]['args']) => TsRequests[M]['result'];
};

/**
 * Creates the service from the shipped declaration files (`/lib.*.d.ts` and `/node_modules/...`, see
 * `src/node/editorTypes.ts`). Learner files are added with `setFile`.
 */
export function createLabLanguageService(typeFiles: Record<string, string>): LabLanguageService {
  const fsMap = new Map(Object.entries(typeFiles));
  const system = createSystem(fsMap);
  // Top-level declaration files (`/lab-globals.d.ts`: `process.env`) are global; the standard library is
  // named by `lib`, and packages are found by their imports.
  const globals = Object.keys(typeFiles).filter(
    (name) => /^\/[^/]+\.d\.ts$/.test(name) && !name.startsWith('/lib.'),
  );
  const env = createVirtualTypeScriptEnvironment(system, globals, ts, LAB_COMPILER_OPTIONS);
  const known = new Set<string>();
  const service = env.languageService;
  const text = (fileName: string): string => env.getSourceFile(fileName)?.text ?? '';

  return {
    setFile({ fileName, text: content }) {
      // The vfs rejects empty files; a single space types the same as nothing.
      const safe = content === '' ? ' ' : content;
      if (known.has(fileName)) env.updateFile(fileName, safe);
      else {
        env.createFile(fileName, safe);
        known.add(fileName);
      }
      return null;
    },

    completions({ fileName, pos }): TsCompletionResult | null {
      const info = service.getCompletionsAtPosition(fileName, pos, {
        includeCompletionsWithInsertText: true,
        includeCompletionsForModuleExports: false,
      });
      if (!info) return null;
      const source = text(fileName);
      let from = pos;
      while (from > 0 && /[\w$]/.test(source[from - 1]!)) from--;
      return {
        from,
        options: info.entries.map((entry) => {
          const option: TsCompletionResult['options'][number] = {
            label: entry.name,
            type: KIND_TO_TYPE[entry.kind] ?? 'text',
            sortText: entry.sortText,
          };
          if (entry.insertText !== undefined && entry.insertText !== entry.name) {
            option.insertText = entry.insertText;
          }
          if (entry.source !== undefined) option.source = entry.source;
          return option;
        }),
      };
    },

    completionDetail({ fileName, pos, name, source }) {
      const details = service.getCompletionEntryDetails(
        fileName,
        pos,
        name,
        {},
        source,
        {},
        undefined,
      );
      if (!details) return null;
      return {
        signature: ts.displayPartsToString(details.displayParts),
        documentation: ts.displayPartsToString(details.documentation),
      };
    },

    diagnostics({ fileName }): TsDiagnostic[] {
      const all = [
        ...service.getSyntacticDiagnostics(fileName),
        ...service.getSemanticDiagnostics(fileName),
      ];
      const length = text(fileName).length;
      return all
        .filter((d) => !IGNORED_CODES.has(d.code))
        .map((d) => {
          const from = Math.min(d.start ?? 0, length);
          return {
            from,
            to: Math.min(from + (d.length ?? 0), length),
            severity:
              d.category === ts.DiagnosticCategory.Error
                ? 'error'
                : d.category === ts.DiagnosticCategory.Warning
                  ? 'warning'
                  : 'info',
            message: ts.flattenDiagnosticMessageText(d.messageText, '\n'),
            code: d.code,
          };
        });
    },

    hover({ fileName, pos }): TsHover | null {
      const info = service.getQuickInfoAtPosition(fileName, pos);
      if (!info) return null;
      return {
        from: info.textSpan.start,
        to: info.textSpan.start + info.textSpan.length,
        signature: ts.displayPartsToString(info.displayParts),
        documentation: ts.displayPartsToString(info.documentation),
      };
    },
  };
}
