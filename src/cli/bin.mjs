#!/usr/bin/env node
/**
 * The `streamlab` command (package.json `bin`). Plain JavaScript, so that any Node can read it and say
 * plainly when it cannot run the TypeScript CLI (`streamlab.ts`), instead of failing with
 * ERR_UNKNOWN_FILE_EXTENSION. Node runs TypeScript files itself from 22.18 on; the project pins 24.
 */
if (!process.features.typescript) {
  process.stderr.write(
    `streamlab: this Node (${process.version}) cannot run TypeScript files, which the CLI is written in.\n` +
      `Use Node 22.18 or later (the project pins Node 24), or the npm scripts, which run the project's own\n` +
      `Node 24: npm run mock -- --help, npm run grade -- --help, npm run preview.\n`,
  );
  process.exit(1);
}
await import('./streamlab.ts');
