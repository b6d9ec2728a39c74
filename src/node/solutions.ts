/**
 * Solutions gating for workshops, a build option: `STREAMLAB_SOLUTIONS=always|after-pass|never`.
 *
 * - `always` (the default; `shown` is its old name): every lab offers Show solution from the start; the
 *   solution is a static file of its own (`lab-files/<id>/solution.txt`, written by
 *   `src/pages/lab-files/[id]/[file].ts`), fetched when the learner first asks to see it.
 * - `after-pass`: no solution is in any page or in the JavaScript the page loads; the same file is fetched
 *   only once the learner has passed the lab's visible checks.
 * - `never` (`hidden` is its old name): no solution anywhere in `dist/`, no Show solution.
 *
 * The labs' files reach the pages through `src/lab/bundle.ts`, whose glob leaves every `solution.ts`
 * out; the virtual module `virtual:streamlab/solutions` this plugin writes for the pages holds only the
 * mode, so no solution can end up in a chunk or in a lab island's props. The static files come from a second virtual module,
 * `virtual:streamlab/solution-files`, which imports solutions in `always` and `after-pass`, and only the
 * static endpoint imports it.
 */
import { readdirSync } from 'node:fs';

export const SOLUTIONS_MODULE = 'virtual:streamlab/solutions';
export const SOLUTION_FILES_MODULE = 'virtual:streamlab/solution-files';

export type SolutionsMode = 'always' | 'after-pass' | 'never';

/** Older names still accepted, as documented before the three modes. */
const ALIASES: Readonly<Record<string, SolutionsMode>> = { shown: 'always', hidden: 'never' };
const MODES: readonly SolutionsMode[] = ['always', 'after-pass', 'never'];

/** The mode from the environment; an unknown value fails the build, saying what is allowed. */
export function solutionsMode(env: Readonly<Record<string, string | undefined>>): SolutionsMode {
  const value = env.STREAMLAB_SOLUTIONS?.trim();
  if (value === undefined || value === '') return 'always';
  const mode = ALIASES[value] ?? MODES.find((m) => m === value);
  if (mode) return mode;
  throw new Error(
    `STREAMLAB_SOLUTIONS=${JSON.stringify(value)} is not a mode: use 'always' (the default), 'after-pass' or 'never' ('shown' and 'hidden' are the old names of 'always' and 'never')`,
  );
}

/** `id: () => import('/labs/<id>/solution.ts?raw')` lines, one lazy loader per lab. */
function loaders(labIds: readonly string[]): string {
  return labIds
    .map(
      (id) =>
        `  ${JSON.stringify(id)}: () => import(${JSON.stringify(`/labs/${id}/solution.ts?raw`)}).then((m) => m.default),`,
    )
    .join('\n');
}

/**
 * The page-side module's source: the mode alone. No solution is in a page or in its JavaScript (each is
 * a static file, `solutionFilesModule`).
 */
export function solutionsModule(mode: SolutionsMode): string {
  return `export const solutionsMode = ${JSON.stringify(mode)};\n`;
}

/** The static files' module: the same loaders, except in `never`. */
export function solutionFilesModule(mode: SolutionsMode, labIds: readonly string[]): string {
  const entries = mode === 'never' ? '' : loaders(labIds);
  return `export const solutionFiles = {\n${entries}\n};\n`;
}

/** The lab folders under `<root>/labs` that have a solution. */
function labsWithSolutions(root: string): string[] {
  return readdirSync(`${root}/labs`, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .filter((id) => readdirSync(`${root}/labs/${id}`).includes('solution.ts'))
    .sort();
}

/** The Vite plugin. */
export function solutionsGate(env: Readonly<Record<string, string | undefined>> = process.env) {
  const mode = solutionsMode(env);
  const modules: Record<string, (ids: readonly string[]) => string> = {
    [`\0${SOLUTIONS_MODULE}`]: () => solutionsModule(mode),
    [`\0${SOLUTION_FILES_MODULE}`]: (ids) => solutionFilesModule(mode, ids),
  };
  let root = process.cwd();
  return {
    name: 'streamlab-solutions',
    configResolved(config: { root: string }) {
      root = config.root;
    },
    resolveId: (id: string) =>
      id === SOLUTIONS_MODULE || id === SOLUTION_FILES_MODULE ? `\0${id}` : undefined,
    load(id: string) {
      const write = modules[id];
      if (!write) return undefined;
      return write(mode === 'never' ? [] : labsWithSolutions(root));
    },
  };
}
