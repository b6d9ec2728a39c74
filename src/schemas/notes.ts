import { z } from 'astro/zod';

/**
 * The frontmatter of a lesson's instructor notes (`content/notes/NN-slug.mdx`). The body has four
 * sections, checked by `src/lib/notes.test.ts`: Timing plan, Demo script, Discussion questions, and
 * Mistakes the checks see most often (one `<Mistakes lab="…" />` per lab of the lesson).
 */
export const notesSchema = z.object({
  /** The slug of the lesson these notes are for (`why-streaming` for `01-why-streaming.mdx`). */
  lesson: z.string().regex(/^[a-z0-9-]+$/),
  /** How long the session takes in the room, in minutes (the timing plan adds up to it). */
  minutes: z.number().int().min(5).max(240),
});

export type NotesFrontmatter = z.infer<typeof notesSchema>;
