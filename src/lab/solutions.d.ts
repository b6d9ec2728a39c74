/** Written by `src/node/solutions.ts` (the solutions gate). */
declare module 'virtual:streamlab/solutions' {
  /** The build's `STREAMLAB_SOLUTIONS` mode. */
  export const solutionsMode: 'always' | 'after-pass' | 'never';
}

/** Written by `src/node/solutions.ts`: only the static endpoint `src/pages/lab-files/` imports it. */
declare module 'virtual:streamlab/solution-files' {
  /** Lab id → its `solution.ts` text, served as a file of its own; empty with `never`. */
  export const solutionFiles: Record<string, () => Promise<string>>;
}

/** Written by `src/node/visibleChecks.ts`: only the static endpoint `src/pages/lab-files/` imports it. */
declare module 'virtual:streamlab/visible-checks' {
  /** Lab id → its `checks.ts` without the hidden checks (what Run needs). */
  export const visibleChecks: Record<string, string>;
}
