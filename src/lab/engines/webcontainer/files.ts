/**
 * What Node mode mounts into the container: a `package.json` (with `npm run mock`), the two bundled
 * programs under `.streamlab/`, and, per run, the lab's files where a learner would look for them.
 */
import type { ContainerTree } from './container.ts';

/** The programs bundled at build time (`src/node/containerPrograms.ts`). */
export interface ContainerPrograms {
  runner: string;
  mock: string;
  curl: string;
}

/** The port the engine's own mock listens on inside the container. */
export const MOCK_PORT = 8787;
/** `npm run mock` in the terminal starts a second one here (the first is the engine's). */
export const SPARE_MOCK_PORT = 8788;

/**
 * `.streamlab/run.mjs`: starts a run. It says `starting` at once (which restarts the run's time limit, so
 * the limit counts the learner's code, not Node loading a 1.7 MB bundle on a slow machine), then loads the
 * runner. Plain JavaScript for the container's Node.
 */
export const RUN_BOOTSTRAP = `import { readFileSync } from 'node:fs';
const { token } = JSON.parse(readFileSync(process.argv[2], 'utf8'));
process.stdout.write('\\x1e' + token + JSON.stringify({ type: 'phase', phase: 'starting', t: 0 }) + '\\n');
await import('./runner.mjs');
`;

export function baseTree(programs: ContainerPrograms): ContainerTree {
  const pkg = {
    name: 'streamlab-node-mode',
    private: true,
    type: 'module',
    scripts: {
      mock: `node .streamlab/mock.mjs --port ${SPARE_MOCK_PORT}`,
    },
  };
  return {
    'package.json': { file: { contents: `${JSON.stringify(pkg, null, 2)}\n` } },
    '.streamlab': {
      directory: {
        'run.mjs': { file: { contents: RUN_BOOTSTRAP } },
        'runner.mjs': { file: { contents: programs.runner } },
        'mock.mjs': { file: { contents: programs.mock } },
        runs: { directory: {} },
        bin: { directory: { curl: { file: { contents: programs.curl } } } },
      },
    },
  };
}
