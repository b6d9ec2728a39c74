import { LabErrorBoundary } from '../ui/lab/LabErrorBoundary.tsx';
import {
  memo,
  useCallback,
  useEffect,
  useId,
  useMemo,
  useRef,
  useState,
  useSyncExternalStore,
  type ReactNode,
} from 'react';
import type {
  LabBundle,
  LabEngine,
  RunHandle,
  RunMessage,
  RunMode,
} from '../lab/engines/engine.ts';
import { withRunFiles } from '../lab/lab-files.ts';
import { runTimeLimitMs } from '../lab/run/limits.ts';
import { visibleChecksPassed } from '../lab/solution-gate.ts';
import { siteUrl } from '../lib/url.ts';
import { createRunStore } from '../lab/run/store.ts';
import { checkRun, driverRun, requestsByCheck } from '../lab/run/views.ts';
import {
  describeSaveProblem,
  getLabCode,
  labPassedNow,
  markLab,
  markVisiblePassed,
  markLesson,
  progress,
  revealHints,
  saveLabCode,
} from '../progress/store.ts';
import type { LabProgress } from '../progress/store.ts';
import { downloadLab } from '../lib/handin-dom.ts';
import { Editor } from '../ui/editor/Editor.tsx';
import type { LabEditor } from '../ui/editor/labEditor.ts';
import { ChecksPanel } from '../ui/lab/ChecksPanel.tsx';
import { ConsolePanel } from '../ui/lab/ConsolePanel.tsx';
import { batchBy } from '../ui/lab/batch.ts';
import { allChecksPassed, describeOutcome, formatSeconds } from '../ui/lab/format.ts';
import { HintsPanel } from '../ui/lab/HintsPanel.tsx';
import { KnobsPanel } from '../ui/lab/KnobsPanel.tsx';
import type { KnobsRun } from '../present/request.ts';
import { NodeModePanel } from '../ui/lab/NodeModePanel.tsx';
import { PreviewPanel } from '../ui/lab/PreviewPanel.tsx';
import { ScenarioPicker } from '../ui/lab/ScenarioPicker.tsx';
import { loadScenario, saveScenario } from '../ui/lab/scenarioMemory.ts';
import { SolutionDiff } from '../ui/lab/SolutionDiff.tsx';
import { Toolbar } from '../ui/lab/Toolbar.tsx';
import { Workspace } from '../ui/lab/Workspace.tsx';
import { TimelinePanel } from '../ui/timeline/TimelinePanel.tsx';
import { useGatedSolution, type SolutionsMode } from './useGatedSolution.ts';

export interface LabIslandProps {
  /** The lab: definition and sources (from `src/lab/bundle.ts` at build time). */
  bundle: LabBundle;
  /** Slug of the lesson the lab sits in; marked done when every one of its labs passes. */
  lessonSlug: string;
  /** Ids of every lab of that lesson (this one included). */
  lessonLabs?: string[];
  /** Every scenario of the mock server, for the picker's "More scenarios". */
  allScenarios: string[];
  /** The lab's goal, rendered by `Lab.astro` (Astro's named slot `goal`); shown beside the editor. */
  goal?: ReactNode;
  /**
   * The build's `STREAMLAB_SOLUTIONS`: the solution is fetched when asked for (`always`), once the
   * visible checks pass (`after-pass`), or never offered.
   */
  solutions?: SolutionsMode;
}

/** How long a Run may keep showing the previous run's output while it has none of its own yet. */
const HOLD_MS = 250;

/**
 * A Run's start and its messages before the first output (phases, the request and its headers) wait for
 * that output up to this long (`batch.ts`), so the page changes once. A warm sandbox's first chunk comes
 * about 15 ms after the click; a cold one boots for a second, and its start shows after this wait.
 */
const START_QUIET_MS = 50;
const QUIET: ReadonlySet<RunMessage['type']> = new Set([
  'run-start',
  'phase',
  'attempt-start',
  'headers',
]);

/** How long after the last keystroke the code is saved to the progress store. */
const SAVE_DELAY_MS = 400;

type TypesState = 'off' | 'loading' | 'ready' | 'failed';

// The island re-renders on every batch of run messages (one per animation frame while a run streams).
// The parts a run does not change skip those renders; their callbacks below are kept stable for that.
const CodeEditor = memo(Editor);
const Hints = memo(HintsPanel);
const Knobs = memo(KnobsPanel);
const NodeMode = memo(NodeModePanel);
const Preview = memo(PreviewPanel);
// And the output panels, for the renders in which their run did not change: a Run's first frame (the
// previous run is held on screen, see HOLD_MS) and the status changes around it.
const Console = memo(ConsolePanel);
const Checks = memo(ChecksPanel);
const Timeline = memo(TimelinePanel);

/**
 * The lab island: wires the editor and panels (`src/ui/`) to the run store, the lab engine and the
 * progress store. Hydrated `client:visible` by `src/components/Lab.astro`.
 */
/** The lab island, with its failures kept to itself (see `LabErrorBoundary`). */
export default function LabIsland(props: LabIslandProps) {
  return (
    <LabErrorBoundary labId={props.bundle.id}>
      <LabWorkspace {...props} />
    </LabErrorBoundary>
  );
}

function LabWorkspace({
  bundle,
  lessonSlug,
  lessonLabs = [],
  allScenarios,
  goal,
  solutions = 'always',
}: LabIslandProps) {
  const { definition, files } = bundle;
  const fileName = `${bundle.id}.ts`;
  const keysHintId = useId();

  // A Run keeps the previous run on screen until its own first output (at most HOLD_MS): the console
  // and the timeline change once, in place, instead of emptying and refilling a frame later.
  const store = useMemo(() => createRunStore({ holdMs: HOLD_MS }), []);
  // Messages reach the store once per animation frame (see batch.ts), so a flood of one-byte reads
  // costs a render per frame, not per read.
  const applyMessage = useMemo(
    () =>
      batchBy<RunMessage>(
        (messages) => {
          for (const message of messages) store.apply(message);
        },
        (flush) => {
          // Frames stop in background tabs; a timer keeps a hidden lab's run store current.
          if (document.visibilityState === 'hidden') setTimeout(flush, 100);
          else requestAnimationFrame(flush);
        },
        // A Run's start shows with its first output (`batch.ts`), or after START_QUIET_MS without one.
        {
          quiet: (message) => QUIET.has(message.type),
          later: (done) => setTimeout(done, START_QUIET_MS),
        },
      ),
    [store],
  );
  const run = useSyncExternalStore(store.subscribe, store.get, store.get);
  const recording = run.recording;
  // The timeline shows the driver's run; a check's requests only when opened from that check.
  const [shownCheck, setShownCheck] = useState<string | undefined>(undefined);
  const timelineRecording = useMemo(
    () =>
      recording &&
      (shownCheck && recording.checks.some((c) => c.id === shownCheck)
        ? checkRun(recording, shownCheck)
        : driverRun(recording)),
    [recording, shownCheck],
  );
  const checkRequests = useMemo(() => (recording ? requestsByCheck(recording) : {}), [recording]);
  const running = run.status === 'running';

  const [hydrated, setHydrated] = useState(false);
  const [initialCode, setInitialCode] = useState(files.starter);
  const [editorKey, setEditorKey] = useState(0);
  const [scenario, setScenario] = useState(definition.scenarios[0]!);
  const [hintsShown, setHintsShown] = useState(0);
  const [solutionShown, setSolutionShown] = useState(false);
  const [solutionBase, setSolutionBase] = useState('');
  const [resetUndoable, setResetUndoable] = useState(false);
  const [types, setTypes] = useState<TypesState>('off');
  const [lastMode, setLastMode] = useState<RunMode>('run');
  const [runShortcut, setRunShortcut] = useState('Ctrl+Enter');
  const [passState, setPassState] = useState<PassState>({ now: false });
  const [visiblePassedBefore, setVisiblePassedBefore] = useState(false);
  const [saveProblem, setSaveProblem] = useState<string | undefined>(undefined);
  const [filesProblem, setFilesProblem] = useState<string | undefined>(undefined);
  const solution = useGatedSolution(
    bundle.id,
    solutions,
    passState.now ||
      passState.on !== undefined ||
      visiblePassedBefore ||
      visibleChecksPassed(recording),
  );

  const editor = useRef<LabEditor | null>(null);
  const engine = useRef<Promise<LabEngine> | undefined>(undefined);
  const handle = useRef<RunHandle | undefined>(undefined);
  const saveTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const pendingSave = useRef<string | undefined>(undefined);
  const resetting = useRef(false);
  /** A run is starting or running (set before the engine's first message arrives). */
  const busy = useRef(false);

  // Hydration: restore the learner's saved code (the server rendered the starter).
  useEffect(() => {
    const saved = getLabCode(bundle.id);
    if (saved !== undefined && saved !== null && saved !== files.starter) {
      setInitialCode(saved);
      setEditorKey((k) => k + 1);
    }
    if (/Mac|iPhone|iPad/.test(navigator.platform)) setRunShortcut('⌘+Enter');
    const savedScenario = loadScenario(bundle.id, allScenarios);
    if (savedScenario) setScenario(savedScenario);
    setHydrated(true);
    const sync = (): void => {
      const saved = progress.get().labs[bundle.id];
      setPassState(passStateOf(saved));
      setVisiblePassedBefore(saved?.visiblePassed === true);
      setSaveProblem(progress.saveProblem && describeSaveProblem(progress.saveProblem));
      // Hints revealed before (in this tab, another tab or an earlier visit) stay revealed.
      setHintsShown((n) => Math.max(n, Math.min(saved?.hints ?? 0, definition.hints.length)));
    };
    sync();
    return progress.subscribe(sync);
  }, [bundle.id, files.starter, definition.hints.length, allScenarios]);

  /**
   * Gets the next run ready while the learner reads or types: fetches what Run needs that the page left
   * out (the visible checks and the driver), then has the engine compile the code and the driver. A
   * failed fetch is left for Run to report.
   */
  const prepareRun = useCallback(
    (e: LabEngine, code: string) => {
      withRunFiles(bundle, siteUrl(''), fetch, 'visible').then(
        (lab) => e.prepare?.(lab, code, fileName),
        () => undefined,
      );
    },
    [bundle, fileName],
  );

  const flushSave = useCallback(() => {
    clearTimeout(saveTimer.current);
    if (pendingSave.current !== undefined) {
      const code = pendingSave.current;
      saveLabCode(bundle.id, code);
      pendingSave.current = undefined;
      // The engine compiles the file as saved before Run is pressed (a hint; Run compiles what it runs).
      void engine.current?.then((e) => prepareRun(e, code));
    }
  }, [bundle.id, prepareRun]);

  useEffect(() => {
    window.addEventListener('pagehide', flushSave);
    return () => {
      window.removeEventListener('pagehide', flushSave);
      flushSave();
    };
  }, [flushSave]);

  /** Node mode's engine while Node mode is on (`NodeModePanel`); runs go to it instead. */
  const nodeEngine = useRef<LabEngine | undefined>(undefined);
  const setNodeEngine = useCallback((e: LabEngine | undefined) => (nodeEngine.current = e), []);

  const getEngine = useCallback((): Promise<LabEngine> => {
    if (nodeEngine.current) return Promise.resolve(nodeEngine.current);
    engine.current ??= import('../lab/engines/worker/host.ts').then(({ createWorkerEngine }) =>
      createWorkerEngine(),
    );
    return engine.current;
  }, []);

  // Once interactive: load the type-aware editor on the first edit. (The engine warms up on the
  // first pointer or focus in the lab: `warmEngine`, so scrolling past a lab costs no engine.)
  useEffect(() => {
    if (!hydrated) return;
    // The TypeScript service loads on the first edit (focus or keypress), never on scroll.
    const current = editor.current;
    const dom = current?.view.dom;
    const loadTypes = (): void => {
      dom?.removeEventListener('focusin', loadTypes);
      dom?.removeEventListener('keydown', loadTypes);
      if (!current) return;
      setTypes('loading');
      current.enableTypeAware().then(
        () => setTypes('ready'),
        () => setTypes('failed'),
      );
    };
    dom?.addEventListener('focusin', loadTypes);
    dom?.addEventListener('keydown', loadTypes);
    const cancelTypes = (): void => {
      dom?.removeEventListener('focusin', loadTypes);
      dom?.removeEventListener('keydown', loadTypes);
    };
    return cancelTypes;
  }, [hydrated, getEngine, editorKey]);

  /** The editor's code, or the code it was opened with before it mounted. */
  const currentCode = useCallback(() => editor.current?.getCode() ?? initialCode, [initialCode]);

  const warmEngine = useCallback(() => {
    void getEngine().then((e) => {
      prepareRun(e, currentCode());
      return e.ready().catch(() => undefined);
    });
  }, [getEngine, prepareRun, currentCode]);

  useEffect(
    () => () => {
      handle.current?.stop();
      void engine.current?.then((e) => e.dispose());
    },
    [],
  );

  const onChange = useCallback(
    (code: string) => {
      if (!resetting.current) setResetUndoable(false);
      pendingSave.current = code;
      clearTimeout(saveTimer.current);
      saveTimer.current = setTimeout(flushSave, SAVE_DELAY_MS);
    },
    [flushSave],
  );

  const start = useCallback(
    async (mode: RunMode, knobs?: KnobsRun) => {
      if (busy.current) return;
      busy.current = true;
      flushSave();
      setLastMode(mode);
      const code = currentCode();
      editor.current?.setRuntimeProblem(null);
      // The checks' source is not in the page: fetched on the first run (src/lab/lab-files.ts), the
      // hidden checks only for a run that runs them.
      const [lab, current] = await Promise.all([
        withRunFiles(bundle, siteUrl(''), fetch, mode === 'check' ? 'all' : 'visible').catch(
          (error: Error) => {
            setFilesProblem(error.message);
            return undefined;
          },
        ),
        getEngine(),
      ]);
      if (!lab) {
        busy.current = false;
        return;
      }
      setFilesProblem(undefined);
      const runHandle = current.run(
        {
          lab,
          code,
          mode,
          scenario,
          fileName,
          label: mode === 'check' ? 'all checks' : `scenario ${scenario}`,
          // Presenter mode's knobs panel: its scenario, knobs, time limit and label win.
          ...knobs,
        },
        applyMessage,
      );
      handle.current = runHandle;
      const result = await runHandle.result;
      busy.current = false;
      const error = result.error;
      if (error?.line !== undefined && (error.file === undefined || error.file === fileName)) {
        editor.current?.setRuntimeProblem({
          line: error.line,
          column: error.column ?? 1,
          message: `${error.name}: ${error.message}`,
        });
      }
      if (visibleChecksPassed(result)) markVisiblePassed(bundle.id);
      if (mode === 'check') {
        const passed = allChecksPassed(result);
        markLab(bundle.id, { passed, code });
        const labs = progress.get().labs;
        const all = lessonLabs.includes(bundle.id) ? lessonLabs : [...lessonLabs, bundle.id];
        if (all.every((id) => labPassedNow(labs[id]))) markLesson(lessonSlug, 'done');
      }
    },
    [
      store,
      applyMessage,
      flushSave,
      currentCode,
      getEngine,
      bundle,
      scenario,
      fileName,
      lessonSlug,
      lessonLabs,
    ],
  );

  const stop = useCallback(() => handle.current?.stop(), []);
  const runKnobs = useCallback((knobs: KnobsRun) => start('run', knobs), [start]);
  const runNow = useCallback(() => void start('run'), [start]);
  const onEditorReady = useCallback((e: LabEditor | null) => {
    editor.current = e;
  }, []);
  const showNextHint = useCallback(() => {
    const next = Math.min(hintsShown + 1, definition.hints.length);
    setHintsShown(next);
    revealHints(bundle.id, next);
  }, [hintsShown, bundle.id, definition.hints.length]);
  const backendPreview = useMemo(
    () =>
      definition.preview === 'chat-backend'
        ? { labId: bundle.id, getCode: currentCode, scenario }
        : undefined,
    [definition.preview, bundle.id, currentCode, scenario],
  );

  const reset = useCallback(() => {
    const current = editor.current;
    if (!current) return;
    resetting.current = true;
    const changed = current.replaceCode(files.starter, 'input.reset');
    resetting.current = false;
    if (changed) setResetUndoable(true);
    current.view.focus();
  }, [files.starter]);

  const undoReset = useCallback(() => {
    const current = editor.current;
    if (!current) return;
    current.undo();
    setResetUndoable(false);
    current.view.focus();
  }, []);

  const wantSolution = solution.want;
  const toggleSolution = useCallback(() => {
    wantSolution();
    setSolutionShown((shown) => {
      if (!shown) setSolutionBase(currentCode());
      return !shown;
    });
  }, [currentCode, wantSolution]);

  const toggleShownCheck = useCallback(
    (id: string) => setShownCheck((current) => (current === id ? undefined : id)),
    [],
  );

  const jump = useCallback((line: number, column: number) => {
    editor.current?.focusAt(line, column);
  }, []);

  const onKeyDown = (event: React.KeyboardEvent) => {
    // Ctrl/Cmd+Enter runs from anywhere in the lab, not only from the editor.
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey) && !event.defaultPrevented) {
      event.preventDefault();
      void start('run');
    }
  };

  const limitMs = runTimeLimitMs(definition, recording?.scenario ?? scenario);
  const outcomeText = recording && run.status === 'done' ? describeOutcome(recording, limitMs) : '';
  const statusText = running
    ? `Running${lastMode === 'check' ? ' all checks' : ''}…`
    : outcomeText || (hydrated ? 'Ready.' : 'The lab needs JavaScript to run.');
  const notice = run.stale
    ? undefined
    : recording?.outcome === 'timeout'
      ? `Stopped: still running after the ${formatSeconds(limitMs)} time limit.`
      : recording?.outcome === 'stopped'
        ? 'Stopped.'
        : undefined;

  return (
    <Workspace
      interactive={hydrated}
      onKeyDown={onKeyDown}
      onFirstInteraction={warmEngine}
      aside={
        <>
          {goal}
          <Hints
            hints={definition.hints}
            shown={hintsShown}
            interactive={hydrated}
            onShowNext={showNextHint}
          />
        </>
      }
      toolbar={
        <Toolbar
          interactive={hydrated}
          running={running}
          solutionShown={solutionShown}
          runShortcut={runShortcut}
          onRun={runNow}
          onCheckAll={() => void start('check')}
          onStop={stop}
          onReset={reset}
          onToggleSolution={solution.offered && !solution.locked ? toggleSolution : undefined}
          solutionLocked={solution.locked}
          fileName={fileName}
          onDownload={() => downloadLab(bundle.id, definition.title, currentCode())}
        >
          <ScenarioPicker
            labScenarios={definition.scenarios}
            labExplore={definition.explore}
            allScenarios={allScenarios}
            value={scenario}
            disabled={!hydrated || running}
            onChange={(name) => {
              setScenario(name);
              saveScenario(bundle.id, name);
            }}
          />
        </Toolbar>
      }
      status={
        <p className="lab-status" role="status" aria-live="polite">
          {passState.now ? (
            <span className="lab-done">
              <span aria-hidden="true">✓ </span>Lab passed.{' '}
            </span>
          ) : (
            passState.on && (
              <span className="lab-history">
                Passed on {passState.on} with earlier code; run all checks again to pass with this
                code.{' '}
              </span>
            )
          )}
          {saveProblem && <span className="lab-save-problem">{saveProblem} </span>}
          {(filesProblem ?? solution.problem) && (
            <span className="lab-save-problem">{filesProblem ?? solution.problem} </span>
          )}
          {statusText}
          {resetUndoable && (
            <>
              {' '}
              Code reset to the starter.{' '}
              <button type="button" className="lab-linkbutton" onClick={undoReset}>
                Undo reset
              </button>
            </>
          )}
        </p>
      }
      editor={
        <>
          <p id={keysHintId} className="sr-only">
            Code editor. Tab indents. To leave the editor with the keyboard, press Escape, then Tab.
            Press {runShortcut} to run. Type-aware completion opens as you type; use the arrow keys
            and Enter to pick.
          </p>
          <div className="lab-editor-wrap">
            <div className="lab-editor-head">
              <span className="lab-filename">{fileName}</span>
              <span className="lab-muted lab-types" aria-live="polite">
                {types === 'loading' && 'Loading type checking…'}
                {types === 'ready' && 'Type checking on'}
                {types === 'failed' && 'Type checking unavailable'}
              </span>
            </div>
            <CodeEditor
              key={editorKey}
              initialCode={initialCode}
              fileName={fileName}
              label={`Code editor: ${fileName}`}
              describedBy={keysHintId}
              onChange={onChange}
              onRun={runNow}
              onReady={onEditorReady}
            />
          </div>
        </>
      }
      output={
        <>
          <Console
            entries={recording?.console ?? []}
            error={recording?.outcome === 'error' ? recording.error : undefined}
            notice={notice}
            stale={run.stale}
            fileName={fileName}
            onJump={jump}
          />
          <Checks
            checks={recording?.checks ?? []}
            running={running}
            hasRun={recording !== undefined}
            requests={checkRequests}
            onShow={toggleShownCheck}
            shown={shownCheck}
          />
        </>
      }
      below={
        solutionShown &&
        (solution.text !== undefined ? (
          <SolutionDiff
            learnerCode={solutionBase}
            solution={solution.text}
            onClose={() => setSolutionShown(false)}
          />
        ) : (
          !solution.problem && (
            <p className="lab-muted lab-solution-loading" role="status">
              Loading the solution…
            </p>
          )
        ))
      }
      timeline={
        <>
          <NodeMode onEngine={setNodeEngine} backendPreview={backendPreview} />
          {definition.preview === 'chat-page' && (
            <Preview getCode={currentCode} fileName={fileName} scenario={scenario} />
          )}
          <div
            role="group"
            className="lab-timeline"
            aria-label="Timeline of the run"
            aria-busy={run.stale || undefined}
          >
            <h3 className="lab-panel__title">Timeline</h3>
            <Knobs labId={bundle.id} definition={definition} onRun={runKnobs} onStop={stop} />
            {shownCheck && (
              <button
                type="button"
                className="lab-linkbutton"
                onClick={() => setShownCheck(undefined)}
              >
                Back to the run on the timeline
              </button>
            )}
            <Timeline
              recording={timelineRecording}
              {...(shownCheck ? { label: `Requests of check '${shownCheck}'` } : {})}
              onOpen={store.load}
              emptyText="No run yet: press Run to see every read and every event of the stream here."
            />
          </div>
        </>
      }
    />
  );
}

interface PassState {
  /** The last full check run passed, on the code the editor holds (as saved). */
  now: boolean;
  /** The date of an earlier pass, when the current code has not passed. */
  on?: string;
}

function passStateOf(saved: LabProgress | undefined): PassState {
  if (labPassedNow(saved)) return { now: true };
  if (saved?.passedAt === undefined) return { now: false };
  const on = new Date(saved.passedAt).toLocaleDateString(undefined, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
  });
  return { now: false, on };
}
