/**
 * Instructor notes (`content/notes/`): every lesson has notes with the four parts, the timing plan adds
 * up to the session's minutes, the mistakes cover every lab of the lesson, and every scenario, knob and
 * check the notes name exists. (The built pages are checked by tests/e2e/instructor-notes.spec.ts.)
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadCheckPlan } from '../lab/plan.ts';
import { KNOB_NAMES } from '../mock/core/knobs.ts';
import { SCENARIO_NAMES } from '../mock/core/scenarios/index.ts';

const root = fileURLToPath(new URL('../../', import.meta.url));
const PARTS = [
  'Timing plan',
  'Demo script',
  'Discussion questions',
  'Mistakes the checks see most often',
];
/** Hyphenated words the notes may put in backticks that are neither checks nor scenarios. */
const OTHER_TERMS = new Set(['retry-after', 'retry-after-ms']);

const frontmatter = (text: string): string => /^---\n([\s\S]*?)\n---/.exec(text)?.[1] ?? '';
const field = (fm: string, name: string): string | undefined =>
  new RegExp(`^${name}:\\s*(.+)$`, 'm').exec(fm)?.[1]?.trim();

const lessons = readdirSync(`${root}content/lessons`)
  .filter((f) => f.endsWith('.mdx'))
  .map((file) => {
    const fm = frontmatter(readFileSync(`${root}content/lessons/${file}`, 'utf8'));
    const labs = [...(field(fm, 'labs') ?? '').matchAll(/'([a-z0-9-]+)'|"([a-z0-9-]+)"/g)].map(
      (m) => m[1] ?? m[2]!,
    );
    return {
      file,
      slug: file.replace(/^\d+-/, '').replace(/\.mdx$/, ''),
      labs,
      draft: /^draft:\s*true/m.test(fm),
    };
  })
  .filter((l) => !l.draft);

const notes = readdirSync(`${root}content/notes`)
  .filter((f) => f.endsWith('.mdx'))
  .map((file) => {
    const text = readFileSync(`${root}content/notes/${file}`, 'utf8');
    const fm = frontmatter(text);
    return { file, text, lesson: field(fm, 'lesson'), minutes: Number(field(fm, 'minutes')) };
  });

/** The text of each `### ` part, by heading. */
function parts(text: string): Map<string, string> {
  const map = new Map<string, string>();
  const chunks = text.split(/^### /m).slice(1);
  for (const chunk of chunks) {
    const newline = chunk.indexOf('\n');
    map.set(chunk.slice(0, newline).trim(), chunk.slice(newline + 1));
  }
  return map;
}

describe('instructor notes', () => {
  it('every lesson has notes, and every notes file is for a lesson', () => {
    expect(lessons.length).toBeGreaterThan(0);
    expect(notes.map((n) => n.lesson).sort()).toEqual(lessons.map((l) => l.slug).sort());
  });

  for (const lesson of lessons) {
    describe(lesson.slug, () => {
      const note = notes.find((n) => n.lesson === lesson.slug);
      const byPart = parts(note?.text ?? '');

      it('has the four parts, in order, none empty', () => {
        expect([...byPart.keys()]).toEqual(PARTS);
        for (const [name, body] of byPart) expect(body.trim().length, name).toBeGreaterThan(100);
      });

      it('has a timing plan that ends at the session length', () => {
        const rows = [...byPart.get(PARTS[0]!)!.matchAll(/^\|\s*(\d+)–(\d+)\s*\|/gm)];
        expect(rows.length).toBeGreaterThanOrEqual(3);
        expect(Number(rows[0]![1])).toBe(0);
        for (let i = 1; i < rows.length; i++) expect(rows[i]![1]).toBe(rows[i - 1]![2]);
        expect(Number(rows.at(-1)![2])).toBe(note!.minutes);
      });

      it('lists the mistakes of every lab of the lesson', () => {
        const mistakes = byPart.get(PARTS[3]!)!;
        const listed = [...mistakes.matchAll(/<Mistakes lab="([a-z0-9-]+)" \/>/g)].map((m) => m[1]);
        expect(listed).toEqual(lesson.labs);
      });

      it('names only scenarios, knobs and checks that exist', async () => {
        const text = note!.text;
        for (const [, name] of text.matchAll(/\/scenarios\/([a-z0-9-]+)/g)) {
          expect(SCENARIO_NAMES as readonly string[], `scenario ${name}`).toContain(name);
        }
        const knobs = [
          ...[...text.matchAll(/\/knobs\/([^/\s]+)\//g)].flatMap((m) => m[1]!.split(',')),
          ...[...text.matchAll(/[?&]([a-z_]+)=/g)].map((m) => `${m[1]}=`),
          ...[...text.matchAll(/"knobs":"([^"]*)"/g)].flatMap((m) => m[1]!.split(',')),
          ...[...text.matchAll(/knob `([a-z_]+)=/g)].map((m) => `${m[1]}=`),
        ].filter(Boolean);
        for (const knob of knobs) {
          expect(KNOB_NAMES as readonly string[], `knob ${knob}`).toContain(knob.split('=')[0]);
        }
        // The checks as the labs declare them (evaluated, as the build does), not found by a regex.
        const plans = await Promise.all(lesson.labs.map((lab) => loadCheckPlan(lab)));
        const checks = new Set(plans.flat().map((c) => c.id));
        for (const [, term] of text.matchAll(/`([a-z0-9]+(?:-[a-z0-9]+)+)`/g)) {
          const known =
            checks.has(term!) ||
            (SCENARIO_NAMES as readonly string[]).includes(term!) ||
            lesson.labs.includes(term!) ||
            OTHER_TERMS.has(term!);
          expect(known, `\`${term}\` is not a check, scenario or lab of ${lesson.slug}`).toBe(true);
        }
      });
    });
  }
});
