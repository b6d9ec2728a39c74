/**
 * No request can crash `streamlab serve`, read outside its folder, or send a browser to another host.
 * Requests go over a raw socket (any bytes, not only what a well-behaved client would send): known
 * attacks first, then a seeded random mix of paths, encodings, control characters and headers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStaticServer, type RunningStaticServer } from './static-server.ts';

const SECRET = 'outside-the-site-root';
let dir: string;
let server: RunningStaticServer;
const rejections: unknown[] = [];
const onRejection = (reason: unknown) => rejections.push(reason);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'streamlab-fuzz-'));
  const root = join(dir, 'site');
  await mkdir(join(root, 'lessons', 'x'), { recursive: true });
  await mkdir(join(root, '_astro'), { recursive: true });
  await writeFile(join(dir, 'secret.txt'), SECRET);
  await writeFile(join(root, 'index.html'), '<h1>home</h1>');
  await writeFile(join(root, '404.html'), '<h1>missing</h1>');
  await writeFile(join(root, 'lessons', 'x', 'index.html'), '<h1>x</h1>');
  await writeFile(join(root, '_astro', 'a.js'), 'export const a = 1;\n'.repeat(200));
  process.on('unhandledRejection', onRejection);
  server = await startStaticServer({ root, base: '/course/' });
});

afterAll(async () => {
  process.off('unhandledRejection', onRejection);
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

interface RawResponse {
  status: number;
  headers: string[];
  body: string;
}

/** Sends raw bytes as one request (Connection: close) and parses what comes back. */
function raw(head: string): Promise<RawResponse> {
  return new Promise((ok, fail) => {
    const socket = connect(server.port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.setTimeout(5_000, () => {
      socket.destroy();
      fail(new Error(`no answer within 5 s to ${JSON.stringify(head.slice(0, 200))}`));
    });
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', () => undefined); // the server may drop a malformed request; judged below
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const [top = '', ...rest] = text.split('\r\n\r\n');
      const [statusLine = '', ...headers] = top.split('\r\n');
      ok({
        status: Number(/^HTTP\/1\.1 (\d{3})/.exec(statusLine)?.[1] ?? 0),
        headers,
        body: rest.join('\r\n\r\n'),
      });
    });
    socket.write(Buffer.from(head, 'latin1'));
  });
}

const request = (target: string, headers = '', method = 'GET') =>
  raw(`${method} ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n${headers}\r\n`);

/** What every answer must satisfy, whatever was asked. */
function expectSafe(response: RawResponse, what: string) {
  // 400 is Node's own answer to a request it cannot parse; 0 means it dropped the connection.
  expect([0, 200, 301, 400, 404, 405, 414, 431], what).toContain(response.status);
  expect(response.body, what).not.toContain(SECRET);
  for (const header of response.headers) {
    expect(header, what).not.toMatch(/^x-injected/i);
    const location = /^location:\s*(.*)$/i.exec(header)?.[1];
    if (location === undefined) continue;
    expect(location, `${what}: a local path`).toMatch(/^\/(?![/\\])/);
    const origin = `http://127.0.0.1:${server.port}`;
    expect(new URL(location, origin).origin, `${what}: stays on the site`).toBe(origin);
  }
}

/** A small seeded generator (mulberry32), so a failure can be replayed. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = [
  '/',
  '//',
  'course',
  'course/',
  'lessons',
  'x',
  '_astro',
  'a.js',
  'index.html',
  '404.html',
  '..',
  '.',
  '%2e%2e',
  '%2E%2e%2F',
  '%2f',
  '%5c',
  '%5C',
  '\\',
  '%0d%0a',
  '%0d',
  '%0a',
  '%00',
  '%',
  '%zz',
  '%c0%af',
  '%e2%80%ae',
  '%ff%fe',
  'é',
  '%C3%A9',
  '127.0.0.1:4601',
  'evil.example',
  '@',
  '?',
  '?a=%0d%0a',
  '#',
  ';',
  ':',
  'secret.txt',
  ' ',
  '\t',
  '\x7f',
  '\x01',
  'X-Injected:%201',
  'http://evil.example/',
  '%252e%252e',
  'a'.repeat(3000),
];
const HEADERS = [
  'Accept-Encoding: br;q=abc, gzip;q=-1, *;q=\r\n',
  'Accept-Encoding: ' + 'gzip, '.repeat(2000) + '\r\n',
  'Accept-Encoding: \x01\x02\r\n',
  'Range: bytes=999999-\r\n',
  'If-None-Match: "x"\r\n',
  'Transfer-Encoding: chunked\r\n',
  'Content-Length: -1\r\n',
  'X-Long: ' + 'x'.repeat(20_000) + '\r\n',
  'Bad Header\r\n',
  'X-Ctl: a\rb\r\n',
];
const METHODS = ['GET', 'HEAD', 'POST', 'OPTIONS', 'TRACE', 'G\x00T', 'CONNECT'];

describe('streamlab serve under hostile requests', () => {
  it('survives the known attacks: header injection, open redirect, traversal', async () => {
    const attacks = [
      '/course/lessons%0d%0aX-Injected:%201/..',
      '/course/lessons%0d%0aX-Injected:%201',
      '/%5C127.0.0.1:4601%2F..%2Flessons',
      '/course/%5C127.0.0.1:4601%2F..%2Flessons',
      '/course//evil.example/%2e%2e/lessons',
      '/course/%2e%2e/secret.txt',
      '/course/..%2f..%2fsecret.txt',
      '/course/lessons/x%00.html',
      '/course',
    ];
    for (const target of attacks) expectSafe(await request(target), target);
    const redirect = await request('/course/%5C127.0.0.1:4601%2F..%2Flessons');
    expect(redirect.status).toBe(301);
    expect(redirect.headers).toContain('Location: /course/lessons/');
    expect(rejections).toEqual([]);
  });

  it('survives 600 random requests and still serves the site', async () => {
    const next = random(20261129);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
    for (let i = 0; i < 600; i++) {
      const target =
        '/' + Array.from({ length: 1 + Math.floor(next() * 6) }, () => pick(PIECES)).join('');
      const headers = next() < 0.3 ? pick(HEADERS) : '';
      const method = next() < 0.15 ? pick(METHODS) : 'GET';
      const what = `#${i} ${method} ${JSON.stringify(target.slice(0, 120))} ${JSON.stringify(headers.slice(0, 40))}`;
      expectSafe(await request(target, headers, method), what);
    }
    const home = await request('/course/', 'Accept-Encoding: gzip\r\n');
    expect(home.status).toBe(200);
    expect(rejections).toEqual([]);
  });
});
