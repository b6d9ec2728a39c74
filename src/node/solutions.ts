/**
 * Solutions gating for workshops. `STREAMLAB_SOLUTIONS=hidden npm run build` builds a site without the
 * labs' solutions: no Show solution button, and no solution text anywhere in `dist/`. Unset (or `shown`)
 * keeps today's site. The labs' files reach the page through `src/lab/bundle.ts`, which takes every
 * `solution.ts` from the virtual module `virtual:streamlab/solutions` this plugin writes: with the gate
 * on, that module imports no solution at all, so none can end up in a chunk or in a lab island's props.
 */
import { readdirSync } from 'node:fs';

export const SOLUTIONS_MODULE = 'virtual:streamlab/solutions';

export type SolutionsMode = 'shown' | 'hidden';

/** The mode from the environment; an unknown value fails the build, saying what is allowed. */
export function solutionsMode(env: Readonly<Record<string, string | undefined>>): SolutionsMode {
  const value = env.STREAMLAB_SOLUTIONS?.trim();
  if (value === undefined || value === '' || value === 'shown') return 'shown';
  if (value === 'hidden') return 'hidden';
  throw new Error(
    `STREAMLAB_SOLUTIONS=${JSON.stringify(value)} is not a mode: use 'shown' (the default) or 'hidden'`,
  );
}

/**
 * The virtual module's source: `solutions` maps a lab id to a loader of its solution's text (each its
 * own lazy chunk, as before), or is empty when hidden.
 */
export function solutionsModule(mode: SolutionsMode, labIds: readonly string[]): string {
  const entries =
    mode === 'hidden'
      ? []
      : labIds.map(
          (id) =>
            `  ${JSON.stringify(id)}: () => import(${JSON.stringify(`/labs/${id}/solution.ts?raw`)}).then((m) => m.default),`,
        );
  return `export const solutionsShown = ${mode === 'shown'};\nexport const solutions = {\n${entries.join('\n')}\n};\n`;
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
  const resolved = `\0${SOLUTIONS_MODULE}`;
  let root = process.cwd();
  return {
    name: 'streamlab-solutions',
    configResolved(config: { root: string }) {
      root = config.root;
    },
    resolveId: (id: string) => (id === SOLUTIONS_MODULE ? resolved : undefined),
    load(id: string) {
      if (id !== resolved) return undefined;
      return solutionsModule(mode, mode === 'hidden' ? [] : labsWithSolutions(root));
    },
  };
}
