import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { minifyDeclarations } from './minifyDeclarations.ts';

/**
 * The file as TypeScript understands it: its syntax tree (kinds, names, literal texts) and its
 * triple-slash directives, with every position and comment left out.
 */
function meaning(text: string): { tree: string; errors: number } {
  const source = ts.createSourceFile(
    'x.d.ts',
    text,
    ts.ScriptTarget.Latest,
    true,
    ts.ScriptKind.TS,
  );
  const errors = (source as unknown as { parseDiagnostics: unknown[] }).parseDiagnostics.length;
  const parts: string[] = [
    ...source.libReferenceDirectives.map((r) => `lib:${r.fileName}`),
    ...source.referencedFiles.map((r) => `path:${r.fileName}`),
    ...source.typeReferenceDirectives.map((r) => `types:${r.fileName}`),
  ];
  const visit = (node: ts.Node): void => {
    if (node.kind >= ts.SyntaxKind.FirstJSDocNode && node.kind <= ts.SyntaxKind.LastJSDocNode)
      return;
    const leaf = node.getChildCount(source) === 0;
    parts.push(leaf ? `${node.kind}:${node.getText(source)}` : `(${node.kind}`);
    node.getChildren(source).forEach(visit);
    if (!leaf) parts.push(')');
  };
  visit(source);
  return { tree: parts.join(' '), errors };
}

function expectSameMeaning(text: string): string {
  const min = minifyDeclarations(text);
  const after = meaning(min);
  expect(after.errors).toBe(0);
  const before = meaning(text).tree;
  let at = 0;
  while (at < before.length && before[at] === after.tree[at]) at++;
  // The first difference, in context (the whole tree would bury it).
  expect(after.tree.slice(at - 200, at + 200)).toBe(before.slice(at - 200, at + 200));
  return min;
}

const require = createRequire(import.meta.url);
const libDir = dirname(require.resolve('typescript/lib/lib.d.ts'));
const pkgFile = (pkg: string, file: string): string =>
  readFileSync(join(process.cwd(), 'node_modules', pkg, file), 'utf8');

describe('minifyDeclarations', () => {
  it('keeps the corners that whitespace and line breaks carry', () => {
    const min = expectSameMeaning(
      [
        '/// <reference lib="es2015" />',
        '/** doc */ export declare const a: -1; // trailing',
        'type T = `a${string}b${`c${number}`}d`',
        'type U = { x: {} }',
        'type V = T',
        'declare function f<K extends keyof U = "x">(x?: Array<Array<K>>): x is never;',
        'export declare class C { #p; private q?: 1.5; get r(): typeof a }',
      ].join('\n'),
    );
    expect(min.startsWith('/// <reference lib="es2015" />\n')).toBe(true);
    expect(min).not.toContain('doc');
    expect(min).not.toContain('trailing');
  });

  it('gives the same declarations for real library files, much smaller', () => {
    for (const text of [
      readFileSync(join(libDir, 'lib.es2015.core.d.ts'), 'utf8'),
      readFileSync(join(libDir, 'lib.es2022.d.ts'), 'utf8'),
      pkgFile('openai', 'resources/chat/completions/completions.d.ts'),
      pkgFile('@anthropic-ai/sdk', 'resources/messages/messages.d.ts'),
    ]) {
      const min = expectSameMeaning(text);
      expect(min.length).toBeLessThan(text.length * 0.6);
    }
  });

  it('names the file when it meets text it cannot scan', () => {
    expect(() => minifyDeclarations('declare const a: "open', 'broken.d.ts')).toThrow(
      /broken\.d\.ts: cannot minify/,
    );
  });
});
