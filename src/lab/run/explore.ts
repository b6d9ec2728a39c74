/**
 * Checked and explored scenarios. A lab's `scenarios` are the ones its checks hold under: a correct
 * solution passes every check under each (proved by `grade --all`). Any other scenario the picker offers
 * (the lab's `explore` list, then the rest of the mock's) is for exploring: the Run's driver goes through
 * it, and the visible checks run under the lab's first scenario, so none fails for correct code.
 */
import type { LabDefinition } from '../schema.ts';

type Scenarios = Pick<LabDefinition, 'scenarios'> & Partial<Pick<LabDefinition, 'explore'>>;

/** True when a run under `scenario` explores rather than checks. */
export function isExploration(definition: Scenarios, scenario: string): boolean {
  return !definition.scenarios.includes(scenario);
}

/** The scenario the visible checks (those without their own) run under, for a run under `scenario`. */
export function checkScenario(definition: Scenarios, scenario: string): string {
  return isExploration(definition, scenario) ? definition.scenarios[0]! : scenario;
}

/** What the picker offers to explore, in order: the lab's own `explore` list, then every other scenario. */
export function exploreScenarios(definition: Scenarios, all: readonly string[]): string[] {
  const own = (definition.explore ?? []).filter((s) => !definition.scenarios.includes(s));
  const rest = all.filter((s) => !definition.scenarios.includes(s) && !own.includes(s));
  return [...own, ...rest];
}
