/**
 * A lab's files the page fetches only when it needs them, as static files of their own, so they are in
 * no lesson's HTML and in none of the page's JavaScript:
 *
 * - `lab-files/<id>/checks-visible.txt`: the lab's `checks.ts` without its hidden checks
 *   (`src/node/visibleChecks.ts`), fetched on the first Run (`src/lab/lab-files.ts`).
 * - `lab-files/<id>/checks.txt`: the whole `checks.ts`, hidden checks included, fetched on the first
 *   "Run all checks", which runs them.
 * - `lab-files/<id>/driver.txt`: its `driver.ts` (what Run does with the learner's code), fetched with
 *   the visible checks.
 * - `lab-files/<id>/solution.txt`: its `solution.ts`, except in a build with `STREAMLAB_SOLUTIONS=never`
 *   (the solutions gate, `src/node/solutions.ts`), fetched when the learner asks to see it (`always`) or
 *   once they pass the visible checks (`after-pass`).
 */
import type { APIRoute, GetStaticPaths } from 'astro';
import { solutionFiles } from 'virtual:streamlab/solution-files';
import { visibleChecks } from 'virtual:streamlab/visible-checks';
import { labIds, loadLabBundle } from '../../../lab/bundle.ts';
import { LAB_FILES } from '../../../lab/lab-files.ts';

export const getStaticPaths = (() => {
  const paths: Array<{ params: { id: string; file: string } }> = labIds.flatMap((id) => [
    { params: { id, file: LAB_FILES.checks } },
    { params: { id, file: LAB_FILES.visibleChecks } },
    { params: { id, file: LAB_FILES.driver } },
  ]);
  for (const id of Object.keys(solutionFiles)) {
    paths.push({ params: { id, file: LAB_FILES.solution } });
  }
  return paths;
}) satisfies GetStaticPaths;

export const GET: APIRoute = async ({ params }) => {
  const id = params.id!;
  const text =
    params.file === LAB_FILES.solution
      ? await solutionFiles[id]!()
      : params.file === LAB_FILES.visibleChecks
        ? visibleChecks[id]!
        : params.file === LAB_FILES.driver
          ? (await loadLabBundle(id)).files.driver
          : (await loadLabBundle(id)).files.checks;
  return new Response(text, { headers: { 'content-type': 'text/plain; charset=utf-8' } });
};
