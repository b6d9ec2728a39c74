/**
 * The checks each lab declares, read at build time (Lab.astro's frontmatter, never shipped to the page):
 * their ids in order, visibility, scenarios and timeouts. The page's host arms each check step with that
 * check's own limit (`engines/session.ts`, `run/check-limits.ts`) and accepts only these checks, so a
 * correct solution under a slow scenario is never stopped, and no message from the sandbox can extend it.
 */
import type { Check } from './checks/index.ts';
import type { CheckPlan } from './run/check-limits.ts';

const modules = import.meta.glob<{ default: unknown }>('/labs/*/checks.ts');

/** The checks lab `id` declares, as its `checks.ts` exports them; throws, naming the file, when it has none. */
export async function loadChecks(id: string): Promise<Check[]> {
  const load = modules[`/labs/${id}/checks.ts`];
  if (!load) throw new Error(`labs/${id}/checks.ts does not exist`);
  const checks = (await load()).default;
  if (!Array.isArray(checks))
    throw new Error(`labs/${id}/checks.ts must export default defineChecks([...])`);
  return checks as Check[];
}

/** The declared checks of lab `id`; throws, naming the file, when it declares none. */
export async function loadCheckPlan(id: string): Promise<CheckPlan[]> {
  return (await loadChecks(id)).map((check) => {
    const plan: CheckPlan = { id: check.id, hidden: check.hidden === true };
    if (check.scenario !== undefined) plan.scenario = check.scenario;
    if (check.timeoutMs !== undefined) plan.timeoutMs = check.timeoutMs;
    return plan;
  });
}
