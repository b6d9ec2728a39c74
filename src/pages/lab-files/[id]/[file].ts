/**
 * A lab's files the page fetches only when it needs them, as static files of their own, so they are in
 * no lesson's HTML and in none of the page's JavaScript:
 *
 * - `lab-files/<id>/checks.txt`: the lab's `checks.ts`, visible and hidden checks in one file, fetched
 *   on the first Run (`src/lab/lab-files.ts`).
 * - `lab-files/<id>/solution.txt`: its `solution.ts`, except in a build with `STREAMLAB_SOLUTIONS=never`
 *   (the solutions gate, `src/node/solutions.ts`), fetched when the learner asks to see it (`always`) or
 *   once they pass the visible checks (`after-pass`).
 */
import type { APIRoute, GetStaticPaths } from 'astro';
import { solutionFiles } from 'virtual:streamlab/solution-files';
import { labIds, loadLabBundle } from '../../../lab/bundle.ts';
import { LAB_FILES } from '../../../lab/lab-files.ts';

export const getStaticPaths = (() => {
  const paths: Array<{ params: { id: string; file: string } }> = labIds.map((id) => ({
    params: { id, file: LAB_FILES.checks },
  }));
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
      : (await loadLabBundle(id)).files.checks;
  return new Response(text, { headers: { 'content-type': 'text/plain; charset=utf-8' } });
};
