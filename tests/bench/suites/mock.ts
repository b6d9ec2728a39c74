/**
 * Bench: the mock server under load. The server runs in a child process (tests/bench/mock/server.ts);
 * this process is the load generator. For 500, 1,000 and 2,000 concurrent streaming clients on loopback
 * with the default pacing (250 ms to first token, 50 tokens/s), it measures how late each event arrives
 * against its schedule, the bytes per second delivered, the server's CPU time per event (robust to
 * other load on the machine, unlike lateness) and the server's peak RSS.
 *
 * Lateness: requests set the knob `trace=1`, so each event is preceded by a comment `: sched <ms>`, its
 * scheduled offset from the response headers. lateness = (arrival - headers arrival) - scheduled offset.
 * Each level is one wave of streams arriving over 1 s, bounded by a 60 s deadline.
 *
 * Runs under the bench runner (`npm run bench`) or alone: `node tests/bench/suites/mock.ts`.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { Agent, request } from 'node:http';
import { fileURLToPath } from 'node:url';

const LEVELS = [500, 1000, 2000];
const DEADLINE_MS = 60_000;
/** Clients arrive spread over this window (as real ones do), not in the same millisecond. */
const RAMP_MS = 1000;
const BODY = JSON.stringify({
  model: 'gpt-4o-mini',
  stream: true,
  messages: [{ role: 'user', content: 'How late are the events under load?' }],
});

interface StreamResult {
  lateness: number[];
  bytes: number;
  ok: boolean;
}

function oneStream(port: number, agent: Agent, signal: AbortSignal): Promise<StreamResult> {
  return new Promise((resolve) => {
    const lateness: number[] = [];
    let bytes = 0;
    const req = request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/knobs/trace=1/v1/chat/completions',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(BODY) },
        signal,
      },
      (res) => {
        const t0 = performance.now();
        let carry = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          const now = performance.now();
          bytes += Buffer.byteLength(chunk);
          const text = carry + chunk;
          const lines = text.split('\n');
          carry = lines.pop() ?? '';
          for (const line of lines) {
            if (line.startsWith(': sched ')) lateness.push(now - t0 - Number(line.slice(8)));
          }
        });
        res.on('end', () => resolve({ lateness, bytes, ok: res.statusCode === 200 }));
        res.on('error', () => resolve({ lateness, bytes, ok: false }));
      },
    );
    req.on('error', () => resolve({ lateness, bytes, ok: false }));
    req.end(BODY);
  });
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function startServer(): Promise<{ child: ChildProcess; port: number }> {
  const script = fileURLToPath(new URL('../mock/server.ts', import.meta.url));
  const child = fork(script, [], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'], execArgv: [] });
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('mock bench server did not start in 15 s')), 15_000);
    child.stdout!.once('data', (d: Buffer) => {
      clearTimeout(timer);
      resolve((JSON.parse(d.toString()) as { port: number }).port);
    });
    child.once('exit', (code) => reject(new Error(`mock bench server exited with ${code}`)));
  });
  return { child, port };
}

const ask = (child: ChildProcess, what: 'rss' | 'cpu'): Promise<number> =>
  new Promise((resolve) => {
    child.once('message', (m) => {
      const msg = m as { maxRssBytes?: number; cpuMicros?: number };
      resolve((what === 'rss' ? msg.maxRssBytes : msg.cpuMicros) ?? NaN);
    });
    child.send(what);
  });

export async function run(): Promise<Record<string, number>> {
  const { child, port } = await startServer();
  const out: Record<string, number> = {};
  try {
    for (const n of LEVELS) {
      const agent = new Agent({ keepAlive: false, maxSockets: Infinity });
      const signal = AbortSignal.timeout(DEADLINE_MS);
      const cpuBefore = await ask(child, 'cpu');
      const start = performance.now();
      const results = await Promise.all(
        Array.from({ length: n }, (_, i) =>
          new Promise<void>((r) => setTimeout(r, (i * RAMP_MS) / n)).then(() => oneStream(port, agent, signal)),
        ),
      );
      const wall = (performance.now() - start) / 1000;
      const cpuMicros = (await ask(child, 'cpu')) - cpuBefore;
      agent.destroy();
      const all = results.flatMap((r) => r.lateness).sort((a, b) => a - b);
      const bytes = results.reduce((s, r) => s + r.bytes, 0);
      out[`p50_lateness_ms_at_${n}_streams`] = round(percentile(all, 50));
      out[`p99_lateness_ms_at_${n}_streams`] = round(percentile(all, 99));
      out[`bytes_per_s_at_${n}_streams`] = Math.round(bytes / wall);
      out[`failed_streams_at_${n}_streams`] = results.filter((r) => !r.ok).length;
      out[`events_at_${n}_streams`] = all.length;
      // Server CPU per event: a figure that holds even when other processes crowd the machine.
      out[`server_cpu_us_per_event_at_${n}_streams`] = round(cpuMicros / Math.max(1, all.length));
    }
    out.server_peak_rss_mb = round((await ask(child, 'rss')) / 1024 / 1024);
    out.client_peak_rss_mb = round((process.resourceUsage().maxRSS * 1024) / 1024 / 1024);
  } finally {
    child.send('stop');
    await new Promise((r) => {
      child.once('exit', r);
      setTimeout(() => child.kill(), 5000).unref();
    });
  }
  return out;
}

const round = (x: number): number => Math.round(x * 100) / 100;

export default { name: 'mock', run };

if (import.meta.main) {
  console.log(JSON.stringify({ mock: await run() }, null, 2));
}
