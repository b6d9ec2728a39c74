/**
 * Every lab in labs/ is well-formed: its lab.json passes the schema, names real mock scenarios, and has all
 * its files (a broken lab fails here with a message naming it). Whether each solution passes and each
 * starter and buggy file fails is `npm run grade -- --all`, also part of `npm test`.
 */
import { describe, expect, it } from 'vitest';
import { SCENARIO_NAMES } from '../../mock/core/index.ts';
import { countChecks } from './cli.ts';
import { loadLabsSeparately } from './load.ts';

describe('labs/', async () => {
  const entries = await loadLabsSeparately({ scenarios: SCENARIO_NAMES });

  it('has labs', () => {
    expect(entries.map((e) => e.id)).toContain('sse-reader');
  });

  for (const entry of entries) {
    it(`labs/${entry.id}/ is valid`, async () => {
      expect(entry.error?.message).toBeUndefined();
      const lab = entry.lab!;
      const checks = await countChecks(lab);
      expect(checks.visible, `labs/${entry.id}/checks.ts: no visible check`).toBeGreaterThan(0);
      expect(checks.hidden, `labs/${entry.id}/checks.ts: no hidden check`).toBeGreaterThan(0);
    });
  }
});
