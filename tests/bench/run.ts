/**
 * `npm run bench [suite...] [--rebuild] [--runs=N]`: the one bench runner. Every area plugs in a suite
 * file `tests/bench/suites/<name>.ts` whose default export is `{ name, run(ctx) }`, `run` resolving to
 * flat `{ metric: number }`. The runner runs the suites (all, or those named), prints a table, and
 * merges the figures into `bench/results.json` as `{ "<suite>": { "<metric>": n } }`, keeping figures
 * of suites not run this time. A failing suite is reported and makes the exit code 1; the others still
 * run and are saved.
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createContext, ROOT, type BenchContext } from './context.ts';

export interface BenchSuite {
  name: string;
  run(ctx: BenchContext): Promise<Record<string, number>>;
}

type Results = Record<string, Record<string, number>>;

const RESULTS = join(ROOT, 'bench', 'results.json');

function isSuite(value: unknown): value is BenchSuite {
  const v = value as Partial<BenchSuite> | null;
  return typeof v?.name === 'string' && typeof v.run === 'function';
}

async function loadSuites(filter: string[]): Promise<BenchSuite[]> {
  const dir = join(ROOT, 'tests', 'bench', 'suites');
  const files = (await readdir(dir)).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts')).sort();
  const suites: BenchSuite[] = [];
  for (const file of files) {
    const mod = (await import(pathToFileURL(join(dir, file)).href)) as { default?: unknown };
    if (!isSuite(mod.default)) {
      throw new Error(`tests/bench/suites/${file}: default export must be { name: string, run(ctx) }`);
    }
    suites.push(mod.default);
  }
  const unknown = filter.filter((name) => !suites.some((s) => s.name === name));
  if (unknown.length > 0) {
    throw new Error(`unknown suite(s): ${unknown.join(', ')}; known: ${suites.map((s) => s.name).join(', ')}`);
  }
  return filter.length > 0 ? suites.filter((s) => filter.includes(s.name)) : suites;
}

async function readResults(): Promise<Results> {
  try {
    const data = JSON.parse(await readFile(RESULTS, 'utf8')) as unknown;
    return typeof data === 'object' && data !== null && !Array.isArray(data) ? (data as Results) : {};
  } catch {
    return {};
  }
}

function table(rows: [string, string, string][]): string {
  const widths = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows
    .map((r, n) => {
      const line = `${r[0].padEnd(widths[0]!)}  ${r[1].padEnd(widths[1]!)}  ${r[2].padStart(widths[2]!)}`;
      return n === 0 ? `${line}\n${'-'.repeat(line.length)}` : line;
    })
    .join('\n');
}

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write('Usage: npm run bench -- [suite...] [--rebuild] [--runs=N]\n');
    return 0;
  }
  const flags = new Set(argv.filter((a) => a.startsWith('--')));
  const suites = await loadSuites(argv.filter((a) => !a.startsWith('--')));
  const ctx = createContext(flags);
  const results = await readResults();
  const rows: [string, string, string][] = [['suite', 'metric', 'value']];
  let failed = 0;
  try {
    for (const suite of suites) {
      process.stderr.write(`▶ ${suite.name}\n`);
      const started = performance.now();
      try {
        const figures = await suite.run(ctx);
        results[suite.name] = { ...results[suite.name], ...figures };
        for (const [metric, value] of Object.entries(figures)) rows.push([suite.name, metric, String(value)]);
        process.stderr.write(`  done in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
      } catch (error) {
        failed++;
        process.stderr.write(`  FAILED: ${(error as Error).stack ?? String(error)}\n`);
        rows.push([suite.name, '(failed)', '-']);
      }
      // Save after every suite, so a later crash keeps what was measured.
      await mkdir(join(ROOT, 'bench'), { recursive: true });
      await writeFile(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
    }
  } finally {
    await ctx.close();
  }
  process.stdout.write(`\n${table(rows)}\n\nwritten to bench/results.json\n`);
  return failed > 0 ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
