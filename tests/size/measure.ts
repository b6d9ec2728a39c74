/**
 * Deterministic JavaScript sizes of the built site, read from `dist/` alone (no browser): what a page
 * loads before the reader interacts, and the size of named bundles. gzip via node:zlib at its default
 * level, as `npm run bench -- site` counts what the browser fetched, in bytes.
 *
 * "Before interaction" is the page's own scripts (inline and `<script src>`) plus, for every island on
 * the page, its component and renderer modules; each with the modules it imports statically, counted
 * once. Dynamic `import()`s are left out: they load on an interaction (the lab engine on the first
 * pointer or focus in a lab, the TypeScript service on the first edit), and are budgeted by bundle.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';
import ts from 'typescript';

export const gzipBytes = (text: string | Buffer): number => gzipSync(text).length;

const gzipOf = new Map<string, number>();
const fileGzip = (file: string): number => {
  let size = gzipOf.get(file);
  if (size === undefined) gzipOf.set(file, (size = gzipBytes(readFileSync(file))));
  return size;
};

/** The relative specifiers a built ES module imports statically (`import … from`, `export … from`). */
export function staticImports(code: string): string[] {
  const source = ts.createSourceFile(
    'chunk.js',
    code,
    ts.ScriptTarget.Latest,
    false,
    ts.ScriptKind.JS,
  );
  const found: string[] = [];
  for (const statement of source.statements) {
    if (
      (ts.isImportDeclaration(statement) || ts.isExportDeclaration(statement)) &&
      statement.moduleSpecifier &&
      ts.isStringLiteral(statement.moduleSpecifier)
    ) {
      found.push(statement.moduleSpecifier.text);
    }
  }
  return found;
}

const attr = (tag: string, name: string): string | undefined =>
  new RegExp(`\\s${name}="([^"]*)"`).exec(tag)?.[1];

/** The file in `dist` a page's URL points to (root-relative, or relative to the page). */
function builtFile(url: string, pageFile: string, dist: string): string {
  const path = url.split(/[?#]/)[0]!;
  return path.startsWith('/') ? join(dist, path) : resolve(dirname(pageFile), path);
}

/** A page's entry points: the files of its module scripts and islands, and its inline script text. */
export function pageEntries(html: string, pageFile: string, dist: string) {
  const files = new Set<string>();
  const toFile = (url: string): string => builtFile(url, pageFile, dist);
  let inline = '';
  for (const match of html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)) {
    const [, attrs = '', body = ''] = match;
    const src = attr(attrs, 'src');
    const type = attr(attrs, 'type');
    if (src) files.add(toFile(src));
    else if (!type || /module|javascript/.test(type)) inline += body + '\n';
  }
  for (const match of html.matchAll(/<astro-island\b[^>]*>/g)) {
    for (const name of ['component-url', 'renderer-url']) {
      const url = attr(match[0], name);
      if (url) files.add(toFile(url));
    }
  }
  return { files: [...files], inline };
}

/** Static imports per built file: pages share most of their chunks, so each is parsed once. */
const importsOf = new Map<string, string[]>();

function fileImports(file: string): string[] {
  let found = importsOf.get(file);
  if (!found) {
    let code: string;
    try {
      code = readFileSync(file, 'utf8');
    } catch {
      throw new Error(`size: ${file} is imported but missing from the build`);
    }
    found = staticImports(code);
    importsOf.set(file, found);
  }
  return found;
}

/** Every file reachable from `entries` through static imports (entries included). */
export function staticClosure(entries: string[]): string[] {
  const seen = new Set<string>();
  const visit = (file: string): void => {
    if (seen.has(file)) return;
    seen.add(file);
    for (const spec of fileImports(file)) {
      if (spec.startsWith('.') || spec.startsWith('/')) visit(resolve(dirname(file), spec));
    }
  };
  entries.forEach(visit);
  return [...seen];
}

export interface PageWeight {
  page: string;
  /** gzip bytes of everything the page runs before interaction. */
  gzip: number;
  files: { file: string; gzip: number }[];
}

/** What one built page (`dist/<page>/index.html`) runs before the reader interacts. */
export function pageWeight(dist: string, page: string): PageWeight {
  const pageFile = join(dist, page, 'index.html');
  const { files: entries, inline } = pageEntries(readFileSync(pageFile, 'utf8'), pageFile, dist);
  const files = staticClosure(entries).map((file) => ({
    file: relative(dist, file),
    gzip: fileGzip(file),
  }));
  const gzip = gzipBytes(inline) + files.reduce((sum, f) => sum + f.gzip, 0);
  return { page, gzip, files };
}

/**
 * What a reader's browser downloads for a page before scrolling: its HTML, its stylesheets, and its own
 * scripts with their static imports (islands hydrate when scrolled into view, so they are not counted; a
 * lab page's labs sit below the fold). The browser-observed figure is `site.lab_page_read_kb_gz`.
 */
export function pageRead(dist: string, page: string): PageWeight {
  const pageFile = join(dist, page, 'index.html');
  const html = readFileSync(pageFile, 'utf8');
  const toFile = (url: string): string => builtFile(url, pageFile, dist);
  const styles = [...html.matchAll(/<link\b[^>]*>/g)]
    .filter((m) => attr(m[0], 'rel') === 'stylesheet')
    .map((m) => toFile(attr(m[0], 'href') ?? ''));
  const scripts = [...html.matchAll(/<script\b([^>]*)>/g)]
    .map((m) => attr(m[1] ?? '', 'src'))
    .filter((src): src is string => src !== undefined)
    .map(toFile);
  // Inline scripts and styles are counted in the HTML's own bytes.
  const files = [...new Set([...styles, ...staticClosure(scripts)])].map((file) => ({
    file: relative(dist, file),
    gzip: fileGzip(file),
  }));
  files.push({ file: relative(dist, pageFile), gzip: gzipBytes(html) });
  return { page, gzip: files.reduce((sum, f) => sum + f.gzip, 0), files };
}

/** The built file in `dist/_astro/` whose name starts with `prefix` (e.g. `ts.worker-`). */
export function bundle(dist: string, prefix: string): { file: string; raw: number; gzip: number } {
  const dir = join(dist, '_astro');
  const names = readdirSync(dir).filter((name) => name.startsWith(prefix) && name.endsWith('.js'));
  if (names.length !== 1) {
    throw new Error(
      `size: expected one ${prefix}*.js in ${dir}, found ${names.length ? names.join(', ') : 'none'}`,
    );
  }
  const body = readFileSync(join(dir, names[0]!));
  return { file: `_astro/${names[0]}`, raw: body.length, gzip: gzipBytes(body) };
}
