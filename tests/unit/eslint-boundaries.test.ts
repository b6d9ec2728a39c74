import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const eslint = new ESLint({ cwd: root, overrideConfigFile: 'tests/config/eslint.config.js' });

/** The rule ids ESLint reports for `code` as if it lived at `path`. */
async function ruleIds(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path });
  return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
}

describe('import boundaries (tests/config/eslint.config.js)', () => {
  const nodeImport = "import { readFile } from 'node:fs/promises';\nexport const r = readFile;\n";
  const wcImport =
    "import { WebContainer } from '@webcontainer/api';\nexport const w = WebContainer;\n";

  it.each(['src/sse/parse.ts', 'src/progress/store.ts', 'src/ui/Thing.tsx', 'labs/x/driver.ts'])(
    'forbids node:* in %s',
    async (path) => {
      expect(await ruleIds(path, nodeImport)).toContain('no-restricted-imports');
    },
  );

  it.each([
    'src/mock/node/serve.ts',
    'src/lab/grade/cli.ts',
    'src/cli/streamlab.ts',
    'src/node/static-server.ts',
    'tests/e2e/helpers.ts',
    'src/sse/parse.test.ts',
  ])('allows node:* in %s', async (path) => {
    expect(await ruleIds(path, nodeImport)).not.toContain('no-restricted-imports');
  });

  it('allows @webcontainer/api only in its engine', async () => {
    expect(await ruleIds('src/lab/engines/webcontainer/engine.ts', wcImport)).not.toContain(
      'no-restricted-imports',
    );
    expect(await ruleIds('src/lab/engines/worker/engine.ts', wcImport)).toContain(
      'no-restricted-imports',
    );
    expect(await ruleIds('src/node/x.ts', wcImport)).toContain('no-restricted-imports');
    expect(await ruleIds('src/lab/engines/webcontainer/engine.ts', nodeImport)).toContain(
      'no-restricted-imports',
    );
  });
});
