/**
 * Build-time type definitions for the lab editor's TypeScript language service.
 *
 * The language service runs in a Web Worker with no file system, so it needs every `.d.ts` it may read
 * shipped to it: the standard library (ES2022 + DOM, for `fetch`, streams and `TextDecoder`) and the
 * declarations of the `openai` and `@anthropic-ai/sdk` packages. Rather than globbing whole packages
 * (tens of megabytes), we ask the TypeScript compiler which files a program importing both SDKs actually
 * reads, and ship exactly those, as one lazily loaded module (`virtual:streamlab/editor-types`).
 *
 * Every file is minified (`minifyDeclarations.ts`: comments and whitespace out, tokens unchanged), the
 * standard library included: 5.9 MB of declarations (770 KB gzip) become 3.3 MB (456 KB gzip), and the
 * worker 9.3 MB (1.75 MB gzip) becomes 6.9 MB (1.41 MB gzip), most of it the compiler itself. Hover
 * text from the standard library's doc comments (mostly MDN links) is the price.
 *
 * Node-only typings the SDKs mention (`@types/node`, `undici`, OpenTelemetry) are left out: the learner's
 * code runs in a browser worker, and a missing module in a library file only makes that type `any`.
 */
import { readFileSync, existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { LAB_MODULES } from '../lab/run/imports.ts';
import { minifyDeclarations } from './minifyDeclarations.ts';

/** The virtual module id the editor's language-service worker imports. */
export const EDITOR_TYPES_MODULE = 'virtual:streamlab/editor-types';

/** Standard library files the learner's code is typed against (the worker's sandbox is a browser). */
export const EDITOR_LIBS = [
  'lib.es2022.d.ts',
  'lib.dom.d.ts',
  'lib.dom.iterable.d.ts',
  'lib.dom.asynciterable.d.ts',
];

/** Modules whose declarations are shipped: exactly those the lab sandbox lets a learner `import`. */
export const EDITOR_PACKAGES: readonly string[] = LAB_MODULES;

/**
 * Globals the sandbox gives lab code beyond a browser worker's: `process.env` with the mock's base URLs
 * and dummy keys (see `src/lab/run/builtins.ts`), so the same file runs unchanged in Node.
 */
export const LAB_GLOBALS_FILE = '/lab-globals.d.ts';
const LAB_GLOBALS = `declare var process: {
  /** OPENAI_BASE_URL, ANTHROPIC_BASE_URL, OPENAI_API_KEY, ANTHROPIC_API_KEY: the mock's, in a lab. */
  env: Record<string, string | undefined>;
};
`;

/** Declarations we deliberately leave out (Node-only; see the file comment). */
const EXCLUDED = /\/node_modules\/(@types\/node|undici|undici-types|@opentelemetry)\//;

/** Fields of a package.json that module resolution reads; the rest is noise. */
const PACKAGE_FIELDS = ['name', 'version', 'type', 'types', 'typings', 'main', 'module', 'exports'];

/**
 * The files, keyed by the path the worker's virtual file system uses: `/lib.dom.d.ts` for the standard
 * library, `/node_modules/<package>/...` for packages (including each package's `package.json`).
 */
export type EditorTypeFiles = Record<string, string>;

/**
 * Collects the declarations a program importing {@link EDITOR_PACKAGES} reads, resolved from
 * `projectRoot`'s `node_modules`. Takes about a second; the Vite plugin calls it once per build.
 */
export function collectEditorTypes(projectRoot: string): EditorTypeFiles {
  const entry = join(projectRoot, '__streamlab_editor_types__.ts');
  const entrySource = EDITOR_PACKAGES.map((p, i) => `import p${i} from '${p}';`).join('\n');
  const options: ts.CompilerOptions = {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    lib: EDITOR_LIBS,
    types: [],
    noEmit: true,
    skipLibCheck: true,
  };
  const host = ts.createCompilerHost(options);
  const getSourceFile = host.getSourceFile.bind(host);
  const fileExists = host.fileExists.bind(host);
  host.getSourceFile = (fileName, languageVersion, ...rest) =>
    fileName === entry
      ? ts.createSourceFile(fileName, entrySource, languageVersion)
      : getSourceFile(fileName, languageVersion, ...rest);
  host.fileExists = (fileName) => fileName === entry || fileExists(fileName);
  const program = ts.createProgram([entry], options, host);

  const libDir = dirname(ts.getDefaultLibFilePath(options));
  const files: EditorTypeFiles = { [LAB_GLOBALS_FILE]: LAB_GLOBALS };
  const packageRoots = new Set<string>();
  for (const source of program.getSourceFiles()) {
    const fileName = source.fileName;
    if (fileName === entry || EXCLUDED.test(fileName)) continue;
    if (fileName.startsWith(libDir + '/')) {
      const key = '/' + relative(libDir, fileName);
      // A lib file of comments only minifies to nothing, which the worker's file system reads as missing.
      files[key] = minifyDeclarations(source.text, key) || '\n';
      continue;
    }
    const at = fileName.lastIndexOf('/node_modules/');
    if (at < 0) continue;
    const key = fileName.slice(at);
    // Doc comments are most of an SDK's declaration size; completions and diagnostics don't need them.
    files[key] = minifyDeclarations(source.text, key) || '\n';
    const root = packageRoot(fileName);
    if (root) packageRoots.add(root);
  }
  for (const root of packageRoots) {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    const trimmed: Record<string, unknown> = {};
    for (const field of PACKAGE_FIELDS) if (pkg[field] !== undefined) trimmed[field] = pkg[field];
    files[root.slice(root.lastIndexOf('/node_modules/')) + '/package.json'] =
      JSON.stringify(trimmed);
  }
  for (const lib of EDITOR_LIBS) {
    if (files['/' + lib] === undefined)
      throw new Error(`editor types: standard library file ${lib} was not read`);
  }
  return files;
}

/** The folder of the nearest package.json above a file inside node_modules. */
function packageRoot(fileName: string): string | undefined {
  let dir = dirname(fileName);
  while (dir.includes('/node_modules/')) {
    if (existsSync(join(dir, 'package.json'))) {
      const name = (
        JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string }
      ).name;
      // Nested package.json files without a name (`{"type":"module"}` markers) are not package roots.
      if (name) return dir;
    }
    dir = dirname(dir);
  }
  return undefined;
}

/** The subset of Vite's plugin shape we use (kept local so this file needs no `vite` import). */
interface VitePluginLike {
  name: string;
  enforce?: 'pre' | 'post';
  resolveId(id: string): string | undefined;
  load(id: string): string | undefined;
}

/**
 * Vite plugin serving {@link EDITOR_TYPES_MODULE}: `export default { "/lib.dom.d.ts": "...", ... }`.
 * Only the editor's language-service worker imports it, so it lands in that worker's lazily loaded
 * bundle and never in the page's JavaScript; being a module, it is fetched relative to the site's base
 * path and cached like any other asset (offline included).
 */
export function editorTypes(
  projectRoot = fileURLToPath(new URL('../..', import.meta.url)),
): VitePluginLike {
  const resolved = '\0' + EDITOR_TYPES_MODULE;
  let cache: string | undefined;
  return {
    name: 'streamlab-editor-types',
    enforce: 'pre',
    resolveId: (id) => (id === EDITOR_TYPES_MODULE ? resolved : undefined),
    load(id) {
      if (id !== resolved) return undefined;
      cache ??= `export default ${JSON.stringify(collectEditorTypes(projectRoot))};`;
      return cache;
    },
  };
}
