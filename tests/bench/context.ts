/**
 * What the bench runner hands every suite (`run(ctx)`): the repo root, a built site and a static server
 * shared by all suites (each made at most once, on first use), the Chromium to use, and small helpers.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromiumPath, CHROMIUM_ARGS } from '../e2e/browser.ts';
import { startStaticServer, type RunningStaticServer } from '../../src/node/static-server.ts';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface BenchContext {
  /** Repository root (absolute). */
  root: string;
  /** Absolute path of the built site. Call {@link BenchContext.ensureBuilt} before reading it. */
  distDir: string;
  /**
   * Builds the site (astro build + pagefind) unless dist/ is newer than every source file and was built
   * for this base path (`BASE_PATH`, default `/`), or `--rebuild`.
   */
  ensureBuilt(): Promise<string>;
  /** URL (with trailing slash) of a static server for the built site, started once and shared. */
  serverUrl(): Promise<string>;
  /** The Chromium executable and the flags the tests use (add `--headless` yourself). */
  chromiumPath: string;
  chromiumArgs: readonly string[];
  /** Command-line flags given to the runner (e.g. `--rebuild`, `--runs=5`). */
  flags: ReadonlySet<string>;
  /** How many repetitions to median over (`--runs=N`, default 3). */
  runs: number;
  median(values: readonly number[]): number;
  log(message: string): void;
}

/** The median of a non-empty list (mean of the middle two for even lengths). */
export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error('median of an empty list');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Newest modification time of any file below the given paths (skipping node_modules). */
function newestMtime(paths: string[]): number {
  let newest = 0;
  const visit = (path: string) => {
    let info;
    try {
      info = statSync(path);
    } catch {
      return;
    }
    if (info.isDirectory()) {
      for (const name of readdirSync(path)) if (name !== 'node_modules') visit(join(path, name));
    } else newest = Math.max(newest, info.mtimeMs);
  };
  paths.forEach(visit);
  return newest;
}

/** The base path `dist/` was built for (`data-build-base` on its home page), if it was built at all. */
function buildBase(distDir: string): string | undefined {
  try {
    return /data-build-base="([^"]*)"/.exec(readFileSync(join(distDir, 'index.html'), 'utf8'))?.[1];
  } catch {
    return undefined;
  }
}

/**
 * Whether `builtFor` (a build's `data-build-base`) is the base path `basePath` asks for: Astro records
 * `BASE_PATH=/course` as `/course/` (trailingSlash: 'always'), so the slashes at either end do not count.
 */
export function sameBase(builtFor: string | undefined, basePath: string): boolean {
  const bare = (path: string): string => path.replace(/^\/+|\/+$/g, '');
  return builtFor !== undefined && bare(builtFor) === bare(basePath);
}

export function createContext(flags: Set<string>): BenchContext & { close(): Promise<void> } {
  const distDir = join(ROOT, 'dist');
  let built: Promise<string> | undefined;
  let server: Promise<RunningStaticServer> | undefined;
  const runsFlag = [...flags].find((f) => f.startsWith('--runs='));
  const ctx = {
    root: ROOT,
    distDir,
    chromiumPath: chromiumPath(),
    chromiumArgs: [...CHROMIUM_ARGS],
    flags,
    runs: runsFlag ? Math.max(1, Number(runsFlag.slice(7)) || 3) : 3,
    median,
    log: (message: string) => process.stderr.write(`  ${message}\n`),
    ensureBuilt() {
      built ??= (async () => {
        const sources = ['src', 'content', 'labs', 'public', 'astro.config.mjs'].map((p) => join(ROOT, p));
        const builtAt = newestMtime([join(distDir, 'pagefind', 'pagefind.js')]);
        const base = process.env.BASE_PATH ?? '/';
        const builtFor = buildBase(distDir);
        if (!flags.has('--rebuild') && builtAt > newestMtime(sources) && sameBase(builtFor, base)) {
          ctx.log('reusing dist/ (newer than every source; --rebuild to force)');
          return distDir;
        }
        if (builtFor !== undefined && !sameBase(builtFor, base)) {
          ctx.log(`dist/ was built for the base path ${builtFor}, not ${base}: rebuilding`);
        }
        ctx.log('building the site (npm run build)…');
        const result = spawnSync('npm', ['run', 'build', '--silent'], { cwd: ROOT, stdio: 'inherit' });
        if (result.status !== 0) throw new Error(`npm run build failed (exit ${result.status})`);
        return distDir;
      })();
      return built;
    },
    async serverUrl() {
      await ctx.ensureBuilt();
      server ??= startStaticServer({ root: distDir });
      return (await server).url;
    },
    async close() {
      if (server) await (await server).close();
    },
  };
  return ctx;
}
