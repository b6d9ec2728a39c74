/**
 * `npm run size`: fails when the built site's JavaScript grows past its budget (run by `npm test` right
 * after the build). Sizes are gzip bytes of files in `dist/`, so the verdict is the same on every
 * machine; the browser-observed figures are `npm run bench -- site`.
 *
 * Budgets are today's size plus modest headroom; raise one only with a reason in the commit.
 */
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundle, pageRead, pageWeight } from './measure.ts';

const KB = 1024;

/** The budgets, gzip bytes. */
export const BUDGETS = {
  /** A lesson with a lab, read but not scrolled to its lab: HTML, CSS and the page's own scripts. */
  labPageRead: 60 * KB,
  /**
   * Lesson 6 is over that: two labs, and its whole chat handler as a tested sample after the first lab
   * (collapsed, but in the HTML: 4.9 KB gzip of highlighted code).
   */
  labPageReadLesson6: 66 * KB,
  /** A lesson with a lab, everything on it scrolled into view, before any click or key. */
  labPageBeforeInteraction: 340 * KB,
  /** The editor's TypeScript worker (compiler + shipped declarations), loaded on the first edit. */
  typescriptWorker: 1_500 * KB,
  /** The lab engine's sandboxed worker, loaded on the first pointer or focus in a lab. */
  labWorker: 480 * KB,
};

interface Row {
  what: string;
  gzip: number;
  budget: number;
  /** For a page: its files, largest first (printed when it is over). */
  files?: { file: string; gzip: number }[];
}

/** Measures `dist` against {@link BUDGETS}. */
export function checkBudgets(dist: string): Row[] {
  const lessons = join(dist, 'lessons');
  if (!existsSync(lessons)) throw new Error(`size: no ${lessons}; run \`npm run build\` first`);
  const labPages = readdirSync(lessons)
    .map((slug) => `lessons/${slug}`)
    .filter((page) => {
      const file = join(dist, page, 'index.html');
      return existsSync(file) && readFileSync(file, 'utf8').includes('data-lab="');
    });
  if (labPages.length === 0) throw new Error(`size: no lesson page in ${dist} embeds a lab`);
  const rows: Row[] = labPages.map((page) => {
    const weight = pageWeight(dist, page);
    return {
      what: `${page}/ before interaction`,
      gzip: weight.gzip,
      budget: BUDGETS.labPageBeforeInteraction,
      files: weight.files.sort((a, b) => b.gzip - a.gzip),
    };
  });
  for (const page of labPages) {
    const read = pageRead(dist, page);
    rows.push({
      what: `${page}/ read, not scrolled to its lab`,
      gzip: read.gzip,
      budget: page.endsWith('/streaming-to-the-browser')
        ? BUDGETS.labPageReadLesson6
        : BUDGETS.labPageRead,
      files: read.files.sort((a, b) => b.gzip - a.gzip),
    });
  }
  const ts = bundle(dist, 'ts.worker-');
  rows.push({ what: `${ts.file} (TypeScript)`, gzip: ts.gzip, budget: BUDGETS.typescriptWorker });
  const lab = bundle(dist, 'entry-');
  rows.push({ what: `${lab.file} (lab worker)`, gzip: lab.gzip, budget: BUDGETS.labWorker });
  return rows;
}

const kb = (n: number): string => `${(n / KB).toFixed(1)} KB`.padStart(10);

function main(): number {
  const dist = process.argv[2] ?? fileURLToPath(new URL('../../dist', import.meta.url));
  const rows = checkBudgets(dist);
  const width = Math.max(...rows.map((r) => r.what.length));
  let over = 0;
  for (const row of rows) {
    const fails = row.gzip > row.budget;
    if (fails) over++;
    process.stdout.write(
      `${fails ? 'OVER' : 'ok  '}  ${row.what.padEnd(width)}  ${kb(row.gzip)} of ${kb(row.budget)} gzip\n`,
    );
    if (fails) {
      for (const f of row.files?.slice(0, 8) ?? [])
        process.stdout.write(`        ${kb(f.gzip)}  ${f.file}\n`);
    }
  }
  if (over > 0)
    process.stderr.write(`size: ${over} over budget (budgets in tests/size/budgets.ts)\n`);
  return over > 0 ? 1 : 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) process.exitCode = main();
