import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { lessonSchema } from './schemas/lesson.ts';
import { notesSchema } from './schemas/notes.ts';

/** The lessons: one MDX file each in `content/lessons/`, ordered by `order`. */
const lessons = defineCollection({
  loader: glob({ pattern: '**/[^_]*.mdx', base: './content/lessons' }),
  schema: lessonSchema,
});

/**
 * Instructor notes: one MDX file per lesson in `content/notes/`, rendered only by the instructor page
 * (`src/pages/instructor/index.astro`), never linked from the learner's pages.
 */
const notes = defineCollection({
  loader: glob({ pattern: '**/[^_]*.mdx', base: './content/notes' }),
  schema: notesSchema,
});

export const collections = { lessons, notes };
