import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatLog, helpText, main } from './cli.ts';
import { formatLogJson } from './log.ts';

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
    // Every option in the Options list, --help included (it once sat under Control).
    const options = text.slice(text.indexOf('Options:'), text.indexOf('Control'));
    for (const o of ['--port', '--host', '--quiet', '-h, --help']) expect(options).toContain(o);
    expect(text).toContain('x-streamlab-run');
    expect(text).toMatch(
      /new Anthropic\(\{ baseURL: 'http:\/\/127\.0\.0\.1:8787\/scenarios\/<name>'/,
    );
  });

  it('rejects bad options with exit code 2', async () => {
    expect(await main(['--port', 'abc'])).toBe(2);
    expect(await main(['--nope'])).toBe(2);
  });

  it('formats one log line per request: client, scenario, knobs, run, status, outcome, reason, timings', () => {
    const at = new Date('2026-01-01T10:00:00.000Z');
    const line = formatLog(
      {
        client: '192.168.1.31',
        method: 'POST',
        path: '/v1/messages',
        scenario: 'overloaded',
        knobs: 'ttft_ms=0',
        runId: 'ada',
        status: 200,
        events: 12,
        bytes: 900,
        durationMs: 1234.4,
        ttftMs: 251.2,
        outcome: 'failed',
        reason: 'an overloaded error event mid-stream (scenario overloaded)',
      },
      at,
    );
    expect(line).toBe(
      '10:00:00.000 192.168.1.31 POST /v1/messages scenario=overloaded knobs=ttft_ms=0 run="ada" status=200 failed events=12 bytes=900 ttft=251ms 1234ms reason="an overloaded error event mid-stream (scenario overloaded)"',
    );
    expect(
      JSON.parse(
        formatLogJson(
          {
            method: 'GET',
            path: '/x',
            scenario: null,
            status: 404,
            events: 0,
            bytes: 0,
            durationMs: 1,
            outcome: 'json',
            reason: 'Not found',
          },
          at,
        ),
      ),
    ).toMatchObject({
      time: '2026-01-01T10:00:00.000Z',
      status: 404,
      reason: 'Not found',
    });
  });

  it('rejects a bad --log, --scenario or --knobs with exit code 2', async () => {
    expect(await main(['--log', 'xml'])).toBe(2);
    expect(await main(['--scenario', 'nope'])).toBe(2);
    expect(await main(['--knobs', 'ttft=0'])).toBe(2);
  });

  it('shared on 0.0.0.0, prints only URLs a learner can open, the room defaults and the control token', async () => {
    const child = spawn(
      process.execPath,
      [
        bin,
        'mock',
        '--port',
        '0',
        '--host',
        '0.0.0.0',
        '--scenario',
        'rate-limited',
        '--knobs',
        'ttft_ms=0',
        '--token',
        'tok3n',
        '--log',
        'json',
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    try {
      let out = '';
      const base = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (d: Buffer) => {
          out += d.toString();
          const m = out.match(/this machine: (http:\/\/[^\s]+)\/v1/);
          if (m && out.includes('control token')) resolve(m[1]!);
        });
        child.once('exit', (code) => reject(new Error(`exited early with ${code}: ${out}`)));
      });
      expect(out).not.toContain('0.0.0.0');
      expect(out).toContain('room scenario: rate-limited   knobs: ttft_ms=0');
      expect(out).toContain('control token: tok3n');
      const res = await fetch(`${base}/v1/chat/completions`, {
        method: 'POST',
        body: JSON.stringify({ model: 'm', messages: [{ role: 'user', content: 'hi' }] }),
      });
      expect(res.status).toBe(429);
      await new Promise((r) => setTimeout(r, 100));
      const logLine = out.split('\n').find((l) => l.startsWith('{'));
      expect(JSON.parse(logLine!)).toMatchObject({
        client: '127.0.0.1',
        status: 429,
        scenario: 'rate-limited',
        knobs: 'ttft_ms=0',
      });
    } finally {
      child.kill('SIGKILL');
    }
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
