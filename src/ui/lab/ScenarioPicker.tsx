import { useId } from 'react';
import { exploreScenarios } from '../../lab/run/explore.ts';

export interface ScenarioPickerProps {
  /** The lab's own scenarios (`lab.json`), first is the default: its checks hold under each. */
  labScenarios: readonly string[];
  /** Scenarios the lab offers to explore first (`lab.json` `explore`). */
  labExplore?: readonly string[];
  /** Every scenario the mock server has; those not in the lab's list appear under "More scenarios". */
  allScenarios: readonly string[];
  value: string;
  disabled?: boolean;
  onChange: (scenario: string) => void;
}

/**
 * Chooses the mock scenario (network condition) the next Run uses: the lab's checked scenarios, then the
 * ones to explore, where the Run goes through the scenario and the checks run under the lab's first.
 */
export function ScenarioPicker(props: ScenarioPickerProps) {
  const id = useId();
  const more = exploreScenarios(
    { scenarios: [...props.labScenarios], explore: [...(props.labExplore ?? [])] },
    props.allScenarios,
  );
  const first = props.labScenarios[0];
  return (
    <div className="lab-scenario">
      <label htmlFor={id}>Scenario</label>
      <select
        id={id}
        value={props.value}
        disabled={props.disabled}
        onChange={(event) => props.onChange(event.currentTarget.value)}
      >
        <optgroup label="This lab">
          {props.labScenarios.map((s, i) => (
            <option key={s} value={s}>
              {i === 0 && s !== 'default' ? `${s} (default)` : s}
            </option>
          ))}
        </optgroup>
        {more.length > 0 && (
          <optgroup label={`Explore (checks run under ${first})`}>
            {more.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </optgroup>
        )}
      </select>
    </div>
  );
}
