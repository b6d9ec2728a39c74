/**
 * Minifies a declaration file (`.d.ts`) for the lab editor's TypeScript worker: comments and
 * whitespace go, tokens stay exactly as they were. It walks the file with TypeScript's own scanner, so
 * strings, template literal types and regular-expression-looking text are never mistaken for trivia.
 *
 * What is kept:
 * - triple-slash directives (`/// <reference lib="es2015" />`): the standard library chains its files
 *   through them, so they are code, not comments;
 * - a line break where the source had one and the previous token does not end a statement or list
 *   (`type A = B` ⏎ `type C = D` needs it: no semicolon, so the line break is what separates them);
 * - one space between two tokens that would otherwise read as one (`declare const`, `- -1`).
 */
import ts from 'typescript';

/** Tokens after which a line break can never separate anything (the statement or list is closed). */
const CLOSED = new Set<ts.SyntaxKind>([
  ts.SyntaxKind.SemicolonToken,
  ts.SyntaxKind.CommaToken,
  ts.SyntaxKind.OpenBraceToken,
  ts.SyntaxKind.OpenParenToken,
  ts.SyntaxKind.OpenBracketToken,
]);

const WORD = /[\w$\u0080-\uffff]/;

/** Whether writing `next` right after `out` would merge two tokens into one (or into a comment). */
function needsSpace(last: string, next: string): boolean {
  const first = next[0];
  if (last === '' || first === undefined) return false;
  if (WORD.test(last) && WORD.test(first)) return true;
  // `a - -1`, `+ +x`, `/ /`: repeated operator characters would make another token or a comment.
  if ('+-/*<>=!&|?.'.includes(last) && '+-/*<>=!&|?.'.includes(first)) return true;
  // `1 .toString` style and `x ?.5`: a number next to a dot.
  return (/\d/.test(last) && first === '.') || (last === '.' && /\d/.test(first));
}

/** The minified text of one declaration file. Throws, naming the file, on a token it cannot scan. */
export function minifyDeclarations(text: string, fileName = 'declarations'): string {
  const scanner = ts.createScanner(
    ts.ScriptTarget.Latest,
    false,
    ts.LanguageVariant.Standard,
    text,
    (message, length) => {
      const at = scanner.getTokenEnd();
      throw new Error(
        `${fileName}: cannot minify at offset ${at} (${ts.flattenDiagnosticMessageText(message.message, '\n')}, ${length} characters)`,
      );
    },
  );
  const out: string[] = [];
  // The last character written ('' at the start of the file).
  let last = '';
  const write = (part: string): void => {
    out.push(part);
    last = part.at(-1) ?? last;
  };
  let lastKind = ts.SyntaxKind.Unknown;
  let lineBreak = false;
  // Brace depth at which each open `${` of a template literal type started.
  const templates: number[] = [];
  let depth = 0;
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    if (kind === ts.SyntaxKind.NewLineTrivia) {
      lineBreak = true;
      continue;
    }
    if (kind === ts.SyntaxKind.WhitespaceTrivia || kind === ts.SyntaxKind.MultiLineCommentTrivia) {
      continue;
    }
    if (kind === ts.SyntaxKind.SingleLineCommentTrivia) {
      const comment = scanner.getTokenText();
      if (/^\/\/\/\s*<(reference|amd-module)\b/.test(comment)) {
        write((last === '' || last === '\n' ? '' : '\n') + comment + '\n');
        lastKind = ts.SyntaxKind.SemicolonToken;
      }
      continue;
    }
    if (kind === ts.SyntaxKind.CloseBraceToken && templates.at(-1) === depth) {
      kind = scanner.reScanTemplateToken(false);
      if (kind === ts.SyntaxKind.TemplateTail) templates.pop();
    } else if (kind === ts.SyntaxKind.OpenBraceToken) depth++;
    else if (kind === ts.SyntaxKind.CloseBraceToken) depth--;
    if (kind === ts.SyntaxKind.TemplateHead) templates.push(depth);
    const token = scanner.getTokenText();
    if (lineBreak && !CLOSED.has(lastKind) && last !== '' && last !== '\n') write('\n');
    else if (needsSpace(last, token)) write(' ');
    write(token);
    lastKind = kind;
    lineBreak = false;
  }
  return out.join('');
}
