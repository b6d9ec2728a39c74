import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { SOLUTIONS_MODULE, solutionsGate, solutionsMode } from './solutions.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const labs = readdirSync(`${root}/labs`, { withFileTypes: true })
  .filter((e) => e.isDirectory())
  .map((e) => e.name);

/** What the gate's virtual module holds for a given environment (as Vite would load it). */
function moduleFor(env: Record<string, string | undefined>): string {
  const plugin = solutionsGate(env);
  plugin.configResolved({ root });
  const id = plugin.resolveId(SOLUTIONS_MODULE);
  expect(id).toBe(`\0${SOLUTIONS_MODULE}`);
  return plugin.load(id!)!;
}

describe('the solutions gate', () => {
  it('by default imports every lab solution, so the page can show it', () => {
    const code = moduleFor({});
    expect(code).toContain('export const solutionsShown = true;');
    for (const id of labs) expect(code).toContain(`"/labs/${id}/solution.ts?raw"`);
    expect(moduleFor({ STREAMLAB_SOLUTIONS: 'shown' })).toBe(code);
  });

  it('with STREAMLAB_SOLUTIONS=hidden imports no solution at all', () => {
    const code = moduleFor({ STREAMLAB_SOLUTIONS: 'hidden' });
    expect(code).toContain('export const solutionsShown = false;');
    expect(code).not.toMatch(/import|solution\.ts/);
    expect(code).toContain('export const solutions = {\n\n};');
  });

  it('the site gathers solutions only through the gate', () => {
    // bundle.ts's glob of lab files must leave solution.ts out; the gate alone brings solutions in.
    const bundle = readFileSync(`${root}/src/lab/bundle.ts`, 'utf8');
    expect(bundle).toContain("'!/labs/*/solution.ts'");
    expect(bundle).toContain(`from '${SOLUTIONS_MODULE}'`);
  });

  it('an unknown mode fails the build and says what is allowed', () => {
    expect(() => solutionsMode({ STREAMLAB_SOLUTIONS: 'never' })).toThrow(
      /STREAMLAB_SOLUTIONS="never" is not a mode: use 'shown' \(the default\) or 'hidden'/,
    );
    expect(solutionsMode({ STREAMLAB_SOLUTIONS: ' hidden ' })).toBe('hidden');
  });
});
