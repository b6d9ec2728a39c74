import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  SOLUTION_FILES_MODULE,
  SOLUTIONS_MODULE,
  solutionsGate,
  solutionsMode,
} from './solutions.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const labs = readdirSync(`${root}/labs`, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name);

/** What one of the gate's virtual modules holds for a given environment (as Vite would load it). */
function moduleFor(env: Record<string, string | undefined>, name = SOLUTIONS_MODULE): string {
  const plugin = solutionsGate(env);
  plugin.configResolved({ root });
  const id = plugin.resolveId(name);
  expect(id).toBe(`\0${name}`);
  return plugin.load(id!)!;
}

const importsEverySolution = (code: string): void => {
  for (const id of labs) expect(code).toContain(`"/labs/${id}/solution.ts?raw"`);
};

describe('the solutions gate', () => {
  it('by default (always) keeps every solution out of the page and hands each to its own file, fetched when asked', () => {
    const code = moduleFor({});
    // The page's module is the mode and nothing else: no solution, no loader of one.
    expect(code).toBe('export const solutionsMode = "always";\n');
    expect(code).not.toMatch(/import|solution\.ts/);
    expect(moduleFor({ STREAMLAB_SOLUTIONS: 'always' })).toBe(code);
    expect(moduleFor({ STREAMLAB_SOLUTIONS: 'shown' })).toBe(code);
    importsEverySolution(moduleFor({}, SOLUTION_FILES_MODULE));
  });

  it('with after-pass keeps every solution out of the page and hands each to its own file', () => {
    const env = { STREAMLAB_SOLUTIONS: 'after-pass' };
    const page = moduleFor(env);
    expect(page).toBe('export const solutionsMode = "after-pass";\n');
    expect(page).not.toMatch(/import|solution\.ts/);
    const files = moduleFor(env, SOLUTION_FILES_MODULE);
    importsEverySolution(files);
  });

  it('with never (or its old name hidden) imports no solution at all, anywhere', () => {
    for (const value of ['never', 'hidden']) {
      const env = { STREAMLAB_SOLUTIONS: value };
      const page = moduleFor(env);
      expect(page).toBe('export const solutionsMode = "never";\n');
      expect(page).not.toMatch(/import|solution\.ts/);
      expect(moduleFor(env, SOLUTION_FILES_MODULE)).not.toMatch(/import|solution\.ts/);
    }
  });

  it('the site gathers solutions only through the gate, and only the static endpoint takes the files', () => {
    // bundle.ts's glob of lab files must leave solution.ts out; the gate alone brings solutions in.
    const bundle = readFileSync(`${root}/src/lab/bundle.ts`, 'utf8');
    expect(bundle).toContain("'!/labs/*/solution.ts'");
    expect(bundle).toContain(`from '${SOLUTIONS_MODULE}'`);
    const users = grep(`${root}/src`, `from '${SOLUTION_FILES_MODULE}'`);
    expect(users).toEqual(['src/pages/lab-files/[id]/[file].ts']);
  });

  it('an unknown mode fails the build and says what is allowed', () => {
    expect(() => solutionsMode({ STREAMLAB_SOLUTIONS: 'sometimes' })).toThrow(
      /STREAMLAB_SOLUTIONS="sometimes" is not a mode: use 'always' \(the default\), 'after-pass' or 'never'/,
    );
    expect(solutionsMode({ STREAMLAB_SOLUTIONS: ' after-pass ' })).toBe('after-pass');
  });
});

/** Files under `dir` (relative to the repository) whose text contains `needle`. */
function grep(dir: string, needle: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && /\.(ts|tsx|astro)$/.test(e.name) && !e.name.endsWith('.test.ts'))
    .map((e) => `${e.parentPath}/${e.name}`)
    .filter((path) => readFileSync(path, 'utf8').includes(needle))
    .map((path) => path.slice(root.length).replace(/^\/+/, ''))
    .sort();
}
