import { getCollection, type CollectionEntry } from 'astro:content';
import { withBase } from './url.ts';

/** A lesson entry from the `lessons` content collection. */
export type Lesson = CollectionEntry<'lessons'>;

/**
 * The URL slug of a lesson: its file name without the numeric ordering prefix, so
 * `content/lessons/01-why-streaming.mdx` is served at `/lessons/why-streaming/`. The prefix only
 * orders files on disk; `order` in the frontmatter orders the course.
 */
export function lessonSlug(lesson: Pick<Lesson, 'id'>): string {
  const name = lesson.id.split('/').pop() ?? lesson.id;
  return name.replace(/^\d+[-_]/, '');
}

/** The lesson's page URL, with the base path (`/course/lessons/why-streaming/`). */
export function lessonUrl(lesson: Pick<Lesson, 'id'>): string {
  return withBase(`lessons/${lessonSlug(lesson)}/`);
}

/** The label for the course map: `navTitle` when set, else the title. */
export function lessonNavTitle(lesson: Lesson): string {
  return lesson.data.navTitle ?? lesson.data.title;
}

/**
 * Every published lesson (drafts left out), sorted by `order`. Fails the build, naming both files,
 * when two lessons share an `order` or a slug, since the course map and prev/next would be ambiguous.
 */
export async function getLessons(): Promise<Lesson[]> {
  const lessons = (await getCollection('lessons', (entry) => !entry.data.draft)).sort(
    (a, b) => a.data.order - b.data.order,
  );
  const byOrder = new Map<number, Lesson>();
  const bySlug = new Map<string, Lesson>();
  for (const lesson of lessons) {
    const sameOrder = byOrder.get(lesson.data.order);
    if (sameOrder) {
      throw new Error(
        `content/lessons: "${sameOrder.id}" and "${lesson.id}" both have order ${lesson.data.order}; each lesson needs a unique order.`,
      );
    }
    byOrder.set(lesson.data.order, lesson);
    const slug = lessonSlug(lesson);
    const sameSlug = bySlug.get(slug);
    if (sameSlug) {
      throw new Error(
        `content/lessons: "${sameSlug.id}" and "${lesson.id}" both map to /lessons/${slug}/; rename one file.`,
      );
    }
    bySlug.set(slug, lesson);
  }
  return lessons;
}

/** Total course length in minutes (shown on the home page). */
export function totalMinutes(lessons: readonly Lesson[]): number {
  return lessons.reduce((sum, l) => sum + l.data.minutes, 0);
}

/** "1 h 35 min" / "40 min". */
export function formatMinutes(minutes: number): string {
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  if (h === 0) return `${m} min`;
  return m === 0 ? `${h} h` : `${h} h ${m} min`;
}

/**
 * Splits frontmatter text on `backticks` so titles, descriptions and objectives can mention code
 * (`text/event-stream`) and render it as <code> without allowing any other markup.
 */
export function inlineCode(text: string): { text: string; code: boolean }[] {
  return text
    .split(/(`[^`]+`)/)
    .filter((part) => part !== '')
    .map((part) =>
      part.length > 2 && part.startsWith('`') && part.endsWith('`')
        ? { text: part.slice(1, -1), code: true }
        : { text: part, code: false },
    );
}
