import { useId, useRef, useState, type ChangeEvent } from 'react';
import type { RunRecording } from '../../lab/run/recording.ts';
import { saveDownload } from '../../lib/download.ts';
import { exportFileName, exportRun, importRun } from '../../timeline/io.ts';

export interface RunFileProps {
  recording?: RunRecording;
  /** Shows "Open run…" when given; called with a validated run. */
  onOpen?: (run: RunRecording) => void;
}

/** Export the run as JSON, and open one back (an instructor shares a run). */
export function RunFile({ recording, onOpen }: RunFileProps) {
  const inputId = useId();
  const input = useRef<HTMLInputElement>(null);
  const [error, setError] = useState<string>();

  const download = (): void => {
    if (!recording) return;
    saveDownload(exportRun(recording), exportFileName(recording), 'application/json');
  };

  const open = async (event: ChangeEvent<HTMLInputElement>): Promise<void> => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    try {
      const run = importRun(await file.text());
      setError(undefined);
      onOpen?.(run);
    } catch (e) {
      setError(`Could not open ${file.name}: ${(e as Error).message}`);
    }
  };

  return (
    <div className="tl-file">
      <button type="button" onClick={download} disabled={!recording}>
        Export run (JSON)
      </button>
      {onOpen && (
        <>
          <input
            ref={input}
            id={inputId}
            className="tl-sr"
            aria-label="Open a recorded run (JSON file)"
            tabIndex={-1}
            type="file"
            accept="application/json,.json"
            onChange={open}
          />
          <button type="button" onClick={() => input.current?.click()}>
            Open run…
          </button>
        </>
      )}
      {error && (
        <p role="alert" className="tl-error">
          {error}
        </p>
      )}
    </div>
  );
}
