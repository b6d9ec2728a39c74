/**
 * Every lesson has the same shape, and its inline code renders: its labs come before its pitfalls and
 * its quiz (exercises before answers), and the `code` in a pitfall's title or symptom is balanced, so
 * `Pitfall.astro` renders it as code instead of printing stray backticks.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseInline } from '../../src/ui/lab/inline.ts';

const dir = new URL('../../content/lessons/', import.meta.url);
const lessons = readdirSync(dir)
  .filter((f) => f.endsWith('.mdx'))
  .map((file) => ({ file, text: readFileSync(new URL(file, dir), 'utf8') }));

/** Line number (1-based) of the first match, or Infinity. */
function lineOf(text: string, pattern: RegExp): number {
  const lines = text.split('\n');
  const index = lines.findIndex((line) => pattern.test(line));
  return index === -1 ? Infinity : index + 1;
}

describe('lesson structure', () => {
  it('finds the lessons', () => {
    expect(lessons.length).toBeGreaterThanOrEqual(7);
  });

  it.each(lessons)('$file: every lab comes before the pitfalls and the quiz', ({ text }) => {
    const lines = text.split('\n');
    const labs = lines.flatMap((line, i) => (/<Lab id=/.test(line) ? [i + 1] : []));
    const pitfalls = lineOf(text, /^## Pitfalls/);
    const quiz = lineOf(text, /<QuizIsland/);
    for (const lab of labs) {
      expect(lab, `a <Lab> on line ${lab} comes after "## Pitfalls"`).toBeLessThan(pitfalls);
      expect(lab, `a <Lab> on line ${lab} comes after the quiz`).toBeLessThan(quiz);
    }
  });

  it.each(lessons)('$file: pitfall titles and symptoms have balanced `code`', ({ text }) => {
    const attributes = [...text.matchAll(/<Pitfall\s+title="([^"]*)"\s+symptom="([^"]*)"/g)];
    expect(attributes.length).toBeGreaterThan(0);
    for (const [, title, symptom] of attributes) {
      for (const value of [title!, symptom!]) {
        const rendered = parseInline(value)
          .filter((part) => part.kind !== 'code')
          .map((part) => part.text)
          .join('');
        expect(rendered, `a stray backtick would show in "${value}"`).not.toContain('`');
      }
    }
  });
});
