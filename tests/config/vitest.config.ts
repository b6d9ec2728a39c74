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
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
