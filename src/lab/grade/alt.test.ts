/**
 * Correct code written in other styles passes too: each `labs/<id>/alt/*.ts` is a complete solution in a
 * style the lab's own solution does not use (another parser, pipes instead of loops, other caps), graded
 * with every check, hidden ones included. A check that only accepts the reference solution's shape fails
 * here.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gradeFile } from './cli.ts';
import { labsDir, loadLab } from './load.ts';

const alternatives = readdirSync(labsDir).flatMap((id) => {
  let names: string[];
  try {
    names = readdirSync(join(labsDir, id, 'alt')).filter((name) => name.endsWith('.ts'));
  } catch {
    return [];
  }
  return names.map((name) => ({ id, path: `labs/${id}/alt/${name}` }));
});

describe('alternative correct solutions', () => {
  it('exist', () => {
    expect(alternatives.length).toBeGreaterThan(0);
  });

  it.each(alternatives)('$path passes every check', { timeout: 120_000 }, async ({ id, path }) => {
    const lab = await loadLab(id);
    const code = readFileSync(join(labsDir, '..', path), 'utf8');
    const recording = await gradeFile(lab, code, path);
    const failed = recording.checks
      .filter((check) => check.status !== 'pass')
      .map((check) => `${check.id}: ${check.message ?? check.status}`);
    expect(recording.error?.message).toBeUndefined();
    expect(recording.checks.length).toBeGreaterThan(0);
    expect(failed).toEqual([]);
  });
});
