/**
 * Bench: what isolating learner code costs, for the choice in the README ("Trust model").
 * - `sandbox.lockdown_ms`: median time of `lockDownRealm()` (`ses` repair + harden of every intrinsic and
 *   of the Web classes learner code gets) in a fresh worker thread, as each grader run and each spare page
 *   worker pays once.
 * - `sandbox.scope_ms`: median time to make a learner scope (`createLearnerScope`) and evaluate a small
 *   module in it, paid per run.
 * - `sandbox.realm_start_ms`: median time to start one more worker thread and get its first message: the
 *   least a separate realm per run (the alternative design) would add to every run.
 * - `sandbox.ses_gzip_bytes`: `ses` minified and gzipped, as the page's lab worker bundle carries it.
 * Runs under the bench runner (`npm run bench -- sandbox`) or alone: `node tests/bench/suites/sandbox.ts`.
 */
import { Worker } from 'node:worker_threads';
import { gzipSync } from 'node:zlib';

const ROUNDS = 7;
const LOCKDOWN = new URL('../../../src/lab/run/lockdown.ts', import.meta.url).href;
const SCOPE = new URL('../../../src/lab/run/compartment.ts', import.meta.url).href;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Runs `body` (an async function body) in a fresh worker thread; resolves with what it posts. */
function inThread<T>(body: string): Promise<T> {
  const source = `
    const { parentPort } = await import('node:worker_threads');
    parentPort.postMessage(await (async () => { ${body} })());
  `;
  return new Promise((resolve, reject) => {
    const worker = new Worker(source, { eval: true, type: 'module' } as never);
    worker.once('message', (value: T) => {
      resolve(value);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

async function measure(): Promise<Record<string, number>> {
  const lockdown: number[] = [];
  const scope: number[] = [];
  const start: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const t0 = performance.now();
    const figures = await inThread<{ lockdown: number; scope: number }>(`
      const { lockDownRealm } = await import(${JSON.stringify(LOCKDOWN)});
      const { createLearnerScope } = await import(${JSON.stringify(SCOPE)});
      globalThis.Response; // Node loads its fetch classes lazily; not part of the lockdown.
      let t = performance.now();
      lockDownRealm();
      const lockdown = performance.now() - t;
      t = performance.now();
      const scope = createLearnerScope({ fetch, console: { log() {} }, env: {} });
      scope.evaluate('(function (exports) { exports.ok = [1, 2, 3].map((n) => n * 2); })')({});
      return { lockdown, scope: performance.now() - t };
    `);
    start.push(performance.now() - t0);
    lockdown.push(figures.lockdown);
    scope.push(figures.scope);
  }
  const bare: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const t0 = performance.now();
    await inThread<number>('return 1;');
    bare.push(performance.now() - t0);
  }
  return {
    'sandbox.lockdown_ms': round(median(lockdown)),
    'sandbox.scope_ms': round(median(scope)),
    'sandbox.realm_start_ms': round(median(bare)),
  };
}

async function sesGzipBytes(): Promise<number> {
  const esbuild = await import('esbuild-wasm');
  await esbuild.initialize({});
  const result = await esbuild.build({
    stdin: { contents: "import 'ses';", resolveDir: process.cwd() },
    bundle: true,
    minify: true,
    format: 'iife',
    write: false,
    logLevel: 'silent',
  });
  await esbuild.stop?.();
  return gzipSync(result.outputFiles[0]!.contents).byteLength;
}

export async function run(): Promise<Record<string, number>> {
  return { ...(await measure()), 'sandbox.ses_gzip_bytes': await sesGzipBytes() };
}

const round = (ms: number): number => Math.round(ms * 10) / 10;

export default { name: 'sandbox', run };

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await run());
}
