/**
 * The learner's hand-in: one zip of their current code for every lab they touched, each file named as
 * `streamlab grade <lab> <folder>` expects (`<lab-id>.ts`), plus `streamlab-work.json`, a manifest of
 * the lab ids, whether each passes now, and when the zip was made. Pure: state and time in, bytes out.
 */
import { KEBAB_ID } from '../lab/id.ts';
import { strToU8, zipSync } from 'fflate';
import { labPassedNow, type ProgressState } from './store.ts';

/** The manifest's file name; `streamlab grade` treats a folder holding it as one learner's hand-in. */
export const HANDIN_MANIFEST = 'streamlab-work.json';

export interface HandInManifest {
  format: 'streamlab-work';
  version: 1;
  /** When the zip was made (ISO 8601). */
  createdAt: string;
  labs: {
    id: string;
    file: string;
    /** The last graded run (all checks) passed, on the code in the file. */
    passed: boolean;
    /** When the learner last changed the code (ISO 8601). */
    savedAt: string;
  }[];
}

/** Lab ids (`lab.json`'s own shape) are safe as file names; anything else in storage is foreign and left out. */
const isLabId = (id: string): boolean => id.length <= 64 && KEBAB_ID.test(id);

/** The labs that would go into a hand-in: the ones with saved code, sorted by id. */
export function handInLabs(state: Readonly<ProgressState>): string[] {
  return Object.keys(state.labs)
    .filter((id) => isLabId(id) && typeof state.labs[id]?.code === 'string')
    .sort();
}

/** Builds the zip. `now` is epoch ms (injected, so the bytes are deterministic). */
export function buildHandIn(
  state: Readonly<ProgressState>,
  now: number,
): {
  zip: Uint8Array;
  manifest: HandInManifest;
} {
  const files: Record<string, Uint8Array> = {};
  const manifest: HandInManifest = {
    format: 'streamlab-work',
    version: 1,
    createdAt: new Date(now).toISOString(),
    labs: [],
  };
  for (const id of handInLabs(state)) {
    const lab = state.labs[id]!;
    const savedAt = new Date(lab.at).toISOString();
    const file = `${id}.ts`;
    // The code exactly as in the editor (no header line), so the grader's line numbers are the editor's;
    // which lab and when it was saved are in the manifest.
    files[file] = strToU8(lab.code!);
    manifest.labs.push({ id, file, passed: labPassedNow(lab), savedAt });
  }
  files[HANDIN_MANIFEST] = strToU8(`${JSON.stringify(manifest, null, 2)}\n`);
  // A fixed mtime keeps the zip a function of its inputs (the manifest carries the real time).
  const mtime = new Date(now);
  return { zip: zipSync(files, { level: 6, mtime }), manifest };
}

/**
 * One lab's "Download my work" file, `<lab-id>.ts`: a header comment naming the lab and the date, then
 * the editor's code. `streamlab grade <lab> <lab-id>.ts` takes it as it is (the header is a comment);
 * its line numbers are the file's, one more than the editor's. `now` is epoch ms.
 */
export function labDownload(
  lab: { id: string; title: string },
  code: string,
  now: number,
): { name: string; text: string } {
  const title = lab.title.replace(/\s+/g, ' ').trim();
  const at = new Date(now).toISOString().slice(0, 16).replace('T', ' ');
  const header = `// streamlab lab ${lab.id} (${title}), downloaded ${at} UTC. Grade: streamlab grade ${lab.id} ${lab.id}.ts\n`;
  return { name: `${lab.id}.ts`, text: header + code };
}

/** The download's file name, e.g. `streamlab-work-2026-11-29.zip`. */
export function handInFileName(now: number): string {
  return `streamlab-work-${new Date(now).toISOString().slice(0, 10)}.zip`;
}
