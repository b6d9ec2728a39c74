import { readFileSync, writeFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { recordFixture, RUN_FIXTURES } from '../../src/timeline/fixtures/record.ts';
import { exportRun, importRun } from '../../src/timeline/io.ts';
import { buildTimeline } from '../../src/timeline/model.ts';

const file = (name: string): URL => new URL(`../../content/runs/${name}.json`, import.meta.url);
const update = process.env.UPDATE_RUN_FIXTURES === '1';

/**
 * The recorded runs lessons embed are generated from the mock on a virtual clock. This test fails when
 * the mock or the recorder changed what such a run looks like; rerun with UPDATE_RUN_FIXTURES=1 to
 * rewrite the files.
 */
describe('recorded-run fixtures', () => {
  for (const spec of RUN_FIXTURES) {
    it(`content/runs/${spec.name}.json is what the mock records today`, async () => {
      const fresh = exportRun(await recordFixture(spec));
      if (update) writeFileSync(file(spec.name), fresh);
      const stored = readFileSync(file(spec.name), 'utf8');
      expect(stored).toBe(fresh);
      const model = buildTimeline(importRun(stored));
      expect(model.figures.events).toBeGreaterThan(3);
      expect(model.figures.ttftMs).not.toBeNull();
      expect(model.marks.some((m) => m.kind === 'terminator')).toBe(true);
    });
  }

  it('shows the slow first token in TTFT', () => {
    const ttft = (name: string) =>
      buildTimeline(importRun(readFileSync(file(name), 'utf8'))).figures.ttftMs!;
    expect(ttft('ttft-slow-first-token')).toBeGreaterThan(ttft('ttft-default') * 2);
  });
});
