import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { baseWarning, startMessage } from './serve-cli.ts';
import {
  builtBase,
  cacheControl,
  normalizeBase,
  pickEncoding,
  startStaticServer,
  type RunningStaticServer,
} from './static-server.ts';

let dir: string;
let site: RunningStaticServer;
let plain: RunningStaticServer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'streamlab-serve-'));
  await mkdir(join(dir, 'lessons/x'), { recursive: true });
  await mkdir(join(dir, 'pagefind'), { recursive: true });
  await writeFile(join(dir, 'index.html'), '<h1>home</h1>');
  await writeFile(join(dir, '404.html'), '<h1>missing</h1>');
  await writeFile(join(dir, 'lessons/x/index.html'), '<h1>x</h1>');
  await writeFile(join(dir, 'pagefind/pagefind.js'), 'export {}');
  await writeFile(join(dir, 'pagefind/wasm.en.pagefind'), 'bin');
  await writeFile(join(dir, 'pagefind/w.wasm'), 'bin');
  await writeFile(join(dir, 'a.mjs'), 'export {}');
  await writeFile(join(dir, 'big.html'), '<p>streaming</p>\n'.repeat(500));
  await writeFile(join(dir, 'pagefind/big.pf_fragment'), 'x'.repeat(5000));
  site = await startStaticServer({ root: dir, base: '/course/' });
  plain = await startStaticServer({ root: dir });
});

afterAll(async () => {
  await site?.close();
  await plain?.close();
  await rm(dir, { recursive: true, force: true });
});

const get = (url: string) => fetch(url, { redirect: 'manual' });

describe('static server', () => {
  it('serves index.html for directories under the base, with no special headers', async () => {
    expect(site.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/course\/$/);
    const res = await get(site.url);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(await res.text()).toBe('<h1>home</h1>');
    expect(res.headers.get('cross-origin-opener-policy')).toBeNull();
    expect(res.headers.get('cross-origin-embedder-policy')).toBeNull();
    expect((await get(`${site.url}lessons/x/`)).status).toBe(200);
  });

  it('redirects a directory without its trailing slash, and the bare base', async () => {
    const res = await get(`${site.url}lessons/x`);
    expect(res.status).toBe(301);
    expect(res.headers.get('location')).toBe('/course/lessons/x/');
    const bare = await get(site.url.replace(/\/$/, ''));
    expect(bare.headers.get('location')).toBe('/course/');
  });

  it.each([
    ['pagefind/pagefind.js', 'text/javascript; charset=utf-8'],
    ['a.mjs', 'text/javascript; charset=utf-8'],
    ['pagefind/w.wasm', 'application/wasm'],
    ['pagefind/wasm.en.pagefind', 'application/octet-stream'],
  ])('serves %s as %s', async (path, type) => {
    const res = await get(site.url + path);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe(type);
  });

  it('answers misses, paths outside the base and traversal attempts with 404.html and status 404', async () => {
    for (const path of [
      '/course/nope/',
      '/elsewhere/',
      '/course/..%2f..%2fetc/passwd',
      '/course/%E0%A4%A',
    ]) {
      const res = await get(`http://127.0.0.1:${site.port}${path}`);
      expect(res.status, path).toBe(404);
      expect(await res.text()).toBe('<h1>missing</h1>');
    }
  });

  it('serves at the root when no base is given, and HEAD without a body', async () => {
    const res = await fetch(`${plain.url}lessons/x/`, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-length')).toBe('10');
    expect((await fetch(plain.url, { method: 'POST' })).status).toBe(405);
  });

  it('refuses to start on a missing folder, saying what to do', async () => {
    await expect(startStaticServer({ root: join(dir, 'none') })).rejects.toThrow(/npm run build/);
  });

  it('compresses text as the client accepts (br, then gzip), with Vary; not small files or blobs', async () => {
    const raw = (path: string, acceptEncoding?: string, method = 'GET') =>
      new Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }>(
        (ok, fail) => {
          const req = request(
            plain.url + path,
            { method, headers: acceptEncoding ? { 'accept-encoding': acceptEncoding } : {} },
            (res) => {
              const chunks: Buffer[] = [];
              res.on('data', (c: Buffer) => chunks.push(c));
              res.on('end', () =>
                ok({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }),
              );
            },
          );
          req.on('error', fail);
          req.end();
        },
      );
    const original = '<p>streaming</p>\n'.repeat(500);
    const br = await raw('big.html', 'gzip, deflate, br');
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toBe('Accept-Encoding');
    expect(Number(br.headers['content-length'])).toBe(br.body.length);
    expect(br.body.length).toBeLessThan(original.length / 10);
    expect(brotliDecompressSync(br.body).toString()).toBe(original);
    const gz = await raw('big.html', 'gzip;q=1, br;q=0');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).toString()).toBe(original);
    const none = await raw('big.html');
    expect(none.headers['content-encoding']).toBeUndefined();
    expect(none.body.toString()).toBe(original);
    const head = await raw('big.html', 'br', 'HEAD');
    expect(head.headers['content-length']).toBe(br.headers['content-length']);
    expect(head.body.length).toBe(0);
    expect((await raw('index.html', 'br')).headers['content-encoding']).toBeUndefined();
    expect(
      (await raw('pagefind/big.pf_fragment', 'br')).headers['content-encoding'],
    ).toBeUndefined();
  });

  it('reads Accept-Encoding like a server should', () => {
    expect(pickEncoding(undefined)).toBeUndefined();
    expect(pickEncoding('identity')).toBeUndefined();
    expect(pickEncoding('gzip')).toBe('gzip');
    expect(pickEncoding('br;q=0.5, gzip')).toBe('br');
    expect(pickEncoding('br;q=0, gzip;q=0')).toBeUndefined();
    expect(pickEncoding('*')).toBe('br');
    expect(pickEncoding('*, br;q=0')).toBe('gzip');
  });

  it('normalises base paths', () => {
    expect(normalizeBase('course')).toBe('/course/');
    expect(normalizeBase('/a/b')).toBe('/a/b/');
    expect(normalizeBase('')).toBe('/');
    expect(normalizeBase('/')).toBe('/');
  });
});

describe('static server: caching and the build base', () => {
  it('caches hashed bundles as immutable and revalidates everything else', () => {
    expect(cacheControl('/d', '/d/_astro/a.B1x.js')).toBe('public, max-age=31536000, immutable');
    expect(cacheControl('/d', '/d/index.html')).toBe('no-cache');
    expect(cacheControl('/d', '/d/pagefind/pagefind.js')).toBe('no-cache');
    expect(cacheControl('/d', '/d/lessons/_astro/x.html')).toBe('no-cache');
  });

  it('reads the base a build was made for, and says when it is served elsewhere', async () => {
    const built = await mkdtemp(join(tmpdir(), 'streamlab-built-'));
    await writeFile(
      join(built, 'index.html'),
      '<html lang="en" data-root="./" data-build-base="/course/"><h1>x</h1>',
    );
    expect(await builtBase(built)).toBe('/course/');
    expect(await builtBase(dir)).toBeUndefined();
    const running = await startStaticServer({ root: built });
    await running.close();
    expect(running.builtFor).toBe('/course/');
    expect(baseWarning('/course/', '/')).toMatch(
      /made for \/course\/.*served at \/\..*--base \/course\//,
    );
    expect(baseWarning('/course/', '/course/')).toBeUndefined();
    expect(baseWarning(undefined, '/')).toBeUndefined();
    await rm(built, { recursive: true, force: true });
  });

  it('prints the LAN URLs to hand out on a wildcard host', () => {
    const running = { url: 'http://0.0.0.0:4321/course/', port: 4321 };
    const urls = [
      { scope: 'local' as const, url: 'http://127.0.0.1:4321' },
      { scope: 'share' as const, url: 'http://192.168.1.20:4321', iface: 'eth0' },
    ];
    const shared = startMessage('dist', '0.0.0.0', running, urls);
    expect(shared).toContain('at http://127.0.0.1:4321/course/');
    expect(shared).toContain('hand out:\n  http://192.168.1.20:4321/course/\n');
    expect(startMessage('dist', '0.0.0.0', running, urls.slice(0, 1))).toContain(
      'only this machine',
    );
    const loopback = { url: 'http://127.0.0.1:4321/course/', port: 4321 };
    expect(startMessage('dist', '127.0.0.1', loopback)).toBe(
      'Serving dist at http://127.0.0.1:4321/course/  (Ctrl+C to stop)\n',
    );
  });
});
