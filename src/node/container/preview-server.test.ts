import { describe, expect, it } from 'vitest';
import { loadLearnerModule } from './preview-server.ts';

describe('the backend preview loads the learner file as a lab does', () => {
  it('resolves a lab import, and refuses another naming what a lab can import', async () => {
    const ok = await loadLearnerModule(
      "import { createParser } from 'eventsource-parser';\nexport const kind = typeof createParser;\n",
      'ui-backend.ts',
    );
    expect(ok.kind).toBe('function');
    const refused = loadLearnerModule(
      "import fs from 'node:fs';\nexport const x = fs;\n",
      'ui-backend.ts',
    );
    await expect(refused).rejects.toThrow(
      /^ui-backend\.ts: cannot import 'node:fs'\. Lab code can import 'openai'/,
    );
    await expect(refused).rejects.not.toThrow(/'node:fs', and/);
  });

  it('positions a runtime error at load in the TypeScript file', async () => {
    const thrown = loadLearnerModule(
      "const n: number = 1;\nthrow new Error('boom ' + n);\n",
      'ui-backend.ts',
    );
    await expect(thrown).rejects.toThrow(/^ui-backend\.ts:2:\d+: boom 1$/);
  });
});
