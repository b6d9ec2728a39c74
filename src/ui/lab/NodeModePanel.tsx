import { useEffect, useId, useState, useSyncExternalStore } from 'react';
import type { LabEngine } from '../../lab/engines/engine.ts';
import type { NodeMode, NodeModeState } from '../../lab/engines/webcontainer/mode.ts';
import { nodeModeProblem, type NodeModeProblem } from '../../lab/engines/webcontainer/support.ts';
import { NodeBackendPreview, type BackendPreviewSource } from './NodeBackendPreview.tsx';
import { NodeTerminal } from './NodeTerminal.tsx';
import './node-mode.css';

export interface NodeModePanelProps {
  /** Called with the Node engine when Node mode is on, `undefined` when runs go back to the browser. */
  onEngine: (engine: LabEngine | undefined) => void;
  /** Lesson 6's backend lab: in Node mode, its handler also runs as a real server with a chat page. */
  backendPreview?: BackendPreviewSource | undefined;
}

const OFF: NodeModeState = { status: 'off' };
const noop = (): (() => void) => () => {};

let loading: Promise<NodeMode> | undefined;
/** The page's Node mode, loaded on first use. */
const loadNodeMode = (): Promise<NodeMode> =>
  (loading ??= import('../../lab/engines/webcontainer/page.ts').then((m) => m.nodeMode));

/**
 * The Node mode switch under the lab: shown only where the page is cross-origin isolated (where it is not,
 * one line says what Node mode needs). Turning it on boots the page's WebContainer; every failure ends in a
 * message naming it, and the lab keeps running in the browser.
 */
export function NodeModePanel({ onEngine, backendPreview }: NodeModePanelProps) {
  const id = useId();
  const [mode, setMode] = useState<NodeMode | undefined>(undefined);
  const [known, setKnown] = useState<NodeModeProblem | undefined | 'unknown'>('unknown');
  const shared = useSyncExternalStore(
    mode?.subscribe ?? noop,
    () => mode?.get() ?? OFF,
    () => OFF,
  );
  /** A failure found before the page's Node mode was even loaded (offline, the chunk did not load). */
  const [local, setLocal] = useState<NodeModeState | undefined>(undefined);
  const state = local ?? shared;

  useEffect(() => setKnown(nodeModeProblem()), []);
  useEffect(() => {
    onEngine(state.status === 'on' ? state.engine : undefined);
  }, [state, onEngine]);
  useEffect(() => setLocal(undefined), [shared]);

  if (known === 'unknown') return null;
  if (known && known.reason !== 'offline') {
    return (
      <p className="lab-muted lab-nodemode__note" data-nodemode="unavailable">
        {known.message}
      </p>
    );
  }

  const toggle = async (on: boolean): Promise<void> => {
    // Known problems (offline) are said without loading anything: offline, nothing could be loaded.
    const problem = nodeModeProblem();
    if (on && problem) return setLocal({ status: 'unavailable', ...problem });
    setLocal(undefined);
    let current: NodeMode;
    try {
      current = mode ?? (await loadNodeMode());
    } catch (error) {
      loading = undefined;
      const detail = error instanceof Error ? error.message : String(error);
      return setLocal({
        status: 'unavailable',
        reason: 'failed',
        message: `Node mode could not be loaded (${detail}).`,
      });
    }
    setMode(current);
    if (on) await current.turnOn();
    else current.turnOff();
  };

  const text =
    state.status === 'booting'
      ? 'Starting Node in a WebContainer… (at most 15 s)'
      : state.status === 'on'
        ? 'On: Run and the checks use real Node in a WebContainer.'
        : state.status === 'unavailable'
          ? `${state.message} The lab runs in the browser.`
          : 'Off: the lab runs in the browser. Turn on for real Node (WebContainers, loaded from StackBlitz).';

  return (
    <>
      <div className="lab-nodemode" data-nodemode={state.status}>
        <label className="lab-nodemode__switch" htmlFor={id}>
          <input
            id={id}
            type="checkbox"
            role="switch"
            checked={state.status === 'on' || state.status === 'booting'}
            disabled={state.status === 'booting'}
            aria-describedby={`${id}-status`}
            onChange={(event) => void toggle(event.currentTarget.checked)}
          />{' '}
          Node mode
        </label>
        <span id={`${id}-status`} className="lab-nodemode__status" role="status">
          {text}
        </span>
      </div>
      {state.status === 'on' && <NodeTerminal engine={state.engine} />}
      {state.status === 'on' && backendPreview && (
        <NodeBackendPreview engine={state.engine} {...backendPreview} />
      )}
    </>
  );
}
