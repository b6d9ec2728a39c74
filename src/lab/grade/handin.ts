/**
 * Reading learners' hand-ins (`src/progress/handin.ts` makes them): a zip, or the folder it unzips to,
 * holding `<lab-id>.ts` per lab and `streamlab-work.json`. For one lab, a hand-in is one submission:
 * its `<lab-id>.ts`, and none of its other labs' files. A hand-in without that lab still counts, as a
 * submission that cannot be read (0 of the lab's total), so no learner drops out of the report.
 */
import { readdir, readFile } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { HANDIN_MANIFEST } from '../../progress/handin.ts';

export { HANDIN_MANIFEST };

/** A zipped hand-in's file for `labId`, as a path: `ada.zip/sse-reader.ts` (read by `readSubmission`). */
export function inZip(zipPath: string, labId: string): string {
  return join(zipPath, `${labId}.ts`);
}

/**
 * Narrows the `.ts` files found under a folder to submissions of `labId`: inside a hand-in folder (one
 * holding the manifest, at any depth) only `<labId>.ts` counts, and is expected even when absent.
 */
export function selectFromHandIns(files: string[], manifests: string[], labId: string): string[] {
  const handInDirs = manifests.map((m) => dirname(m));
  const inside = (dir: string, file: string) => {
    const r = relative(dir, file);
    return r !== '' && !r.startsWith('..') && !isAbsolute(r);
  };
  const inHandIn = (file: string) => handInDirs.some((d) => inside(d, file));
  const out = files.filter((f) => !inHandIn(f));
  for (const d of handInDirs) out.push(join(d, `${labId}.ts`));
  return [...new Set(out)].sort();
}

/** The code of a submission path: a file, or a file inside a zip (`ada.zip/sse-reader.ts`). */
export async function readSubmission(path: string): Promise<string> {
  const zip = dirname(path);
  if (/\.zip$/i.test(zip)) {
    let bytes: Uint8Array;
    try {
      bytes = await readFile(zip);
    } catch {
      throw new Error(`cannot read ${zip}`);
    }
    const name = basename(path);
    let files: Record<string, Uint8Array>;
    const held: string[] = [];
    try {
      files = unzipSync(bytes, {
        filter: (f) => {
          held.push(f.name);
          return f.name === name || f.name === HANDIN_MANIFEST;
        },
      });
    } catch (error) {
      throw new Error(`${zip} is not a readable zip (${(error as Error).message})`, {
        cause: error,
      });
    }
    const file = files[name];
    if (!file) throw new Error(notHandedIn(zip, name, files[HANDIN_MANIFEST], held));
    return strFromU8(file);
  }
  try {
    return await readFile(path, 'utf8');
  } catch {
    let manifest: Uint8Array | undefined;
    try {
      manifest = await readFile(join(zip, HANDIN_MANIFEST));
    } catch {
      throw new Error(`cannot read ${path}`);
    }
    const held = await readdir(zip).catch(() => [] as string[]);
    throw new Error(notHandedIn(zip, basename(path), manifest, held));
  }
}

/**
 * Why a hand-in has no file for the lab, with what it does hold: the labs its manifest lists, or, when
 * the manifest lists none it can read, its own `.ts` files.
 */
function notHandedIn(
  where: string,
  name: string,
  manifest: Uint8Array | undefined,
  held: readonly string[],
): string {
  const files = held.filter((f) => f.endsWith('.ts'));
  const found = files.length > 0 ? `it holds ${files.join(', ')}` : 'it holds no .ts file';
  let labs: string;
  try {
    const parsed = JSON.parse(manifest ? strFromU8(manifest) : 'null') as unknown;
    const list = (parsed as { labs?: unknown } | null)?.labs;
    const ids = Array.isArray(list)
      ? list
          .map((l) => (l as { id?: unknown } | null)?.id)
          .filter((id): id is string => typeof id === 'string')
      : [];
    labs =
      ids.length > 0
        ? ` (it holds ${ids.join(', ')})`
        : ` (its ${HANDIN_MANIFEST} lists no labs; ${found})`;
  } catch {
    labs = ` (its ${HANDIN_MANIFEST} is not valid JSON; ${found})`;
  }
  return `not handed in: ${where} has no ${name}${labs}`;
}
