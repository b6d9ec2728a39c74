/**
 * The labs as the site sees them: their files imported as text at build time (Vite `import.meta.glob`),
 * validated by the same catalog code as the grader. A broken lab fails the build with a message naming it.
 * Each lab's text is its own lazy chunk, so a page pays only for the lab it embeds. The labs carry an
 * empty `solution` in every mode: a page fetches it from a file of its own when the solutions gate
 * (`src/node/solutions.ts`) allows (`lab-files/<id>/solution.txt`).
 */
import { solutionsMode } from 'virtual:streamlab/solutions';
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
      // Never in a page: each solution is a static file of its own (src/node/solutions.ts).
      files['solution.ts'] = '';
      // buggy/ variants are for `grade --all`, not the page.
      return validateLab(id, files, { buggy: false });
    })();
    cache.set(id, bundle);
    bundle.catch(() => cache.delete(id));
  }
  return bundle;
}
