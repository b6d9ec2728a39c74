import { describe, expect, it } from 'vitest';
import { buildCatalog, LabError, validateLab } from './catalog.ts';

const definition = {
  id: 'demo',
  title: 'Demo lab',
  lesson: 'sse-on-the-wire',
  goal: 'Do the thing.',
  requirements: ['It does the first part.', 'It does the second part.'],
  scenarios: ['default', 'fragmented'],
  exports: ['streamText'],
  buggy: { 'bad.ts': { bug: 'wrong', fails: ['whole-text'], message: 'dropped' } },
};

const files = (overrides: Record<string, string | undefined> = {}): Record<string, string> => {
  const all: Record<string, string | undefined> = {
    'lab.json': JSON.stringify(definition),
    'starter.ts': 'export const streamText = 1;',
    'solution.ts': 'export const streamText = 2;',
    'driver.ts': 'export default () => 1;',
    'checks.ts': 'export default [];',
    'buggy/bad.ts': 'export const streamText = 3;',
    ...overrides,
  };
  return Object.fromEntries(Object.entries(all).filter(([, v]) => v !== undefined)) as Record<
    string,
    string
  >;
};

describe('validateLab', () => {
  it('returns the bundle with defaults applied', () => {
    const lab = validateLab('demo', files());
    expect(lab.definition.timeLimitMs).toBe(5000);
    expect(lab.definition.hints).toEqual([]);
    expect(lab.files.buggy).toEqual({ 'bad.ts': 'export const streamText = 3;' });
  });

  it('names the lab and the missing file', () => {
    expect(() => validateLab('demo', files({ 'checks.ts': undefined }))).toThrow(
      'labs/demo/: missing file checks.ts',
    );
  });

  it('names the lab and the field of a schema error', () => {
    const bad = JSON.stringify({ ...definition, timeLimitMs: 10 });
    expect(() => validateLab('demo', files({ 'lab.json': bad }))).toThrow(
      /labs\/demo\/: lab\.json: timeLimitMs/,
    );
  });

  it('rejects invalid JSON, a wrong id, undeclared and missing buggy files, unknown scenarios', () => {
    expect(() => validateLab('demo', files({ 'lab.json': '{' }))).toThrow(
      /lab\.json is not valid JSON/,
    );
    expect(() => validateLab('other', files())).toThrow(
      /labs\/other\/: .*must equal the folder name/,
    );
    expect(() => validateLab('demo', files({ 'buggy/extra.ts': '' }))).toThrow(
      /buggy\/extra\.ts is not declared/,
    );
    expect(() => validateLab('demo', files({ 'buggy/bad.ts': undefined }))).toThrow(
      /buggy\/bad\.ts, which does not exist/,
    );
    expect(() => validateLab('demo', files(), { scenarios: ['default'] })).toThrow(
      /unknown 'fragmented'/,
    );
    expect(() => validateLab('demo', files(), { lessons: ['other'] })).toThrow(
      /lesson 'sse-on-the-wire'/,
    );
  });

  it('lets the site leave the buggy files out', () => {
    expect(validateLab('demo', files({ 'buggy/bad.ts': undefined }), { buggy: false }).id).toBe(
      'demo',
    );
  });

  it('throws LabError', () => {
    try {
      validateLab('demo', files({ 'starter.ts': undefined }));
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(LabError);
      expect((error as LabError).labId).toBe('demo');
    }
  });
});

describe('buildCatalog', () => {
  const prefixed = (folder: string, f: Record<string, string>) =>
    Object.fromEntries(Object.entries(f).map(([k, v]) => [`${folder}/${k}`, v]));

  it('validates every lab folder, sorted', () => {
    const other = { ...definition, id: 'b-lab' };
    const labs = buildCatalog({
      ...prefixed('demo', files()),
      ...prefixed('b-lab', files({ 'lab.json': JSON.stringify(other) })),
    });
    expect(labs.map((l) => l.id)).toEqual(['b-lab', 'demo']);
  });

  it('names every broken lab', () => {
    expect(() =>
      buildCatalog({
        ...prefixed('one', files()),
        ...prefixed('two', files()),
      }),
    ).toThrow(/2 broken labs:\nlabs\/one\/.*\nlabs\/two\//);
  });
});
