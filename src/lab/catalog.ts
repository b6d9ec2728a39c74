/**
 * The lab catalog: validated labs from their files. Pure (no file system), so the same validation runs in
 * the Node grader (`grade/load.ts` reads the files) and in the site build (`bundle.ts` imports them).
 */
import type { LabDefinition } from './schema.ts';

/** The source text of a lab's files. */
export interface LabSources {
  starter: string;
  solution: string;
  driver: string;
  checks: string;
  /** `buggy/<name>.ts` by file name (`split-lines.ts`). */
  buggy: Record<string, string>;
}

/** Everything needed to run a lab anywhere: its definition and its sources. */
export interface LabBundle {
  id: string;
  definition: LabDefinition;
  files: LabSources;
}
