/**
 * Builds the site a second time under the sub-path `/course/` into tests/.tmp/dist-course (Astro +
 * Pagefind, the same steps as `npm run build`), so e2e tests prove a sub-path deploy works. Skipped
 * when that copy is newer than dist/ (i.e. already built from the same sources this run).
 * `--force` always rebuilds.
 */
import { spawnSync } from 'node:child_process';
import { statSync } from 'node:fs';

import { COURSE_DIST } from './helpers.ts';

const mtime = (path: string) => {
  try {
    return statSync(path).mtimeMs;
  } catch {
    return 0;
  }
};

function run(command: string, args: string[], env: NodeJS.ProcessEnv = process.env) {
  const result = spawnSync(command, args, { stdio: 'inherit', env });
  if (result.status !== 0) {
    console.error(
      `build-course: '${command} ${args.join(' ')}' failed (exit ${result.status ?? result.signal})`,
    );
    process.exit(1);
  }
}

function main() {
  const fresh =
    mtime(`${COURSE_DIST}/pagefind/pagefind.js`) > mtime('dist/index.html') &&
    mtime('dist/index.html') > 0;
  if (fresh && !process.argv.includes('--force')) {
    console.log(`build-course: ${COURSE_DIST} is up to date`);
  } else {
    const started = performance.now();
    run(
      process.execPath,
      ['node_modules/astro/bin/astro.mjs', 'build', '--outDir', COURSE_DIST, '--silent'],
      {
        ...process.env,
        BASE_PATH: '/course/',
      },
    );
    run(process.execPath, [
      'node_modules/pagefind/lib/runner/bin.cjs',
      '--site',
      COURSE_DIST,
      '--silent',
    ]);
    console.log(
      `build-course: built ${COURSE_DIST} in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
  }
}

if (import.meta.main) main();
