import { useCallback, useEffect, useRef, useState } from 'react';
import './preview.css';

export interface PreviewPanelProps {
  /** The learner's current code (read when the preview is (re)loaded). */
  getCode: () => string;
  fileName: string;
  /** The mock scenario the preview's backend forwards. */
  scenario: string;
  /** The question the page starts with. */
  prompt?: string;
}

type Status = { kind: 'idle' | 'loading' | 'ready' | 'error'; text: string };

const currentTheme = (): 'light' | 'dark' =>
  document.documentElement.dataset.theme === 'dark' ? 'dark' : 'light';

/**
 * The ui-frontend lab's live preview: the learner's `streamToPage` in a real page (a sandboxed `srcdoc`
 * frame, `src/lab/preview/`), whose `/api/chat` is a backend forwarding the mock under the picked scenario.
 * Loaded on demand, so a lab that is never previewed pays nothing for it.
 */
export function PreviewPanel({
  getCode,
  fileName,
  scenario,
  prompt = 'Why put a backend between the browser and the model?',
}: PreviewPanelProps) {
  const frame = useRef<HTMLIFrameElement>(null);
  const [doc, setDoc] = useState<string | undefined>(undefined);
  const [status, setStatus] = useState<Status>({
    kind: 'idle',
    text: 'Load your code to try it in a real page.',
  });
  const [loadedScenario, setLoadedScenario] = useState(scenario);
  const [generation, setGeneration] = useState(0);

  const load = useCallback(async () => {
    setStatus({ kind: 'loading', text: 'Loading the preview…' });
    try {
      const { buildPreview } = await import('../../lab/preview/host.ts');
      setDoc(buildPreview({ code: getCode(), fileName, theme: currentTheme(), prompt }));
      setLoadedScenario(scenario);
      setGeneration((n) => n + 1);
    } catch (error) {
      setDoc(undefined);
      setStatus({
        kind: 'error',
        text: `Cannot load ${fileName}: ${error instanceof Error ? error.message : String(error)}`,
      });
    }
  }, [getCode, fileName, prompt, scenario]);

  useEffect(() => {
    const element = frame.current;
    if (!doc || !element) return;
    let disconnect: (() => void) | undefined;
    let live = true;
    void import('../../lab/preview/host.ts').then(({ connectPreview }) => {
      if (!live) return;
      disconnect = connectPreview(element, loadedScenario, (state) => {
        if (state.state === 'ready') setStatus({ kind: 'ready', text: 'Your code is loaded.' });
        else if (state.state === 'error')
          setStatus({ kind: 'error', text: `The page reports: ${state.detail}` });
        else if (state.state === 'streaming') setStatus({ kind: 'ready', text: 'Streaming…' });
        else setStatus({ kind: 'ready', text: `Your streamToPage resolved: ${state.detail}.` });
      });
      element.srcdoc = doc;
    });
    return () => {
      live = false;
      disconnect?.();
    };
  }, [doc, loadedScenario, generation]);

  return (
    <section className="lab-preview" aria-label="Preview">
      <div className="lab-preview__head">
        <h3 className="lab-panel__title">Preview</h3>
        <button type="button" className="lab-button" onClick={() => void load()}>
          {doc ? 'Reload with my code' : 'Load my code'}
        </button>
      </div>
      <p className="lab-muted lab-preview__note">
        Your <code>streamToPage</code> in a real page: its <code>fetch(&apos;/api/chat&apos;)</code>{' '}
        reaches a small backend that forwards the mock (scenario <code>{loadedScenario}</code>).
      </p>
      <p className="lab-preview__status" role="status" data-kind={status.kind}>
        {status.text}
      </p>
      {doc && (
        <iframe
          ref={frame}
          className="lab-preview__frame"
          title="Preview: your streamToPage in a page"
          sandbox="allow-scripts"
        />
      )}
    </section>
  );
}
