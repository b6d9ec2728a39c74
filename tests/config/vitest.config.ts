import { defineConfig } from 'vitest/config';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));

/** Unit tests sit beside the code (`src/**\/*.test.ts`), plus cross-cutting suites in `tests/unit/`. */
export default defineConfig({
  root,
  test: {
    include: [
      'src/**/*.test.ts',
      'src/**/*.test.tsx',
      'labs/**/*.test.ts',
      'tests/unit/**/*.test.ts',
      'content/**/*.test.ts',
    ],
    environment: 'node',
    // Vitest's default is one worker per core less one: a single worker on CI's 2 cores. Many suites
    // here wait on child processes, sockets and timers rather than the CPU, so three overlap well.
    maxWorkers: 3,
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
