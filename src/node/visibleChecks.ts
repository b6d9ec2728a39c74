/**
 * The checks a page's Run needs, without the hidden ones: a lab's `checks.ts` with every element of its
 * `defineChecks([...])` list that says `hidden: true` taken out. Run fetches this file
 * (`lab-files/<id>/checks-visible.txt`); the whole `checks.ts` (`checks.txt`) is fetched only by
 * "Run all checks", which runs the hidden ones. Helpers the file defines stay in both: what is left out
 * is each hidden check itself (its id, its condition and the code that creates it).
 *
 * Build-time only (the TypeScript compiler API, in Node): the Vite plugin `visibleChecksModule` gives
 * the static endpoint `virtual:streamlab/visible-checks`, each lab's visible source by id.
 */
import { readdirSync, readFileSync } from 'node:fs';
import ts from 'typescript';

export const VISIBLE_CHECKS_MODULE = 'virtual:streamlab/visible-checks';

/** `source` without the hidden checks. Throws, naming the file, if it has no `defineChecks([...])`. */
export function visibleChecksSource(source: string, fileName: string): string {
  const file = ts.createSourceFile(
    fileName,
    source,
    ts.ScriptTarget.Latest,
    true,
    ts.ScriptKind.TS,
  );
  const list = checksList(file);
  if (!list)
    throw new Error(
      `${fileName}: no \`export default defineChecks([...])\` to take hidden checks out of`,
    );
  // Each hidden element goes with its leading comments and the comma after it.
  const cuts = list.elements.flatMap((element, i) => {
    if (!isHiddenCheck(element)) return [];
    const next = list.elements[i + 1];
    const after = element.getEnd();
    const end = next
      ? next.getFullStart()
      : after + (/^\s*,/.exec(source.slice(after))?.[0].length ?? 0);
    return [{ start: element.getFullStart(), end }];
  });
  let out = source;
  for (const cut of cuts.reverse()) out = out.slice(0, cut.start) + out.slice(cut.end);
  return out;
}

/** The array literal given to `defineChecks` in the file's default export. */
function checksList(file: ts.SourceFile): ts.ArrayLiteralExpression | undefined {
  for (const statement of file.statements) {
    if (!ts.isExportAssignment(statement)) continue;
    const call = statement.expression;
    if (!ts.isCallExpression(call) || call.expression.getText(file) !== 'defineChecks') continue;
    const [first] = call.arguments;
    if (first && ts.isArrayLiteralExpression(first)) return first;
  }
  return undefined;
}

/** An object literal with `hidden: true`. */
function isHiddenCheck(element: ts.Expression): boolean {
  if (!ts.isObjectLiteralExpression(element)) return false;
  return element.properties.some(
    (p) =>
      ts.isPropertyAssignment(p) &&
      p.name.getText() === 'hidden' &&
      p.initializer.kind === ts.SyntaxKind.TrueKeyword,
  );
}

/** The Vite plugin: `visibleChecks`, each lab's visible checks source, for the static endpoint. */
export function visibleChecksModule() {
  let root = process.cwd();
  return {
    name: 'streamlab-visible-checks',
    configResolved(config: { root: string }) {
      root = config.root;
    },
    resolveId: (id: string) => (id === VISIBLE_CHECKS_MODULE ? `\0${id}` : undefined),
    load(id: string) {
      if (id !== `\0${VISIBLE_CHECKS_MODULE}`) return undefined;
      const entries = readdirSync(`${root}/labs`, { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => e.name)
        .filter((lab) => readdirSync(`${root}/labs/${lab}`).includes('checks.ts'))
        .sort()
        .map((lab) => {
          const path = `${root}/labs/${lab}/checks.ts`;
          this.addWatchFile?.(path);
          const visible = visibleChecksSource(readFileSync(path, 'utf8'), `labs/${lab}/checks.ts`);
          return `  ${JSON.stringify(lab)}: ${JSON.stringify(visible)},`;
        });
      return `export const visibleChecks = {\n${entries.join('\n')}\n};\n`;
    },
  } as {
    name: string;
    configResolved(config: { root: string }): void;
    resolveId(id: string): string | undefined;
    load(this: { addWatchFile?: (path: string) => void }, id: string): string | undefined;
  };
}
