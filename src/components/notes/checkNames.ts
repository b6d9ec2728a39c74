/**
 * The names and visibility of a lab's checks, read from its `checks.ts` at build time (instructor notes
 * only; nothing of this reaches a learner's page).
 */
import type { Check } from '../../lab/checks/index.ts';

const modules = import.meta.glob<{ default: unknown }>('/labs/*/checks.ts');

export async function checkNames(
  lab: string,
): Promise<Map<string, { name: string; hidden: boolean }>> {
  const load = modules[`/labs/${lab}/checks.ts`];
  if (!load) throw new Error(`labs/${lab}/checks.ts does not exist`);
  const checks = (await load()).default as Check[];
  return new Map(checks.map((c) => [c.id, { name: c.name, hidden: c.hidden === true }]));
}
