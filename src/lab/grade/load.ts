/**
 * Reads the labs from disk (`labs/<id>/...`) into validated bundles, for the grader and the tests.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildCatalog, groupByLab, validateLab } from '../catalog.ts';
import type { CatalogContext, LabBundle } from '../catalog.ts';

/** The repository root (this file is src/lab/grade/load.ts). */
export const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const labsDir = join(repoRoot, 'labs');

async function readTree(dir: string, base = dir): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) Object.assign(files, await readTree(path, base));
    else if (/\.(json|ts)$/.test(entry.name) && !entry.name.endsWith('.test.ts')) {
      files[relative(base, path).split('\\').join('/')] = await readFile(path, 'utf8');
    }
  }
  return files;
}

/** Lesson slugs from `content/lessons/NN-<slug>.mdx`, mapped to their file names. */
export async function lessonFiles(): Promise<Map<string, string>> {
  const slugs = new Map<string, string>();
  try {
    for (const name of await readdir(join(repoRoot, 'content/lessons'))) {
      const match = /^\d+-(.+)\.mdx?$/.exec(name);
      if (match) slugs.set(match[1]!, name);
    }
  } catch {
    // No lessons folder: nothing to check lesson slugs against.
  }
  return slugs;
}

/** Every lab, validated (throws naming each broken lab). */
export async function loadLabs(context: CatalogContext = {}): Promise<LabBundle[]> {
  return buildCatalog(await readTree(labsDir), context);
}

/** One lab by id (throws naming the lab if it is missing or broken). */
export async function loadLab(id: string, context: CatalogContext = {}): Promise<LabBundle> {
  if (!/^[a-z0-9-]+$/.test(id))
    throw new Error(`'${id}' is not a lab id (labs are named like sse-reader)`);
  let files: Record<string, string>;
  try {
    files = await readTree(join(labsDir, id));
  } catch {
    const known = (await readdir(labsDir).catch(() => [])).join(', ');
    throw new Error(`no lab '${id}' in labs/ (labs: ${known || 'none'})`);
  }
  return validateLab(id, files, context);
}

/** Every lab folder, each validated on its own: a broken lab does not hide the others. */
export async function loadLabsSeparately(
  context: CatalogContext = {},
): Promise<Array<{ id: string; lab?: LabBundle; error?: Error }>> {
  const groups = groupByLab(await readTree(labsDir));
  return [...groups]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([id, files]) => {
      try {
        return { id, lab: validateLab(id, files, context) };
      } catch (error) {
        return { id, error: error as Error };
      }
    });
}
