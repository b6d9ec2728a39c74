/**
 * The instructor notes page in the built site: it exists, says `noindex`, stays out of search, and no
 * learner's page links to it. (Its content is checked by src/lib/notes.test.ts.) Reads dist/ only: no
 * browser.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { DIST, listLessonPages, listPages } from './helpers.ts';

const NOTES = 'instructor/';

test.describe('instructor notes', () => {
  test('have a page of their own, noindex and out of search, with a section per lesson', async () => {
    const html = readFileSync(join(DIST, NOTES, 'index.html'), 'utf8');
    expect(html).toMatch(/<meta name="robots" content="noindex, nofollow"/);
    expect(html).not.toContain('data-pagefind-body');
    expect(html).toContain('data-pagefind-ignore="all"');
    for (const page of await listLessonPages()) {
      const slug = page.split('/').at(-2)!;
      const start = html.indexOf(`id="notes-${slug}"`);
      expect(start, `a section for ${slug}`).toBeGreaterThan(0);
      const end = html.indexOf('class="notes__lesson"', start);
      const section = html.slice(start, end === -1 ? undefined : end);
      for (const part of [
        'Timing plan',
        'Demo script',
        'Discussion questions',
        'Mistakes the checks',
      ]) {
        expect(section, `${slug}: ${part}`).toContain(part);
      }
    }
  });

  test('no learner page links to them', async () => {
    const pages = (await listPages()).filter((p) => p !== NOTES);
    expect(pages.length).toBeGreaterThan(1);
    for (const page of [...pages, '404.html']) {
      const file = page.endsWith('.html') ? page : join(page, 'index.html');
      const html = readFileSync(join(DIST, file), 'utf8');
      expect(html, `${page || 'home'} links to the notes`).not.toMatch(/href="[^"]*instructor\//);
    }
  });
});
