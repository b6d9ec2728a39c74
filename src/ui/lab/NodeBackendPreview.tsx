import { useState } from 'react';
import type { WebContainerEngine } from '../../lab/engines/webcontainer/engine.ts';
import './preview.css';

export interface BackendPreviewSource {
  labId: string;
  /** The learner's current code (read when the server is (re)started). */
  getCode: () => string;
  /** The mock scenario the backend's provider calls run under. */
  scenario: string;
}

export interface NodeBackendPreviewProps extends BackendPreviewSource {
  engine: WebContainerEngine;
}

type Status = { kind: 'idle' | 'loading' | 'ready' | 'error'; text: string };

/**
 * Node mode's preview for lesson 6's backend lab: the learner's `createChatHandler` runs as a real server
 * in the container (`src/node/container/preview-server.ts`), and this frame shows its chat page, which
 * posts to that server and streams the answer into the DOM. (Re)started on demand with the current code.
 */
export function NodeBackendPreview({ engine, labId, getCode, scenario }: NodeBackendPreviewProps) {
  const [url, setUrl] = useState<string | undefined>(undefined);
  const [generation, setGeneration] = useState(0);
  const [status, setStatus] = useState<Status>({
    kind: 'idle',
    text: 'Start your backend as a real server in the container, with a chat page that calls it.',
  });

  const start = async (): Promise<void> => {
    setStatus({ kind: 'loading', text: 'Starting your server…' });
    try {
      const ready = await engine.startPreview({ labId, code: getCode(), scenario });
      setUrl(ready);
      setGeneration((n) => n + 1);
      setStatus({
        kind: 'ready',
        text: `Your server listens on port 3000 (scenario ${scenario}). The page below calls its POST /api/chat.`,
      });
    } catch (error) {
      setStatus({ kind: 'error', text: error instanceof Error ? error.message : String(error) });
    }
  };

  return (
    <section className="lab-preview" aria-label="Preview of your backend">
      <div className="lab-preview__head">
        <h3 className="lab-panel__title">Preview</h3>
        <button
          type="button"
          className="lab-button"
          disabled={status.kind === 'loading'}
          onClick={() => void start()}
        >
          {url ? 'Restart with my code' : 'Start my server'}
        </button>
      </div>
      <p className="lab-preview__status" role="status" data-kind={status.kind}>
        {status.text}
      </p>
      {url && (
        <iframe
          key={generation}
          className="lab-preview__frame"
          title="Preview: a chat page calling your backend"
          src={`${url}/?theme=${document.documentElement.dataset.theme === 'dark' ? 'dark' : 'light'}`}
        />
      )}
    </section>
  );
}
