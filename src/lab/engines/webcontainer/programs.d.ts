/** Served by the `streamlab-container-programs` Vite plugin (`src/node/containerPrograms.ts`). */
declare module 'virtual:streamlab/container-programs' {
  /** `.streamlab/runner.mjs`: the lab runner, bundled. */
  export const runner: string;
  /** `.streamlab/mock.mjs`: the mock server CLI, bundled. */
  export const mock: string;
  /** `.streamlab/bin/curl`: a small curl in Node. */
  export const curl: string;
}
