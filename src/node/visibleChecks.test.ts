import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { Check } from '../lab/checks/index.ts';
import { loadChecks } from '../lab/plan.ts';
import { builtins } from '../lab/run/builtins.ts';
import { ModuleLoader } from '../lab/run/modules.ts';
import { visibleChecksSource } from './visibleChecks.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const labs = readdirSync(`${root}/labs`, { withFileTypes: true })
  .filter((e) => e.isDirectory() && readdirSync(`${root}/labs/${e.name}`).includes('checks.ts'))
  .map((e) => e.name);

/** Evaluates a checks source as the sandbox does, and returns its checks. */
async function evaluate(fileName: string, source: string): Promise<Check[]> {
  const modules: Record<string, unknown> = {};
  const loader = new ModuleLoader({
    builtins: modules,
    learner: { fileName: 'learner.ts', source: '' },
    files: { checks: { fileName, source } },
  });
  loader.compileOnly(['checks']);
  for (const name of loader.requiredBuiltins()) modules[name] = await builtins[name]!();
  return loader.file('checks').default as Check[];
}

describe("Run's checks file (checks-visible.txt)", () => {
  it.each(labs)('%s: holds every visible check and no hidden one', async (lab) => {
    const fileName = `labs/${lab}/checks.ts`;
    const visible = visibleChecksSource(readFileSync(`${root}/${fileName}`, 'utf8'), fileName);
    const all = await loadChecks(lab);
    const shown = await evaluate(fileName, visible);
    expect(shown.map((c) => c.id)).toEqual(all.filter((c) => !c.hidden).map((c) => c.id));
    for (const hidden of all.filter((c) => c.hidden)) {
      expect(visible).not.toContain(`id: '${hidden.id}'`);
      expect(visible).not.toContain(hidden.name);
    }
  });

  it('says which file has no defineChecks list', () => {
    expect(() => visibleChecksSource('export default [];', 'labs/x/checks.ts')).toThrow(
      /labs\/x\/checks\.ts: no `export default defineChecks\(\[\.\.\.\]\)`/,
    );
  });
});
