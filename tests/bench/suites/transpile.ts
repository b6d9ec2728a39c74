/**
 * Bench: the two in-page TypeScript transpilers we considered for lab code, on the real lab files
 * (every `labs/<id>/*.ts`, buggy variants included). Reports, for each:
 * - `startup_ms`: from nothing to ready to transform. sucrase: importing the module; esbuild-wasm: importing
 *   it plus `initialize()`, which compiles and instantiates its ~11 MB wasm (in a browser it must also be
 *   downloaded first, which this figure does not include, so it flatters esbuild-wasm).
 * - `transform_median_ms`: median time to transform one lab file (after two warm-up passes).
 *
 * sucrase is what the lab runtime uses (`src/lab/run/transpile.ts`).
 * Runs under the bench runner (`npm run bench`) or alone: `node tests/bench/suites/transpile.ts`.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const LABS = fileURLToPath(new URL('../../../labs/', import.meta.url));
const ROUNDS = 15;

async function labFiles(dir = LABS): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await labFiles(path)));
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) out.push(await readFile(path, 'utf8'));
  }
  return out;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function timeTransforms(sources: string[], transform: (code: string) => unknown | Promise<unknown>): Promise<number> {
  for (let warm = 0; warm < 2; warm++) for (const code of sources) await transform(code);
  const times: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    for (const code of sources) {
      const start = performance.now();
      await transform(code);
      times.push(performance.now() - start);
    }
  }
  return median(times);
}

export async function run(): Promise<Record<string, number>> {
  const sources = await labFiles();
  if (sources.length === 0) throw new Error('no lab files under labs/');

  let start = performance.now();
  const sucrase = await import('sucrase');
  const sucraseStartup = performance.now() - start;
  const sucraseMedian = await timeTransforms(sources, (code) =>
    sucrase.transform(code, { transforms: ['typescript', 'imports'], filePath: 'lab.ts', sourceMapOptions: { compiledFilename: 'lab.js' }, production: true }),
  );

  start = performance.now();
  const esbuild = await import('esbuild-wasm');
  await esbuild.initialize({});
  const esbuildStartup = performance.now() - start;
  const esbuildMedian = await timeTransforms(sources, (code) =>
    esbuild.transform(code, { loader: 'ts', format: 'cjs', sourcemap: 'external', sourcefile: 'lab.ts' }),
  );
  await esbuild.stop?.();

  return {
    'transpile.files': sources.length,
    'transpile.sucrase.startup_ms': round(sucraseStartup),
    'transpile.sucrase.transform_median_ms': round(sucraseMedian),
    'transpile.esbuild_wasm.startup_ms': round(esbuildStartup),
    'transpile.esbuild_wasm.transform_median_ms': round(esbuildMedian),
  };
}

const round = (ms: number): number => Math.round(ms * 1000) / 1000;

export default { name: 'transpile', run };

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(await run());
}
