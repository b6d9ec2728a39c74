import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatLog, helpText, main } from './cli.ts';

const bin = fileURLToPath(new URL('../../cli/streamlab.ts', import.meta.url));

describe('streamlab mock CLI', () => {
  it('--help documents routes, every scenario, knobs, runs and SDK base URLs', () => {
    const text = helpText();
    for (const s of [
      '/v1/chat/completions',
      '/v1/responses',
      '/v1/messages',
      '/v1/models',
      '/scenarios',
    ])
      expect(text).toContain(s);
    for (const s of [
      'fragmented',
      'one-byte-reads',
      'rate-limited',
      'overloaded',
      'refusal',
      'stall',
    ])
      expect(text).toContain(s);
    expect(text).toContain('x-streamlab-knobs');
    expect(text).toContain('x-streamlab-run');
    expect(text).toMatch(
      /new Anthropic\(\{ baseURL: 'http:\/\/127\.0\.0\.1:8787\/scenarios\/<name>'/,
    );
  });

  it('rejects bad options with exit code 2', async () => {
    expect(await main(['--port', 'abc'])).toBe(2);
    expect(await main(['--nope'])).toBe(2);
  });

  it('formats one log line per request', () => {
    const line = formatLog({
      method: 'POST',
      path: '/v1/messages',
      scenario: 'default',
      status: 200,
      events: 12,
      bytes: 900,
      durationMs: 1234.4,
      outcome: 'complete',
    });
    expect(line).toMatch(
      /POST \/v1\/messages scenario=default status=200 events=12 bytes=900 1234ms complete$/,
    );
  });

  it('SIGINT closes in-flight streams and exits 0', async () => {
    const child = spawn(process.execPath, [bin, 'mock', '--port', '0'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      let out = '';
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const m = out.match(/listening on (http:\/\/[^\s]+)/);
          if (m) resolve(m[1]!);
        });
        child.once('exit', (code) => reject(new Error(`exited early with ${code}: ${out}`)));
      });
      const res = await fetch(`${url}/scenarios/slow-first-token/v1/chat/completions`, {
        method: 'POST',
        body: JSON.stringify({
          model: 'm',
          stream: true,
          messages: [{ role: 'user', content: 'hi' }],
        }),
      });
      const reader = res.body!.getReader();
      await reader.read();
      const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
      child.kill('SIGINT');
      await expect(reader.read()).rejects.toThrow();
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
