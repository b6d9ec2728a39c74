/** Written by `src/node/solutions.ts` (the solutions gate). */
declare module 'virtual:streamlab/solutions' {
  /** False in a build with `STREAMLAB_SOLUTIONS=hidden`. */
  export const solutionsShown: boolean;
  /** Lab id → its `solution.ts` text; empty when solutions are hidden. */
  export const solutions: Record<string, () => Promise<string>>;
}
