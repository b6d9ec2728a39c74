import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { normalizeBase, startStaticServer, type RunningStaticServer } from './static-server.ts';

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

  it('normalises base paths', () => {
    expect(normalizeBase('course')).toBe('/course/');
    expect(normalizeBase('/a/b')).toBe('/a/b/');
    expect(normalizeBase('')).toBe('/');
    expect(normalizeBase('/')).toBe('/');
  });
});
