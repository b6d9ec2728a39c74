/**
 * The learner's progress: lessons visited/done, lab code and results, quiz answers. Framework-free and
 * Web-standard only, so islands, plain page scripts and tests all use the same store.
 *
 * Persistence is best effort by design: storage may be missing (private mode, SSR), full
 * (QuotaExceededError), or hold garbage from an older or foreign version. In every such case the store
 * keeps working in memory and never throws at the caller; progress is a convenience, not a database.
 * Other tabs' writes arrive through the `storage` event and are merged into this tab's view.
 */

/** How far the learner got in a lesson. `done` is never downgraded to `visited`. */
export type LessonState = 'visited' | 'done';

export interface LessonProgress {
  state: LessonState;
  /** Epoch ms of the last change. */
  at: number;
}

export interface LabProgress {
  /** The learner's latest code for the lab (the editor restores it). */
  code?: string;
  /** Whether the last graded run (all checks) passed; `passedOnce` remembers any pass. */
  passed?: boolean;
  passedOnce?: boolean;
  /** Hash (`codeHash`) of the code the last graded run ran; a pass counts only while the code is that. */
  gradedHash?: string;
  /** Epoch ms of the latest pass, shown as history ("passed on …") once the code has changed. */
  passedAt?: number;
  /** A Run once passed every visible check: it unlocks a solution gated `after-pass`, for good. */
  visiblePassed?: boolean;
  /** How many graded runs were recorded. */
  runs: number;
  /** How many of the lab's hints the learner revealed (they stay revealed). */
  hints?: number;
  at: number;
}

export interface QuizAnswer {
  correct: boolean;
  /** Number of answers given to this question. */
  tries: number;
  at: number;
}

/** The whole persisted state. `version` lets a future shape migrate or discard old data. */
export interface ProgressState {
  version: typeof PROGRESS_VERSION;
  lessons: Record<string, LessonProgress>;
  labs: Record<string, LabProgress>;
  quizzes: Record<string, Record<string, QuizAnswer>>;
}

/** The subset of the Web Storage API the store needs (so tests can pass a fake). */
export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** The subset of `window` used for cross-tab sync. */
export interface StorageEventSource {
  addEventListener(
    type: 'storage',
    listener: (event: { key: string | null; newValue: string | null }) => void,
  ): void;
  removeEventListener(
    type: 'storage',
    listener: (event: { key: string | null; newValue: string | null }) => void,
  ): void;
}

export const PROGRESS_VERSION = 1;
/** The localStorage key; the version is in the value, not the key, so a reader can tell it is stale. */
export const PROGRESS_KEY = 'streamlab:progress';

export type Listener = (state: Readonly<ProgressState>) => void;

export interface ProgressStore {
  /** The current state (a frozen snapshot; replace, never mutate). */
  get(): Readonly<ProgressState>;
  /** Calls `fn` after every change (this tab or another). Returns the unsubscribe function. */
  subscribe(fn: Listener): () => void;
  markLesson(slug: string, state: LessonState): void;
  saveLabCode(labId: string, code: string): void;
  /** The saved code for a lab, or undefined when none was saved. */
  getLabCode(labId: string): string | undefined;
  /** Records a graded run (all checks) of `code`. */
  markLab(labId: string, result: { passed: boolean; code?: string }): void;
  /** Records that a Run passed every visible check of a lab (kept; see `LabProgress.visiblePassed`). */
  markVisiblePassed(labId: string): void;
  /** Records that the first `count` hints of a lab are revealed (never lowers the count). */
  revealHints(labId: string, count: number): void;
  recordQuiz(slug: string, questionId: string, correct: boolean): void;
  /** Forget everything (a "reset progress" button). */
  reset(): void;
  /** Whether the last write reached storage (false when storage is missing or full). */
  readonly persisted: boolean;
  /**
   * Why the last write did not reach storage: `full` (quota exceeded), `unavailable` (blocked or
   * missing), `newer` (storage holds progress of a newer site version, which is kept as it is).
   */
  readonly saveProblem: SaveProblem | undefined;
}

export type SaveProblem = 'full' | 'unavailable' | 'newer';

/** What to tell the learner about a save problem. */
export function describeSaveProblem(problem: SaveProblem): string {
  switch (problem) {
    case 'full':
      return "Progress could not be saved: this browser's storage is full.";
    case 'unavailable':
      return 'Progress could not be saved: this browser does not allow storage for this site.';
    case 'newer':
      return 'Progress was saved by a newer version of this site; it is kept as it is, and changes made here are not saved.';
  }
}

/** A short, stable hash of a lab's code (FNV-1a, 32 bits, hex): enough to tell "the same code". */
export function codeHash(code: string): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < code.length; i++) {
    h ^= code.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** True when the lab's last graded run passed and ran the code saved now. */
export function labPassedNow(lab: LabProgress | undefined): boolean {
  if (!lab?.passed) return false;
  return (
    lab.gradedHash === undefined || lab.code === undefined || codeHash(lab.code) === lab.gradedHash
  );
}

/**
 * Whether a lesson is done: with labs, when every one of them passes now (`labPassedNow`); without,
 * when the learner marked it done.
 */
export function lessonDone(
  state: Readonly<ProgressState>,
  slug: string,
  labs: readonly string[],
): boolean {
  if (labs.length > 0) return labs.every((id) => labPassedNow(state.labs[id]));
  return state.lessons[slug]?.state === 'done';
}

export function emptyProgress(): ProgressState {
  return { version: PROGRESS_VERSION, lessons: {}, labs: {}, quizzes: {} };
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isTime = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/**
 * Reads a stored value into a valid state. Anything unreadable is dropped entry by entry, so one bad
 * record (hand-edited, or written by a buggy build) does not wipe the rest of the learner's progress.
 */
export function parseProgress(raw: string | null): ProgressState {
  const state = emptyProgress();
  if (raw === null) return state;
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return state;
  }
  if (!isRecord(data) || data.version !== PROGRESS_VERSION) return state;
  if (isRecord(data.lessons)) {
    for (const [slug, v] of Object.entries(data.lessons)) {
      if (isRecord(v) && (v.state === 'visited' || v.state === 'done') && isTime(v.at)) {
        state.lessons[slug] = { state: v.state, at: v.at };
      }
    }
  }
  if (isRecord(data.labs)) {
    for (const [id, v] of Object.entries(data.labs)) {
      if (!isRecord(v) || !isTime(v.at)) continue;
      const lab: LabProgress = { runs: isTime(v.runs) && v.runs >= 0 ? v.runs : 0, at: v.at };
      if (typeof v.code === 'string') lab.code = v.code;
      if (typeof v.passed === 'boolean') lab.passed = v.passed;
      if (typeof v.passedOnce === 'boolean') lab.passedOnce = v.passedOnce;
      if (typeof v.gradedHash === 'string') lab.gradedHash = v.gradedHash;
      if (isTime(v.passedAt)) lab.passedAt = v.passedAt;
      if (v.visiblePassed === true) lab.visiblePassed = true;
      if (Number.isInteger(v.hints) && (v.hints as number) > 0) lab.hints = v.hints as number;
      state.labs[id] = lab;
    }
  }
  if (isRecord(data.quizzes)) {
    for (const [slug, answers] of Object.entries(data.quizzes)) {
      if (!isRecord(answers)) continue;
      const kept: Record<string, QuizAnswer> = {};
      for (const [qid, a] of Object.entries(answers)) {
        if (isRecord(a) && typeof a.correct === 'boolean' && isTime(a.tries) && isTime(a.at)) {
          kept[qid] = { correct: a.correct, tries: a.tries, at: a.at };
        }
      }
      state.quizzes[slug] = kept;
    }
  }
  return state;
}

/** `globalThis.localStorage`, or undefined when absent or when touching it throws (blocked cookies). */
function defaultStorage(): StorageLike | undefined {
  try {
    const storage = (globalThis as { localStorage?: StorageLike }).localStorage;
    return storage ?? undefined;
  } catch {
    return undefined;
  }
}

function defaultEvents(): StorageEventSource | undefined {
  const g = globalThis as Partial<StorageEventSource>;
  return typeof g.addEventListener === 'function' && typeof g.removeEventListener === 'function'
    ? (g as StorageEventSource)
    : undefined;
}

export interface ProgressStoreOptions {
  /** Where to persist; defaults to `localStorage`. `null` keeps progress in memory only. */
  storage?: StorageLike | null;
  /** Where `storage` events arrive from; defaults to `globalThis` (the window). `null` disables sync. */
  events?: StorageEventSource | null;
  /** Clock for timestamps (tests pass a fixed one). */
  now?: () => number;
  key?: string;
}

/** Creates a store. Pages use the shared {@link progress} instance; tests create their own. */
export function createProgressStore(options: ProgressStoreOptions = {}): ProgressStore {
  const storage = options.storage === undefined ? defaultStorage() : (options.storage ?? undefined);
  const events = options.events === undefined ? defaultEvents() : (options.events ?? undefined);
  const now = options.now ?? Date.now;
  const key = options.key ?? PROGRESS_KEY;
  const listeners = new Set<Listener>();
  let persisted = false;
  let saveProblem: SaveProblem | undefined;

  const read = (): ProgressState => {
    if (!storage) return emptyProgress();
    try {
      return parseProgress(storage.getItem(key));
    } catch {
      return emptyProgress();
    }
  };

  /** The `version` of what storage holds (0 when nothing or unreadable). */
  const storedVersion = (): number => {
    try {
      const data = JSON.parse(storage?.getItem(key) ?? 'null') as { version?: unknown } | null;
      return typeof data?.version === 'number' ? data.version : 0;
    } catch {
      return 0;
    }
  };

  let state: ProgressState = Object.freeze(read());
  if (storedVersion() > PROGRESS_VERSION) saveProblem = 'newer';

  const emit = () => {
    for (const fn of [...listeners]) {
      try {
        fn(state);
      } catch (error) {
        // One broken subscriber must not stop the others; surface it without throwing.
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  };

  /** Applies a change to a fresh copy, persists it (best effort) and notifies subscribers. */
  const update = (change: (draft: ProgressState) => void) => {
    // Re-read first so a write from another tab that has not yet raised its event is not lost.
    const draft = structuredClone(storage ? mergeNewer(state, read()) : state) as ProgressState;
    change(draft);
    state = Object.freeze(draft);
    if (!storage) {
      persisted = false;
      saveProblem = 'unavailable';
    } else if (storedVersion() > PROGRESS_VERSION) {
      // A newer site wrote it: this version cannot read all of it, so it must not overwrite it.
      persisted = false;
      saveProblem = 'newer';
    } else {
      try {
        storage.setItem(key, JSON.stringify(state));
        persisted = true;
        saveProblem = undefined;
      } catch (error) {
        // Full (QuotaExceededError) or blocked storage: keep going in memory, and say so.
        persisted = false;
        saveProblem = isQuotaError(error) ? 'full' : 'unavailable';
      }
    }
    emit();
  };

  const onStorage = (event: { key: string | null; newValue: string | null }) => {
    // key === null means another tab called localStorage.clear().
    if (event.key !== null && event.key !== key) return;
    state = Object.freeze(parseProgress(event.newValue));
    emit();
  };

  return {
    get: () => state,
    subscribe(fn) {
      if (listeners.size === 0) events?.addEventListener('storage', onStorage);
      listeners.add(fn);
      return () => {
        listeners.delete(fn);
        if (listeners.size === 0) events?.removeEventListener('storage', onStorage);
      };
    },
    markLesson(slug, lessonState) {
      if (lessonState !== 'visited' && lessonState !== 'done') {
        throw new TypeError(
          `markLesson: state must be 'visited' or 'done', got ${String(lessonState)}`,
        );
      }
      const current = state.lessons[slug];
      if (current && (current.state === 'done' || current.state === lessonState)) return;
      update((d) => {
        d.lessons[slug] = { state: lessonState, at: now() };
      });
    },
    saveLabCode(labId, code) {
      if (state.labs[labId]?.code === code) return;
      update((d) => {
        const lab = d.labs[labId] ?? { runs: 0, at: now() };
        d.labs[labId] = { ...lab, code, at: now() };
      });
    },
    getLabCode: (labId) => state.labs[labId]?.code,
    markLab(labId, { passed, code }) {
      update((d) => {
        const lab = d.labs[labId] ?? { runs: 0, at: now() };
        const next: LabProgress = {
          ...lab,
          passed,
          passedOnce: passed || lab.passedOnce === true,
          runs: lab.runs + 1,
          at: now(),
        };
        if (code !== undefined) {
          next.code = code;
          next.gradedHash = codeHash(code);
        }
        if (passed) next.passedAt = now();
        d.labs[labId] = next;
      });
    },
    markVisiblePassed(labId) {
      if (state.labs[labId]?.visiblePassed) return;
      update((d) => {
        const lab = d.labs[labId] ?? { runs: 0, at: now() };
        d.labs[labId] = { ...lab, visiblePassed: true, at: now() };
      });
    },
    revealHints(labId, count) {
      if (!Number.isInteger(count) || count < 0) {
        throw new TypeError(`revealHints: count must be a non-negative integer, got ${count}`);
      }
      if ((state.labs[labId]?.hints ?? 0) >= count) return;
      update((d) => {
        const lab = d.labs[labId] ?? { runs: 0, at: now() };
        d.labs[labId] = { ...lab, hints: Math.max(count, lab.hints ?? 0), at: now() };
      });
    },
    recordQuiz(slug, questionId, correct) {
      update((d) => {
        const answers = (d.quizzes[slug] ??= {});
        const before = answers[questionId];
        answers[questionId] = { correct, tries: (before?.tries ?? 0) + 1, at: now() };
      });
    },
    reset() {
      update((d) => {
        d.lessons = {};
        d.labs = {};
        d.quizzes = {};
      });
    },
    get persisted() {
      return persisted;
    },
    get saveProblem() {
      return saveProblem;
    },
  };
}

function isQuotaError(error: unknown): boolean {
  const name = (error as { name?: string } | null)?.name;
  const code = (error as { code?: number } | null)?.code;
  return name === 'QuotaExceededError' || name === 'NS_ERROR_DOM_QUOTA_REACHED' || code === 22;
}

/**
 * Combines this tab's state with what storage holds now, per entry, keeping the newer record. Storage
 * normally already has everything this tab wrote; it can lack it when a write failed (full storage).
 */
function mergeNewer(mine: ProgressState, stored: ProgressState): ProgressState {
  const pick = <T extends { at: number }>(a: Record<string, T>, b: Record<string, T>) => {
    const out: Record<string, T> = { ...a };
    for (const [k, v] of Object.entries(b)) {
      const cur = out[k];
      if (!cur || v.at > cur.at) out[k] = v;
    }
    return out;
  };
  const quizzes: ProgressState['quizzes'] = { ...mine.quizzes };
  for (const [slug, answers] of Object.entries(stored.quizzes)) {
    quizzes[slug] = pick(mine.quizzes[slug] ?? {}, answers);
  }
  return {
    version: PROGRESS_VERSION,
    lessons: pick(mine.lessons, stored.lessons),
    labs: pick(mine.labs, stored.labs),
    quizzes,
  };
}

/** The page-wide store. Import it anywhere in the browser: `import { progress } from '.../store.ts'`. */
export const progress: ProgressStore = createProgressStore();

/** Convenience re-exports so callers can write `markLesson(...)` as in the team contract. */
export const markLesson: ProgressStore['markLesson'] = (slug, s) => progress.markLesson(slug, s);
export const saveLabCode: ProgressStore['saveLabCode'] = (id, code) =>
  progress.saveLabCode(id, code);
export const getLabCode: ProgressStore['getLabCode'] = (id) => progress.getLabCode(id);
export const markLab: ProgressStore['markLab'] = (id, r) => progress.markLab(id, r);
export const markVisiblePassed: ProgressStore['markVisiblePassed'] = (id) =>
  progress.markVisiblePassed(id);
export const revealHints: ProgressStore['revealHints'] = (id, n) => progress.revealHints(id, n);
export const recordQuiz: ProgressStore['recordQuiz'] = (slug, q, c) =>
  progress.recordQuiz(slug, q, c);
