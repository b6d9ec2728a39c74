import { defineCollection } from 'astro:content';
import { glob } from 'astro/loaders';
import { lessonSchema } from './schemas/lesson.ts';

/** The lessons: one MDX file each in `content/lessons/`, ordered by `order`. */
const lessons = defineCollection({
  loader: glob({ pattern: '**/[^_]*.mdx', base: './content/lessons' }),
  schema: lessonSchema,
});

export const collections = { lessons };
