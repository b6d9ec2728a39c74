/**
 * Bench: the mock server under load. The server runs in a child process (tests/bench/mock/server.ts);
 * this process is the load generator. For 500, 1,000 and 2,000 concurrent streaming clients on loopback
 * with the default pacing (250 ms to first token, 50 tokens/s), it measures how late each event arrives
 * against its schedule, the bytes per second delivered, the server's CPU time per event (robust to
 * other load on the machine, unlike lateness) and the server's peak RSS.
 *
 * Lateness: requests set the knob `trace=1`, so each event is preceded by a comment `: sched <ms>`, its
 * scheduled offset from the response headers. lateness = (arrival - headers arrival) - scheduled offset.
 * A wave is that many streams arriving over 1 s, bounded by a 60 s deadline. Each level runs three
 * waves (`MOCK_BENCH_WAVES`), the mock's and the floor's in turn; a figure is the median of its waves,
 * and `worst_wave_p99_lateness_ms_at_<n>_streams` the worst wave's p99 (one wave's p99 at 1,000 streams
 * ranged over 9-26 ms in ten runs on an idle machine: a single wave is a noisy figure).
 *
 * The load generator (tests/bench/mock/client.ts) reads raw `node:net` sockets with a Buffer scanner
 * (tests/bench/mock/scan.ts), lean because it shares the machine with the server; its own CPU per event
 * is reported too (`client_cpu_us_per_event_at_<n>_streams`). `MOCK_BENCH_CLIENT=http` uses a
 * `node:http` client instead, to compare.
 *
 * The floor: beside the mock, a bare `node:net` server in its own child (tests/bench/mock/floor.ts)
 * replays the bytes the mock sent for this very request (recorded once from the mock at the start,
 * tests/bench/mock/recording.ts: same headers, same chunks, one write per tick, on the same schedule,
 * from a copy per connection and with Nagle's algorithm off, as the mock sends them) to the same load generator at the same levels, right after the mock's run at each level.
 * `floor_p99_lateness_ms_at_<n>_streams` and `floor_cpu_us_per_event_at_<n>_streams` are what the
 * machine allows at that moment, so the mock's figures can be judged against them: the mock's CPU per
 * event minus the floor's is what the mock itself costs. A first wave of 200 streams, not reported, warms
 * up both servers. About 75 s in all on an idle machine.
 *
 * Runs under the bench runner (`npm run bench`) or alone: `node tests/bench/suites/mock.ts`.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { Agent } from 'node:http';
import { fileURLToPath } from 'node:url';
import { MOCK_NODE_FLAGS } from '../../../src/mock/node/gcFlags.ts';
import { httpStream, rawStream } from '../mock/client.ts';
import { recordRaw, splitChunked, type Recording } from '../mock/recording.ts';

const LEVELS = [500, 1000, 2000];
/**
 * A first wave, not reported, so that the first level does not pay for the server's warm-up (its JIT):
 * without it, the server's CPU per event at 500 streams came out about twice the figure of a second
 * wave of the same size (64.5 µs, then 54.1, and 28.6 after a wave of 1,000).
 */
const WARMUP_STREAMS = 200;
const DEADLINE_MS = 60_000;
/** Clients arrive spread over this window (as real ones do), not in the same millisecond. */
const RAMP_MS = 1000;
const PATH = '/knobs/trace=1/v1/chat/completions';
const BODY = JSON.stringify({
  model: 'gpt-4o-mini',
  stream: true,
  messages: [{ role: 'user', content: 'How late are the events under load?' }],
});

/** `MOCK_BENCH_CLIENT=http`: measure with the `node:http` client instead of the raw one (to compare). */
const CLIENT = process.env.MOCK_BENCH_CLIENT === 'http' ? 'http' : 'raw';

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

async function startServer(file: string, init?: object): Promise<{ child: ChildProcess; port: number }> {
  const script = fileURLToPath(new URL(`../mock/${file}`, import.meta.url));
  // Both servers run with the Node flags `streamlab mock` restarts itself with (src/mock/node/gcFlags.ts).
  const child = fork(script, [], {
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
    execArgv: [...MOCK_NODE_FLAGS],
  });
  if (init) child.send(init);
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`bench server ${file} did not start in 15 s`)), 15_000);
    child.stdout!.once('data', (d: Buffer) => {
      clearTimeout(timer);
      resolve((JSON.parse(d.toString()) as { port: number }).port);
    });
    child.once('exit', (code) => reject(new Error(`bench server ${file} exited with ${code}`)));
  });
  return { child, port };
}

async function stopServer(child: ChildProcess): Promise<void> {
  child.send('stop');
  await new Promise((r) => {
    child.once('exit', r);
    setTimeout(() => child.kill(), 5000).unref();
  });
}

/** The recording as IPC can carry it (JSON: buffers as base64). */
function wire(r: Recording): object {
  const b64 = (b: Buffer): string => b.toString('base64');
  return { head: b64(r.head), frames: r.frames.map((f) => ({ dueMs: f.dueMs, bytes: b64(f.bytes) })), tail: b64(r.tail) };
}

const ask = (child: ChildProcess, what: 'rss' | 'cpu'): Promise<number> =>
  new Promise((resolve) => {
    child.once('message', (m) => {
      const msg = m as { maxRssBytes?: number; cpuMicros?: number };
      resolve((what === 'rss' ? msg.maxRssBytes : msg.cpuMicros) ?? NaN);
    });
    child.send(what);
  });

interface Level {
  p50: number;
  p99: number;
  bytesPerS: number;
  failed: number;
  events: number;
  cpuUsPerEvent: number;
  clientCpuUsPerEvent: number;
}

/** One wave of `n` streams against the server in `child` on `port`. */
async function level(child: ChildProcess, port: number, n: number): Promise<Level> {
  const agent = new Agent({ keepAlive: false, maxSockets: Infinity });
  const signal = AbortSignal.timeout(DEADLINE_MS);
  const target = { port, path: PATH, body: BODY, signal };
  const cpuBefore = await ask(child, 'cpu');
  const clientBefore = process.cpuUsage();
  const start = performance.now();
  const results = await Promise.all(
    Array.from({ length: n }, (_, i) =>
      new Promise<void>((r) => setTimeout(r, (i * RAMP_MS) / n)).then(() =>
        CLIENT === 'raw' ? rawStream(target) : httpStream(target, agent),
      ),
    ),
  );
  const wall = (performance.now() - start) / 1000;
  const client = process.cpuUsage(clientBefore);
  const cpuMicros = (await ask(child, 'cpu')) - cpuBefore;
  agent.destroy();
  const failure = results.find((r) => !r.ok);
  if (failure) process.stderr.write(`mock bench: ${n} streams, a stream failed: ${failure.error ?? 'cut short'}\n`);
  const all = results.flatMap((r) => r.lateness).sort((a, b) => a - b);
  return {
    p50: round(percentile(all, 50)),
    p99: round(percentile(all, 99)),
    bytesPerS: Math.round(results.reduce((s, r) => s + r.bytes, 0) / wall),
    failed: results.filter((r) => !r.ok).length,
    events: all.length,
    // Server CPU per event: a figure that holds even when other processes crowd the machine.
    cpuUsPerEvent: round(cpuMicros / Math.max(1, all.length)),
    // The load generator's own CPU per event (this process): it shares the machine with the server.
    clientCpuUsPerEvent: round((client.user + client.system) / Math.max(1, all.length)),
  };
}

/** Each level is run this many times, mock and floor in turn; a figure is the median of its waves. */
const WAVES = Number(process.env.MOCK_BENCH_WAVES ?? 3);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

/** The waves' medians, with the worst wave's p99 and every failure. */
function summary(waves: Level[]): Level & { worstP99: number } {
  const mid = (pick: (l: Level) => number): number => median(waves.map(pick));
  return {
    p50: mid((l) => l.p50),
    p99: mid((l) => l.p99),
    worstP99: Math.max(...waves.map((l) => l.p99)),
    bytesPerS: mid((l) => l.bytesPerS),
    failed: waves.reduce((sum, l) => sum + l.failed, 0),
    events: waves[0]!.events,
    cpuUsPerEvent: mid((l) => l.cpuUsPerEvent),
    clientCpuUsPerEvent: mid((l) => l.clientCpuUsPerEvent),
  };
}

export async function run(): Promise<Record<string, number>> {
  const mock = await startServer('server.ts');
  const out: Record<string, number> = {};
  let floor: Awaited<ReturnType<typeof startServer>> | undefined;
  try {
    const recording = splitChunked(await recordRaw(mock.port, PATH, BODY));
    floor = await startServer('floor.ts', { recording: wire(recording) });
    await level(mock.child, mock.port, WARMUP_STREAMS);
    await level(floor.child, floor.port, WARMUP_STREAMS);
    for (const n of LEVELS) {
      const mockWaves: Level[] = [];
      const floorWaves: Level[] = [];
      for (let w = 0; w < WAVES; w++) {
        mockWaves.push(await level(mock.child, mock.port, n));
        floorWaves.push(await level(floor.child, floor.port, n));
      }
      const m = summary(mockWaves);
      const f = summary(floorWaves);
      out[`p50_lateness_ms_at_${n}_streams`] = m.p50;
      out[`p99_lateness_ms_at_${n}_streams`] = m.p99;
      out[`worst_wave_p99_lateness_ms_at_${n}_streams`] = m.worstP99;
      out[`bytes_per_s_at_${n}_streams`] = m.bytesPerS;
      out[`failed_streams_at_${n}_streams`] = m.failed;
      out[`events_at_${n}_streams`] = m.events;
      out[`server_cpu_us_per_event_at_${n}_streams`] = m.cpuUsPerEvent;
      out[`client_cpu_us_per_event_at_${n}_streams`] = m.clientCpuUsPerEvent;
      out[`floor_p99_lateness_ms_at_${n}_streams`] = f.p99;
      out[`floor_worst_wave_p99_lateness_ms_at_${n}_streams`] = f.worstP99;
      out[`floor_cpu_us_per_event_at_${n}_streams`] = f.cpuUsPerEvent;
      out[`floor_client_cpu_us_per_event_at_${n}_streams`] = f.clientCpuUsPerEvent;
      out[`floor_failed_streams_at_${n}_streams`] = f.failed;
      if (f.events !== m.events) out[`floor_events_at_${n}_streams`] = f.events;
    }
    out.server_peak_rss_mb = round((await ask(mock.child, 'rss')) / 1024 / 1024);
    out.client_peak_rss_mb = round((process.resourceUsage().maxRSS * 1024) / 1024 / 1024);
  } finally {
    await stopServer(mock.child);
    if (floor) await stopServer(floor.child);
  }
  return out;
}

const round = (x: number): number => Math.round(x * 100) / 100;

/**
 * Under the runner, the suite runs in a process of its own (this file, run alone): the runner imports
 * every suite, so there the load generator shared a heap with Playwright and the other suites' modules,
 * and its own pauses showed in the lateness it measured (at 500 streams, a p99 of 23–36 ms through the
 * runner against 4–17 ms alone).
 */
async function runAlone(): Promise<Record<string, number>> {
  const child = spawn(process.execPath, [fileURLToPath(import.meta.url)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (out += text));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`mock bench: its process exited with ${code}`);
  return (JSON.parse(out) as { mock: Record<string, number> }).mock;
}

export default { name: 'mock', run: runAlone };

if (import.meta.main) {
  console.log(JSON.stringify({ mock: await run() }, null, 2));
}
