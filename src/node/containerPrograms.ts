/**
 * The Node programs Node mode mounts into a WebContainer, bundled at build time into single files (a
 * container has no `node_modules`, and installing them would need the npm registry from the learner's
 * browser): the lab runner (`container/runner.ts`, with the SDKs, sucrase and the mock core inside) and the
 * mock server CLI (`container/mock.ts`). The Vite plugin serves them as strings from the virtual module
 * `virtual:streamlab/container-programs`, which only the WebContainer engine's lazy chunk imports.
 *
 * esbuild is Astro's own dependency (and Vite's bundler for dependencies in dev); it bundles the two
 * programs in well under a second.
 */
import { build } from 'esbuild';
import { fileURLToPath } from 'node:url';

export const CONTAINER_PROGRAMS_MODULE = 'virtual:streamlab/container-programs';

export interface ContainerPrograms {
  /** `.streamlab/runner.mjs` */
  runner: string;
  /** `.streamlab/mock.mjs` */
  mock: string;
  /** `.streamlab/bin/curl` (a Node script; the shell has no curl) */
  curl: string;
}

async function bundle(entry: string): Promise<string> {
  const result = await build({
    entryPoints: [fileURLToPath(new URL(entry, import.meta.url))],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node18',
    minify: true,
    write: false,
    legalComments: 'none',
    // Some bundled CommonJS code calls require() for Node built-ins.
    banner: {
      js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
    },
    logLevel: 'silent',
  });
  return result.outputFiles[0]!.text;
}

let cached: Promise<ContainerPrograms> | undefined;
/** Both programs, bundled once per process. */
export function buildContainerPrograms(): Promise<ContainerPrograms> {
  cached ??= Promise.all([
    bundle('./container/runner.ts'),
    bundle('./container/mock.ts'),
    bundle('./container/curl.ts'),
  ]).then(([runner, mock, curl]) => ({ runner, mock, curl: `#!/usr/bin/env node\n${curl}` }));
  return cached;
}

/** The Vite plugin. */
export function containerPrograms() {
  const resolved = `\0${CONTAINER_PROGRAMS_MODULE}`;
  return {
    name: 'streamlab-container-programs',
    resolveId: (id: string) => (id === CONTAINER_PROGRAMS_MODULE ? resolved : undefined),
    async load(id: string) {
      if (id !== resolved) return undefined;
      const programs = await buildContainerPrograms();
      return `export const runner = ${JSON.stringify(programs.runner)};\nexport const mock = ${JSON.stringify(programs.mock)};\nexport const curl = ${JSON.stringify(programs.curl)};\n`;
    },
  };
}
