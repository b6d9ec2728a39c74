/**
 * Every file a learner sees in the editor or on a lesson page type-checks cleanly in the editor's own
 * language service: each lab's starter and solution, and every lesson sample. A red squiggle on untouched
 * course code ("Cannot find module 'eventsource-parser'") teaches the learner to ignore squiggles.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { collectEditorTypes } from '../../../node/editorTypes.ts';
import { LAB_MODULES, labModuleFor } from '../../../lab/run/imports.ts';
import { createLabLanguageService, type LabLanguageService } from './service.ts';

const root = process.cwd();

function walk(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? walk(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

const labFiles = readdirSync(join(root, 'labs')).flatMap((id) =>
  ['starter.ts', 'solution.ts'].map((name) => join(root, 'labs', id, name)),
);
const allSamples = walk(join(root, 'content/samples')).filter(
  (file) => file.endsWith('.ts') && !file.endsWith('.test.ts'),
);

/**
 * Samples for a server (lesson 8's relays import `node:http`, `hono`; lesson 9's AI SDK loop imports
 * `ai`) are not lab code: the sandbox never
 * runs them and the editor never shows them. Every other sample only imports what a lab can.
 */
const serverOnly = (file: string): boolean =>
  [...readFileSync(file, 'utf8').matchAll(/\bfrom\s+'([^']+)'/g)].some(([, specifier]) => {
    if (specifier!.startsWith('.')) return false;
    return !(LAB_MODULES as readonly string[]).includes(labModuleFor(specifier!));
  });
const samples = allSamples.filter((file) => !serverOnly(file));

let service: LabLanguageService;
beforeAll(() => {
  service = createLabLanguageService(collectEditorTypes(root));
  // Samples import their siblings (`./tools.ts`): the service sees them all, at the same paths.
  for (const file of samples) {
    service.setFile({ fileName: '/' + relative(root, file), text: readFileSync(file, 'utf8') });
  }
}, 180_000);

describe('the editor shows no diagnostics on course code', () => {
  it.each([...labFiles, ...samples].map((file) => relative(root, file)))('%s', (path) => {
    const fileName = '/' + path;
    service.setFile({ fileName, text: readFileSync(join(root, path), 'utf8') });
    const found = service
      .diagnostics({ fileName })
      .map((d) => `${d.code} at ${d.from}: ${d.message}`);
    expect(found).toEqual([]);
  });
});

describe('server-only samples', () => {
  it("are only lesson 8's relays and lesson 9's AI SDK loop (server code, never run in a lab)", () => {
    const skipped = allSamples.filter(serverOnly).map((file) => relative(root, file));
    expect(skipped.sort()).toEqual([
      'content/samples/08-production/relay-hono.ts',
      'content/samples/08-production/relay-node-http.ts',
      'content/samples/09-reasoning/ai-sdk-agent.ts',
    ]);
  });
});

describe('starters', () => {
  it.each(labFiles.filter((f) => f.endsWith('starter.ts')).map((f) => relative(root, f)))(
    '%s carries no tooling comments',
    (path) => {
      expect(readFileSync(join(root, path), 'utf8')).not.toMatch(
        /eslint-disable|@ts-(ignore|expect-error|nocheck)|prettier-ignore/,
      );
    },
  );
});
