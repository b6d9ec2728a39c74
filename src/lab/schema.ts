/**
 * The schema of `labs/<id>/lab.json`, the definition of one lab. Every field is documented here because
 * this file is what a lab author reads first; `catalog.ts` turns a failure into a message naming the lab
 * and the field.
 */
import { z } from 'zod';
import { KEBAB_ID } from './id.ts';

/** Lab ids and check ids: lowercase words joined by single hyphens. */
const kebab = z.string().regex(KEBAB_ID, 'use lowercase words joined by hyphens (kebab-case)');

/** What one known-buggy variant in `buggy/` must fail with. */
export const buggyExpectationSchema = z.strictObject({
  /** Why this variant is wrong, in one sentence (for the lab author, and printed by `grade --all`). */
  bug: z.string().min(1),
  /** Ids of checks that must fail on this variant. */
  fails: z.array(kebab).min(1),
  /** Text that must appear in the failure message of each check in `fails` (case-insensitive). */
  message: z.string().min(1),
});

export const labSchema = z.strictObject({
  /** Must equal the folder name (`labs/<id>/`). */
  id: kebab,
  /** Shown as the lab's heading. */
  title: z.string().min(1).max(80),
  /** Slug of the lesson that embeds the lab (`content/lessons/NN-<slug>.mdx`). */
  lesson: kebab,
  /** What the learner builds, in one short sentence (Markdown inline syntax allowed). */
  goal: z
    .string()
    .min(1)
    .max(120, 'keep the goal to one short sentence; list the details in requirements'),
  /**
   * What the learner's code must do, one requirement per item, shown as a list under the goal (inline
   * Markdown allowed). Two to seven short items; the checks test each one.
   */
  requirements: z.array(z.string().min(1).max(200)).min(2).max(7),
  /** Hints revealed one at a time, mildest first. */
  hints: z.array(z.string().min(1)).default([]),
  /**
   * Mock scenarios the learner can pick for Run; the first is the default. Hidden checks choose their own
   * scenarios in `checks.ts`.
   */
  scenarios: z.array(kebab).min(1),
  /**
   * Scenarios offered to explore, not to check: the Run's driver goes through them (a fault the learner
   * watches on the timeline, a rejection that is the right answer), while the visible checks run under
   * the first of `scenarios`, so no check fails for code that is correct. Every mock scenario not in
   * `scenarios` is offered this way too, under "Explore"; these come first there.
   */
  explore: z.array(kebab).default([]),
  /** Wall-clock limit for one Run or one check pass, after which the run is stopped as a runaway. */
  timeLimitMs: z.number().int().min(500).max(60_000).default(5_000),
  /** Names the learner's module must export (checked before the checks run, for a clear message). */
  exports: z.array(z.string().regex(/^[A-Za-z_$][\w$]*$/)).min(1),
  /** Expected failures of each file in `buggy/`, keyed by file name (`split-lines.ts`). */
  buggy: z.record(z.string().regex(/^[\w-]+\.ts$/), buggyExpectationSchema).default({}),
  /**
   * A live preview under the lab: `chat-page` runs the learner's `streamToPage` in a real page (a sandboxed
   * frame, `src/lab/preview/`) whose `fetch('/api/chat')` reaches a backend forwarding the mock;
   * `chat-backend` (Node mode only) runs the learner's `createChatHandler` as a real server in the container,
   * with a chat page calling it (`src/node/container/preview-server.ts`).
   */
  preview: z.enum(['chat-page', 'chat-backend']).optional(),
});

/** A lab definition as written in `lab.json`. */
export type LabDefinitionInput = z.input<typeof labSchema>;
/** A validated lab definition, defaults applied. */
export type LabDefinition = z.output<typeof labSchema>;
export type BuggyExpectation = z.output<typeof buggyExpectationSchema>;
