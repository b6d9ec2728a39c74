/**
 * A plain static file server for the built site: what any static host does, and nothing more. No
 * special headers (no COOP/COEP, no CSP), so a page that works here works on GitHub Pages, S3 or
 * nginx defaults. Text is compressed (Brotli or gzip, as the client accepts), as those hosts do;
 * hashed bundles (`_astro/`) are cached as immutable, everything else revalidates (`no-cache`).
 * No request can crash it or make it redirect off the site (static-server.fuzz.test.ts).
 * Used by `streamlab serve`, the e2e tests and the bench.
 */
import { createServer, type Server } from 'node:http';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, relative, resolve, sep } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { promisify } from 'node:util';
import { brotliCompress, constants as zlib, gzip } from 'node:zlib';

/** Content types by extension; anything else is `application/octet-stream`. */
export const MIME_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.xml': 'application/xml; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  // Pagefind's index fragments and metadata are binary blobs.
  '.pagefind': 'application/octet-stream',
  '.pf_meta': 'application/octet-stream',
  '.pf_index': 'application/octet-stream',
  '.pf_fragment': 'application/octet-stream',
  '.pf_filter': 'application/octet-stream',
};

export function mimeType(path: string): string {
  return MIME_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

/** Types worth compressing: text. Images, fonts and Pagefind's (already gzipped) blobs are not. */
const COMPRESSIBLE = /^(text\/|application\/(json|javascript|xml|manifest\+json)|image\/svg\+xml)/;
/** Smaller files are sent as they are: compression would save less than it costs. */
const MIN_COMPRESS_BYTES = 1024;

export type Encoding = 'br' | 'gzip';

/** The encoding to use for an `Accept-Encoding` header: Brotli if accepted, else gzip, else none. */
export function pickEncoding(header: string | undefined): Encoding | undefined {
  if (!header) return undefined;
  const accepted = new Map<string, number>();
  for (const part of header.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => /^\s*q=([\d.]+)/.exec(p)?.[1]).find(Boolean);
    if (name) accepted.set(name, q === undefined ? 1 : Number(q));
  }
  const ok = (name: string) => (accepted.get(name) ?? accepted.get('*') ?? 0) > 0;
  if (ok('br')) return 'br';
  if (ok('gzip')) return 'gzip';
  return undefined;
}

const compressors: Record<Encoding, (data: Buffer) => Promise<Buffer>> = {
  // Quality 5: most of Brotli's gain at a fraction of the maximum's time; results are cached anyway.
  br: (data) => promisify(brotliCompress)(data, { params: { [zlib.BROTLI_PARAM_QUALITY]: 5 } }),
  gzip: (data) => promisify(gzip)(data, { level: 6 }),
};

/** Compressed files by path, size, mtime and encoding; bounded by total bytes (oldest dropped). */
class CompressedCache {
  private readonly entries = new Map<string, Promise<Buffer>>();
  private bytes = 0;
  private readonly limit: number;
  constructor(limit = 64 * 1024 * 1024) {
    this.limit = limit;
  }
  get(file: string, size: number, mtimeMs: number, encoding: Encoding): Promise<Buffer> {
    const key = `${encoding}:${mtimeMs}:${size}:${file}`;
    let entry = this.entries.get(key);
    if (!entry) {
      entry = readFile(file).then((data) => compressors[encoding](data));
      this.entries.set(key, entry);
      entry.then(
        (data) => {
          this.bytes += data.length;
          for (const [k, v] of this.entries) {
            if (this.bytes <= this.limit || k === key) break;
            this.entries.delete(k);
            void v.then((old) => (this.bytes -= old.length));
          }
        },
        () => this.entries.delete(key),
      );
    }
    return entry;
  }
}

export interface StaticServerOptions {
  /** The folder to serve (e.g. `dist`). */
  root: string;
  /** URL prefix the site lives under, e.g. `/course/` (default `/`). Requests outside it get 404. */
  base?: string;
  /** Port; 0 picks a free one (default 0). */
  port?: number;
  /** Interface to bind (default 127.0.0.1: not exposed to the network unless asked). */
  host?: string;
}

export interface RunningStaticServer {
  server: Server;
  /** The site's URL including the base, e.g. `http://127.0.0.1:4321/course/`. */
  url: string;
  port: number;
  /** The base the folder was built for (see {@link builtBase}), when it says so. */
  builtFor: string | undefined;
  close(): Promise<void>;
}

/** Normalises a base path to `/x/y/` form (`course` -> `/course/`, `` -> `/`). */
export function normalizeBase(base = '/'): string {
  const trimmed = base.replace(/^\/+|\/+$/g, '');
  return trimmed ? `/${trimmed}/` : '/';
}

type Resolved = { file: string; status: 200 | 404 } | { redirect: string } | null;

/** A path made of folder names, percent-encoded for a URL: safe in a `Location` header, never `//x`. */
function encodePath(segments: string[]): string {
  return segments.map((segment) => encodeURIComponent(segment)).join('/');
}

/**
 * Maps a URL path to a file: exact file, or `dir/index.html`; a directory without its trailing slash
 * redirects (301) so relative URLs inside the page resolve like on any static host; misses fall back
 * to the site's `404.html` with status 404. Paths escaping the root are refused. A redirect's target is
 * built from the folder found on disk, encoded, under the base: never from the request's own text, so
 * no request can inject a header or send the browser to another host.
 */
export async function resolveRequest(
  root: string,
  base: string,
  urlPath: string,
): Promise<Resolved> {
  const absRoot = resolve(root);
  const notFound = async (): Promise<Resolved> => {
    const file = join(absRoot, '404.html');
    return (await isFile(file)) ? { file, status: 404 } : null;
  };
  let pathname: string;
  try {
    pathname = decodeURIComponent(urlPath);
  } catch {
    return notFound();
  }
  if (pathname.includes('\0')) return notFound();
  if (`${pathname}/` === base) return { redirect: encodeURI(base) };
  if (!pathname.startsWith(base)) return notFound();
  const relativePath = pathname.slice(base.length);
  const target = resolve(absRoot, relativePath);
  if (target !== absRoot && !target.startsWith(absRoot + sep)) return notFound();
  const info = await stat(target).catch(() => undefined);
  if (info?.isFile()) return { file: target, status: 200 };
  if (info?.isDirectory()) {
    if (!pathname.endsWith('/')) {
      const folders = relative(absRoot, target).split(sep).filter(Boolean);
      return { redirect: `${encodeURI(base)}${encodePath(folders)}/` };
    }
    const index = join(target, 'index.html');
    if (await isFile(index)) return { file: index, status: 200 };
  }
  return notFound();
}

/** Content-hashed bundles (`_astro/`): cached for a year; everything else is revalidated. */
export function cacheControl(root: string, file: string): string {
  const inRoot = relative(root, file).split(sep);
  return inRoot[0] === '_astro' ? 'public, max-age=31536000, immutable' : 'no-cache';
}

/**
 * The base path a build was made for (`data-build-base` on its home page's `<html>`), or undefined
 * for a folder that is not a streamlab build (or an older one).
 */
export async function builtBase(root: string): Promise<string | undefined> {
  const home = await readFile(join(root, 'index.html'), 'utf8').catch(() => '');
  return /<html[^>]*\sdata-build-base="([^"]*)"/.exec(home)?.[1];
}

async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isFile() ?? false;
}

/** Starts the server; resolves once it listens. */
export async function startStaticServer(
  options: StaticServerOptions,
): Promise<RunningStaticServer> {
  const root = resolve(options.root);
  const rootInfo = await stat(root).catch(() => undefined);
  if (!rootInfo?.isDirectory()) {
    throw new Error(
      `streamlab serve: folder not found: ${root} (build the site first: npm run build)`,
    );
  }
  const base = normalizeBase(options.base);
  const host = options.host ?? '127.0.0.1';
  const compressed = new CompressedCache();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const method = req.method ?? 'GET';
    if (method !== 'GET' && method !== 'HEAD') {
      res.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Method not allowed\n');
      return;
    }
    const urlPath = (req.url ?? '/').split(/[?#]/)[0] ?? '/';
    const found = await resolveRequest(root, base, urlPath);
    if (found === null) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Not found\n');
      return;
    }
    if ('redirect' in found) {
      res.writeHead(301, { Location: found.redirect });
      res.end();
      return;
    }
    const { size, mtimeMs } = await stat(found.file);
    const type = mimeType(found.file);
    const headers: Record<string, string | number> = {
      'Content-Type': type,
      'Cache-Control': found.status === 200 ? cacheControl(root, found.file) : 'no-cache',
    };
    const compressible = COMPRESSIBLE.test(type) && size >= MIN_COMPRESS_BYTES;
    const encoding = compressible ? pickEncoding(req.headers['accept-encoding']) : undefined;
    if (compressible) headers.Vary = 'Accept-Encoding';
    if (encoding) {
      const body = await compressed.get(found.file, size, mtimeMs, encoding);
      res.writeHead(found.status, {
        ...headers,
        'Content-Encoding': encoding,
        'Content-Length': body.length,
      });
      res.end(method === 'HEAD' ? undefined : body);
      return;
    }
    res.writeHead(found.status, { ...headers, 'Content-Length': size });
    if (method === 'HEAD') {
      res.end();
      return;
    }
    createReadStream(found.file)
      .on('error', () => res.destroy())
      .pipe(res);
  };

  // Whatever a request does, the server stays up: a failure answers 500 (or drops that connection
  // when the answer has begun) and is never an unhandled rejection.
  const server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Internal error\n');
    });
  });

  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', fail);
      ok();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : (options.port ?? 0);
  const shownHost = host.includes(':') ? `[${host}]` : host === '0.0.0.0' ? '127.0.0.1' : host;
  return {
    server,
    port,
    url: `http://${shownHost}:${port}${base}`,
    builtFor: await builtBase(root),
    close: () =>
      new Promise<void>((ok) => {
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };
}
