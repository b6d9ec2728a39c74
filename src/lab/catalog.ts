/**
 * The lab catalog: validated labs from their files. Pure (no file system), so the same validation runs in
 * the Node grader (`grade/load.ts` reads the files) and in the site (`bundle.ts` imports them). Every
 * problem is reported as a `LabError` whose message starts with `labs/<id>/`.
 */
import { labSchema } from './schema.ts';
import type { LabDefinition } from './schema.ts';
import type { CheckPlan } from './run/check-limits.ts';

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
  /**
   * The checks `checks.ts` declares, in order, with their scenarios and timeouts, when the host knows
   * them (the site reads them at build time, the grader from `checks.ts`): the host then arms each check
   * step with that check's own limit and accepts only those checks, in that order.
   */
  checks?: readonly CheckPlan[];
}

/** A broken lab; the message names the lab folder and what is wrong. */
export class LabError extends Error {
  readonly labId: string;
  constructor(labId: string, problem: string) {
    super(`labs/${labId}/: ${problem}`);
    this.name = 'LabError';
    this.labId = labId;
  }
}

/** What the catalog can check a lab against, when known (scenario names from the mock, lesson slugs). */
export interface CatalogContext {
  scenarios?: readonly string[];
  lessons?: readonly string[];
  /** Whether `buggy/` files were provided and must match lab.json (default true; the site leaves them out). */
  buggy?: boolean;
}

const REQUIRED = ['lab.json', 'starter.ts', 'solution.ts', 'driver.ts', 'checks.ts'] as const;

/**
 * Validates one lab folder's files (paths relative to the folder: `lab.json`, `buggy/split-lines.ts`).
 * Throws `LabError` on the first problem.
 */
export function validateLab(
  folder: string,
  files: Readonly<Record<string, string>>,
  context: CatalogContext = {},
): LabBundle {
  for (const name of REQUIRED) {
    if (files[name] === undefined) throw new LabError(folder, `missing file ${name}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(files['lab.json']!);
  } catch (error) {
    throw new LabError(folder, `lab.json is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = labSchema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`)
      .join('; ');
    throw new LabError(folder, `lab.json: ${issues}`);
  }
  const definition = parsed.data;
  if (definition.id !== folder) {
    throw new LabError(
      folder,
      `lab.json: id '${definition.id}' must equal the folder name '${folder}'`,
    );
  }
  if (context.scenarios) {
    const unknown = [...definition.scenarios, ...definition.explore].filter(
      (s) => !context.scenarios!.includes(s),
    );
    if (unknown.length > 0) {
      throw new LabError(
        folder,
        `lab.json: scenarios: unknown ${unknown.map((s) => `'${s}'`).join(', ')} (the mock has ${context.scenarios.join(', ')})`,
      );
    }
  }
  if (context.lessons && !context.lessons.includes(definition.lesson)) {
    throw new LabError(
      folder,
      `lab.json: lesson '${definition.lesson}' has no lesson file content/lessons/NN-${definition.lesson}.mdx`,
    );
  }
  const buggy: Record<string, string> = {};
  for (const [path, text] of Object.entries(files)) {
    const match = /^buggy\/([^/]+\.ts)$/.exec(path);
    if (!match) continue;
    if (!definition.buggy[match[1]!]) {
      throw new LabError(
        folder,
        `${path} is not declared in lab.json "buggy" (say which checks it must fail)`,
      );
    }
    buggy[match[1]!] = text;
  }
  for (const name of Object.keys(definition.buggy)) {
    if (context.buggy !== false && buggy[name] === undefined)
      throw new LabError(folder, `lab.json "buggy" names buggy/${name}, which does not exist`);
  }
  return {
    id: folder,
    definition,
    files: {
      starter: files['starter.ts']!,
      solution: files['solution.ts']!,
      driver: files['driver.ts']!,
      checks: files['checks.ts']!,
      buggy,
    },
  };
}

/** Groups flat paths (`sse-reader/lab.json`) by lab folder. */
export function groupByLab(
  paths: Readonly<Record<string, string>>,
): Map<string, Record<string, string>> {
  const labs = new Map<string, Record<string, string>>();
  for (const [path, text] of Object.entries(paths)) {
    const slash = path.indexOf('/');
    if (slash <= 0) continue;
    const folder = path.slice(0, slash);
    const files = labs.get(folder) ?? {};
    files[path.slice(slash + 1)] = text;
    labs.set(folder, files);
  }
  return labs;
}

/** Validates every lab; throws one `LabError` listing every broken lab, so a build names them all. */
export function buildCatalog(
  paths: Readonly<Record<string, string>>,
  context: CatalogContext = {},
): LabBundle[] {
  const labs: LabBundle[] = [];
  const problems: Error[] = [];
  for (const [folder, files] of [...groupByLab(paths)].sort(([a], [b]) => a.localeCompare(b))) {
    try {
      labs.push(validateLab(folder, files, context));
    } catch (error) {
      problems.push(error as Error);
    }
  }
  if (problems.length === 1) throw problems[0]!;
  if (problems.length > 1) {
    throw new Error(
      `${problems.length} broken labs:\n${problems.map((p) => p.message).join('\n')}`,
    );
  }
  return labs;
}
