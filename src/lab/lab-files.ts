/**
 * A lab's files that are not in its page (`src/pages/lab-files/[id]/[file].ts` writes them): the checks
 * and the driver, fetched when the learner first points at or focuses the lab (or at the first run), and the solution, fetched when the learner asks for it (or, in a build with
 * `STREAMLAB_SOLUTIONS=after-pass`, once they have passed the visible checks). URLs are resolved from where the page really is, so
 * they work under any path and from a folder copy. `fetch` is injectable for tests.
 */
import type { LabBundle } from './catalog.ts';

/** File names under `lab-files/<id>/`. */
export const LAB_FILES = {
  checks: 'checks.txt',
  visibleChecks: 'checks-visible.txt',
  solution: 'solution.txt',
  driver: 'driver.txt',
} as const;

export type LabFile = keyof typeof LAB_FILES;

/** A lab file that could not be loaded; the message names the lab file, the URL and what went wrong. */
export class LabFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LabFileError';
  }
}

/**
 * Fetches `labs/<id>/<file>.ts` from its static copy. `root` is the site's root URL (`siteUrl('')`).
 * Throws `LabFileError` saying which file, from where, and why.
 */
export async function fetchLabFile(
  id: string,
  file: LabFile,
  root: string,
  fetchImpl: typeof fetch = fetch,
): Promise<string> {
  const url = new URL(`lab-files/${encodeURIComponent(id)}/${LAB_FILES[file]}`, root).href;
  const what =
    file === 'visibleChecks'
      ? `labs/${id}/checks.ts (its visible checks)`
      : `labs/${id}/${file}.ts`;
  let response: Response;
  try {
    response = await fetchImpl(url);
  } catch (error) {
    throw new LabFileError(
      `Could not load ${what} from ${url}: ${(error as Error).message}. Is the site served over http (not opened from disk), and is the network up?`,
    );
  }
  if (!response.ok) {
    throw new LabFileError(
      `Could not load ${what} from ${url}: HTTP ${response.status}. The site's files may be incomplete: rebuild or copy dist/ again.`,
    );
  }
  return response.text();
}

/**
 * The bundle with what a run needs in place: its checks' source and its driver, fetched (once per bundle
 * and kind; the driver once per bundle) when the page left them out. `visible` (what Run needs) is
 * `checks.ts` without its hidden checks; `all` is the whole file, for "Run all checks".
 */
export function withRunFiles(
  bundle: LabBundle,
  root: string,
  fetchImpl: typeof fetch = fetch,
  which: 'visible' | 'all' = 'all',
): Promise<LabBundle> {
  if (bundle.files.checks !== '' && bundle.files.driver !== '') return Promise.resolve(bundle);
  let kinds = pending.get(bundle);
  if (!kinds) pending.set(bundle, (kinds = new Map()));
  let loaded = kinds.get(which);
  if (!loaded) {
    const file = which === 'visible' ? 'visibleChecks' : 'checks';
    loaded = Promise.all([
      bundle.files.checks || fetchLabFile(bundle.id, file, root, fetchImpl),
      driverOf(bundle, root, fetchImpl),
    ]).then(([checks, driver]) => ({ ...bundle, files: { ...bundle.files, checks, driver } }));
    kinds.set(which, loaded);
    loaded.catch(() => kinds.delete(which));
  }
  return loaded;
}

const pending = new WeakMap<LabBundle, Map<'visible' | 'all', Promise<LabBundle>>>();
const drivers = new WeakMap<LabBundle, Promise<string>>();

/** The lab's driver: the bundle's, or fetched once (again after a failure) when the page left it out. */
function driverOf(bundle: LabBundle, root: string, fetchImpl: typeof fetch): Promise<string> {
  if (bundle.files.driver !== '') return Promise.resolve(bundle.files.driver);
  let driver = drivers.get(bundle);
  if (!driver) {
    driver = fetchLabFile(bundle.id, 'driver', root, fetchImpl);
    drivers.set(bundle, driver);
    driver.catch(() => drivers.delete(bundle));
  }
  return driver;
}
