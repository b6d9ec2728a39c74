import { useId } from 'react';

export interface ScenarioPickerProps {
  /** The lab's own scenarios (`lab.json`), first is the default. */
  labScenarios: readonly string[];
  /** Every scenario the mock server has; those not in the lab's list appear under "More scenarios". */
  allScenarios: readonly string[];
  value: string;
  disabled?: boolean;
  onChange: (scenario: string) => void;
}

/** Chooses the mock scenario (network condition) the next Run uses. */
export function ScenarioPicker(props: ScenarioPickerProps) {
  const id = useId();
  const more = props.allScenarios.filter((s) => !props.labScenarios.includes(s));
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
          <optgroup label="More scenarios">
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
