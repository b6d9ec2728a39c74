/**
 * What a knobs-panel run asks of the lab engine: the scenario (the fault, or the lab's first), the knob
 * overrides and a time limit that grows with them (the lab's budget plus twice what the knobs and the
 * scenario take by design, as `run/limits.ts` does for a scenario alone). Pure.
 */
import type { LabDefinition } from '../lab/schema.ts';
import { scenarioScheduleMs } from '../mock/core/schedule.ts';
import { knobNumbers, knobsText, type PresenterKnobs } from './state.ts';

export interface KnobsRun {
  scenario: string;
  knobs: string;
  timeLimitMs: number;
  label: string;
}

export function knobsRun(
  definition: Pick<LabDefinition, 'scenarios' | 'timeLimitMs'>,
  knobs: PresenterKnobs,
): KnobsRun {
  const scenario = knobs.fault || definition.scenarios[0] || 'default';
  const design = scenarioScheduleMs(scenario, knobNumbers(knobs));
  const text = knobsText(knobs);
  return {
    scenario,
    knobs: text,
    timeLimitMs: definition.timeLimitMs + 2 * design,
    label: `presenter: ${scenario}, ${text}`,
  };
}
