import { describe, expect, it } from 'vitest';
import { ModuleLoader } from './modules.ts';
import {
  decodeMappings,
  LabSyntaxError,
  mapPosition,
  pretranspile,
  transpile,
} from './transpile.ts';

const loader = (learner: string, files: Record<string, string> = {}) =>
  new ModuleLoader({
    builtins: { lib: { __esModule: true, default: 'the default', named: 42 } },
    learner: { fileName: 'learner.ts', source: learner },
    files: Object.fromEntries(
      Object.entries(files).map(([key, source]) => [key, { fileName: `labs/x/${key}.ts`, source }]),
    ),
  });

describe('transpile', () => {
  it('compiles TypeScript (enums included) to CommonJS on the same lines', () => {
    const { code } = transpile(
      'import X from "lib";\nenum E { A }\nexport const y: number = X + E.A;\nfoo();',
      'a.ts',
    );
    expect(code).toContain('require');
    expect(code.split('\n')[3]).toContain('foo()');
  });

  it('a file compiled ahead of its run is a lookup, for that exact source only', () => {
    const source = 'export const a: number = 1;\n';
    pretranspile(source, 'ahead.ts');
    const first = transpile(source, 'ahead.ts');
    expect(transpile(source, 'ahead.ts')).toBe(first);
    // Another file name, or the same file edited since, is compiled afresh.
    expect(transpile(source, 'other.ts')).not.toBe(first);
    const edited = transpile('export const a: number = 2;\n', 'ahead.ts');
    expect(edited.code).toContain('= 2');
    // A file that does not compile is left for the run, which reports its error.
    pretranspile('const b = ;\n', 'broken.ts');
    expect(() => transpile('const b = ;\n', 'broken.ts')).toThrow(
      /^broken\.ts:1:11: Unexpected token/,
    );
  });

  it('reports syntax errors as file:line:col', () => {
    expect(() => transpile('const a = 1;\nconst b = ;\n', 'my/file.ts')).toThrow(LabSyntaxError);
    expect(() => transpile('const a = 1;\nconst b = ;\n', 'my/file.ts')).toThrow(
      /^my\/file\.ts:2:11: Unexpected token/,
    );
  });

  it('maps compiled positions back through the source map', () => {
    const source = 'const a: number = 1;\nconst b: Array<string> = [];  throw new Error("x");\n';
    const { code, mappings } = transpile(source, 'a.ts');
    const line2 = code.split('\n')[1]!;
    const column = line2.indexOf('throw') + 1;
    expect(mapPosition(decodeMappings(mappings), 2, column)).toEqual({
      line: 2,
      column: source.split('\n')[1]!.indexOf('throw') + 1,
    });
  });
});

describe('ModuleLoader', () => {
  it('loads the learner module with builtins, and maps ./starter to it', () => {
    const l = loader('import X, { named } from "lib";\nexport const value = `${X}:${named}`;', {
      driver: 'import { value } from "./starter.ts";\nexport default () => value;',
    });
    expect(l.learner().value).toBe('the default:42');
    expect((l.file('driver').default as () => string)()).toBe('the default:42');
  });

  it('refuses other imports with a message saying what is allowed', () => {
    expect(() => loader('import fs from "node:fs";\nexport const x = fs;').learner()).toThrow(
      /learner\.ts: cannot import 'node:fs'\. Lab code can import 'lib'/,
    );
  });

  it('positions runtime errors in the learner file', async () => {
    const l = loader(
      'export function boom(): void {\n  const x: { y?: { z: number } } = {};\n  console.log(x.y!.z);\n}\n',
    );
    let caught: unknown;
    try {
      (l.learner().boom as () => void)();
    } catch (error) {
      caught = error;
    }
    const described = l.describeError(caught);
    expect(described).toMatchObject({ name: 'TypeError', file: 'learner.ts', line: 3 });
    expect(described.column).toBeGreaterThan(10);
  });

  it('positions an error on the first line despite the wrapper', () => {
    const l = loader('null!.x;');
    let caught: unknown;
    try {
      l.learner();
    } catch (error) {
      caught = error;
    }
    const described = l.describeError(caught);
    expect(described).toMatchObject({ file: 'learner.ts', line: 1 });
    // V8 points at the property access (`.x`), wherever the wrapper put the line's start.
    expect(described.column).toBeGreaterThanOrEqual(5);
    expect(described.column).toBeLessThanOrEqual(7);
  });

  it('describes syntax errors and thrown non-errors', () => {
    const l = loader('export const = 1;');
    let caught: unknown;
    try {
      l.compileAll();
    } catch (error) {
      caught = error;
    }
    expect(l.describeError(caught)).toMatchObject({
      name: 'SyntaxError',
      file: 'learner.ts',
      line: 1,
    });
    expect(l.describeError('oops').message).toBe('Uncaught "oops"');
  });
});
