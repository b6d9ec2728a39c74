import { z } from 'astro/zod';

/**
 * The frontmatter of a lesson (`content/lessons/NN-slug.mdx`). Every field is documented here; a
 * missing or invalid field fails the build with the file and the field named.
 */
export const lessonSchema = z.object({
  /** The lesson's title, shown as its heading, in the course map and in search results. */
  title: z.string().min(3).max(80),
  /** One or two sentences on what the lesson teaches; the page's meta description and the home page blurb. */
  description: z.string().min(20).max(300),
  /** Position in the course, 1-based; unique across lessons; decides the course map and previous/next. */
  order: z.number().int().min(1),
  /** How long the lesson takes to read and do its labs, in minutes (shown on the home page and the lesson). */
  minutes: z.number().int().min(1).max(120),
  /** What the learner can do after the lesson: 2 to 6 short sentences, shown at the top. */
  objectives: z.array(z.string().min(5)).min(2).max(6),
  /** A short label for the course map when the title is too long (defaults to the title). */
  navTitle: z.string().max(40).optional(),
  /** Lab ids (folders under `labs/`) this lesson embeds; checked against the lab catalog at build time. */
  labs: z.array(z.string().regex(/^[a-z0-9-]+$/)).default([]),
  /** Set to true to keep a lesson out of the build while it is being written. */
  draft: z.boolean().default(false),
});

export type LessonFrontmatter = z.infer<typeof lessonSchema>;
