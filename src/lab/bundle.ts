/**
 * The labs as the site sees them: their files imported as text at build time (Vite `import.meta.glob`),
 * validated by the same catalog code as the grader. A broken lab fails the build with a message naming it.
 * Each lab's text is its own lazy chunk, so a page pays only for the lab it embeds. Solutions come from
 * the solutions gate (`src/node/solutions.ts`): outside `STREAMLAB_SOLUTIONS=always` the labs carry an
 * empty `solution` (`after-pass` pages fetch it from a file of its own once the learner passes).
 */
import { solutions, solutionsMode } from 'virtual:streamlab/solutions';
import { validateLab } from './catalog.ts';
import type { LabBundle } from './catalog.ts';

const sources = import.meta.glob<string>(
  [
    '/labs/*/*.{json,ts}',
    '!/labs/**/*.test.ts',
    '!/labs/*/solution.ts',
    '!/labs/*/equivalent-mutants.json',
  ],
  { query: '?raw', import: 'default' },
);

/** The build's `STREAMLAB_SOLUTIONS` mode (`always`, `after-pass` or `never`). */
export { solutionsMode };

/** Lab ids found under `labs/`. */
export const labIds: readonly string[] = [
  ...new Set(Object.keys(sources).map((path) => path.split('/')[2]!)),
].sort();

const cache = new Map<string, Promise<LabBundle>>();

/** Loads and validates one lab (its definition, starter, solution, driver and checks). */
export function loadLabBundle(id: string): Promise<LabBundle> {
  let bundle = cache.get(id);
  if (!bundle) {
    bundle = (async () => {
      const prefix = `/labs/${id}/`;
      const entries = Object.entries(sources).filter(([path]) => path.startsWith(prefix));
      if (entries.length === 0) {
        throw new Error(`No lab '${id}' (labs: ${labIds.join(', ') || 'none'})`);
      }
      const files: Record<string, string> = {};
      await Promise.all(
        entries.map(async ([path, load]) => {
          files[path.slice(prefix.length)] = await load();
        }),
      );
      files['solution.ts'] = (await solutions[id]?.()) ?? '';
      // buggy/ variants are for `grade --all`, not the page.
      return validateLab(id, files, { buggy: false });
    })();
    cache.set(id, bundle);
    bundle.catch(() => cache.delete(id));
  }
  return bundle;
}
