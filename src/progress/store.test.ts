import { describe, expect, it, vi } from 'vitest';
import {
  createProgressStore,
  describeSaveProblem,
  labPassedNow,
  lessonDone,
  parseProgress,
  PROGRESS_KEY,
  PROGRESS_VERSION,
  type StorageEventSource,
  type StorageLike,
} from './store.ts';

/** An in-memory Storage whose failure modes tests can switch on. */
class FakeStorage implements StorageLike {
  data = new Map<string, string>();
  full = false;
  broken = false;
  getItem(key: string) {
    if (this.broken) throw new DOMException('blocked', 'SecurityError');
    return this.data.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    if (this.broken) throw new DOMException('blocked', 'SecurityError');
    if (this.full) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
    this.data.set(key, value);
  }
}

/** A window stand-in that can deliver `storage` events like another tab would. */
class FakeWindow implements StorageEventSource {
  listeners = new Set<(e: { key: string | null; newValue: string | null }) => void>();
  addEventListener(_: 'storage', l: (e: { key: string | null; newValue: string | null }) => void) {
    this.listeners.add(l);
  }
  removeEventListener(
    _: 'storage',
    l: (e: { key: string | null; newValue: string | null }) => void,
  ) {
    this.listeners.delete(l);
  }
  fire(key: string | null, newValue: string | null) {
    for (const l of this.listeners) l({ key, newValue });
  }
}

const make = (
  storage: StorageLike | null = new FakeStorage(),
  events: StorageEventSource | null = null,
) => {
  let t = 1000;
  return createProgressStore({ storage, events, now: () => ++t });
};

describe('progress store', () => {
  it('starts empty and records lessons, never downgrading done to visited', () => {
    const store = make();
    expect(store.get().lessons).toEqual({});
    store.markLesson('sse', 'visited');
    expect(store.get().lessons.sse?.state).toBe('visited');
    store.markLesson('sse', 'done');
    store.markLesson('sse', 'visited');
    expect(store.get().lessons.sse?.state).toBe('done');
  });

  it('persists to storage in a versioned record another store can read back', () => {
    const storage = new FakeStorage();
    const a = make(storage);
    a.markLesson('why-streaming', 'done');
    a.saveLabCode('sse-parser', 'export const x = 1;');
    a.markLab('sse-parser', { passed: false });
    a.markLab('sse-parser', { passed: true });
    a.markLab('sse-parser', { passed: false });
    a.recordQuiz('sse', 'q1', false);
    a.recordQuiz('sse', 'q1', true);
    expect(JSON.parse(storage.data.get(PROGRESS_KEY) ?? '{}').version).toBe(1);

    const b = make(storage);
    expect(b.get().lessons['why-streaming']?.state).toBe('done');
    expect(b.getLabCode('sse-parser')).toBe('export const x = 1;');
    expect(b.get().labs['sse-parser']).toMatchObject({ passed: false, passedOnce: true, runs: 3 });
    expect(b.get().quizzes.sse?.q1).toMatchObject({ correct: true, tries: 2 });
    expect(b.getLabCode('missing')).toBeUndefined();
  });

  it('keeps working in memory when storage is full, and says so', () => {
    const storage = new FakeStorage();
    storage.full = true;
    const store = make(storage);
    expect(() => store.saveLabCode('lab', 'x'.repeat(100))).not.toThrow();
    expect(store.getLabCode('lab')).toBe('x'.repeat(100));
    expect(store.persisted).toBe(false);
    storage.full = false;
    store.markLesson('a', 'visited');
    expect(store.persisted).toBe(true);
    // The write that failed earlier is not lost once storage has room again.
    expect(make(storage).getLabCode('lab')).toBe('x'.repeat(100));
  });

  it('survives storage that throws on every access, and no storage at all', () => {
    const storage = new FakeStorage();
    storage.broken = true;
    for (const store of [make(storage), make(null)]) {
      expect(() => store.markLesson('a', 'done')).not.toThrow();
      expect(store.get().lessons.a?.state).toBe('done');
    }
  });

  it.each([
    ['not JSON', '{oops'],
    ['JSON null', 'null'],
    ['an array', '[1,2]'],
    ['an older version', JSON.stringify({ version: 0, lessons: { a: { state: 'done', at: 1 } } })],
  ])('treats %s as empty progress', (_, raw) => {
    const storage = new FakeStorage();
    storage.data.set(PROGRESS_KEY, raw);
    const store = make(storage);
    expect(store.get()).toEqual({ version: 1, lessons: {}, labs: {}, quizzes: {} });
    store.markLesson('a', 'visited');
    expect(parseProgress(storage.data.get(PROGRESS_KEY) ?? null).lessons.a?.state).toBe('visited');
  });

  it('drops only the bad entries of a partly corrupted record', () => {
    const parsed = parseProgress(
      JSON.stringify({
        version: 1,
        lessons: { good: { state: 'done', at: 5 }, bad: { state: 'finished', at: 5 }, worse: 7 },
        labs: {
          ok: { code: 'c', runs: 2, at: 1 },
          nope: { code: 3 },
          negative: { runs: -4, at: 1 },
        },
        quizzes: { s: { q1: { correct: true, tries: 1, at: 1 }, q2: { correct: 'yes' } }, t: 'x' },
      }),
    );
    expect(Object.keys(parsed.lessons)).toEqual(['good']);
    expect(parsed.labs.ok).toEqual({ code: 'c', runs: 2, at: 1 });
    expect(parsed.labs.nope).toBeUndefined();
    expect(parsed.labs.negative?.runs).toBe(0);
    expect(Object.keys(parsed.quizzes.s ?? {})).toEqual(['q1']);
    expect(parsed.quizzes.t).toBeUndefined();
  });

  it('notifies subscribers, stops after unsubscribe, and isolates a throwing subscriber', () => {
    const store = make();
    const seen: string[] = [];
    const bad = vi.fn(() => {
      throw new Error('subscriber bug');
    });
    const errors: unknown[] = [];
    const originalQueue = globalThis.queueMicrotask;
    globalThis.queueMicrotask = (cb) => {
      try {
        cb();
      } catch (e) {
        errors.push(e);
      }
    };
    try {
      store.subscribe(bad);
      const off = store.subscribe((s) => seen.push(Object.keys(s.lessons).join(',')));
      store.markLesson('a', 'visited');
      off();
      store.markLesson('b', 'visited');
      expect(seen).toEqual(['a']);
      expect(bad).toHaveBeenCalledTimes(2);
      expect(errors).toHaveLength(2);
    } finally {
      globalThis.queueMicrotask = originalQueue;
    }
  });

  it('syncs from other tabs through the storage event, and ignores other keys', () => {
    const storage = new FakeStorage();
    const win = new FakeWindow();
    const here = make(storage, win);
    const other = make(storage);
    const seen: number[] = [];
    const off = here.subscribe((s) => seen.push(Object.keys(s.lessons).length));
    expect(win.listeners.size).toBe(1);

    other.markLesson('x', 'done');
    win.fire(PROGRESS_KEY, storage.data.get(PROGRESS_KEY) ?? null);
    expect(here.get().lessons.x?.state).toBe('done');

    win.fire('someone-else', 'garbage');
    expect(seen).toEqual([1]);

    win.fire(null, null); // another tab cleared localStorage
    expect(here.get().lessons).toEqual({});
    off();
    expect(win.listeners.size).toBe(0);
  });

  it('does not lose another tab’s write that has not raised its event yet', () => {
    const storage = new FakeStorage();
    const a = make(storage);
    const b = make(storage);
    a.markLesson('one', 'done');
    b.markLesson('two', 'done');
    expect(Object.keys(make(storage).get().lessons).sort()).toEqual(['one', 'two']);
  });

  it('rejects an invalid lesson state with a clear error', () => {
    const store = make();
    // @ts-expect-error: testing a caller outside TypeScript
    expect(() => store.markLesson('a', 'finished')).toThrow(/'visited' or 'done'.*finished/);
  });

  it('reset forgets everything', () => {
    const storage = new FakeStorage();
    const store = make(storage);
    store.markLesson('a', 'done');
    store.reset();
    expect(make(storage).get().lessons).toEqual({});
  });
});

describe('revealed hints', () => {
  it('only grow, persist, survive a reload and are cleared by reset', () => {
    const storage = new FakeStorage();
    const store = createProgressStore({ storage, events: null, now: () => 5 });
    store.revealHints('sse-reader', 2);
    store.revealHints('sse-reader', 1);
    expect(store.get().labs['sse-reader']?.hints).toBe(2);
    expect(() => store.revealHints('sse-reader', -1)).toThrow(/non-negative integer/);
    const reloaded = createProgressStore({ storage, events: null });
    expect(reloaded.get().labs['sse-reader']?.hints).toBe(2);
    reloaded.reset();
    expect(reloaded.get().labs['sse-reader']).toBeUndefined();
  });

  it('a visible pass is kept for good: it survives a reload and a later failing run', () => {
    const storage = new FakeStorage();
    const store = createProgressStore({ storage, events: null, now: () => 5 });
    store.saveLabCode('sse-reader', 'export const x = 1;');
    store.markVisiblePassed('sse-reader');
    store.markLab('sse-reader', { passed: false });
    const reloaded = createProgressStore({ storage, events: null });
    expect(reloaded.get().labs['sse-reader']).toMatchObject({
      visiblePassed: true,
      code: 'export const x = 1;',
      passed: false,
    });
  });

  it('a bad stored count is dropped, the rest of the lab kept', () => {
    const raw = JSON.stringify({
      version: 1,
      lessons: {},
      labs: { a: { runs: 1, at: 1, hints: 'two', code: 'x' }, b: { runs: 0, at: 1, hints: 1.5 } },
      quizzes: {},
    });
    const state = parseProgress(raw);
    expect(state.labs.a).toEqual({ runs: 1, at: 1, code: 'x' });
    expect(state.labs.b).toEqual({ runs: 0, at: 1 });
  });
});

describe('progress that means passed', () => {
  it('a pass counts for the code it ran; an edit turns it into history', () => {
    const store = createProgressStore({ storage: new FakeStorage(), events: null, now: () => 5 });
    store.saveLabCode('a', 'v1');
    store.markLab('a', { passed: true, code: 'v1' });
    expect(labPassedNow(store.get().labs.a)).toBe(true);
    expect(store.get().labs.a?.passedAt).toBe(5);
    store.saveLabCode('a', 'v2');
    expect(labPassedNow(store.get().labs.a)).toBe(false);
    expect(store.get().labs.a?.passedOnce).toBe(true);
    store.saveLabCode('a', 'v1');
    expect(labPassedNow(store.get().labs.a)).toBe(true);
    store.markLab('a', { passed: false, code: 'v1' });
    expect(labPassedNow(store.get().labs.a)).toBe(false);
    expect(store.get().labs.a?.passedAt).toBe(5);
  });

  it('a lesson with labs is done only when every one of them passes now', () => {
    const store = createProgressStore({ storage: null, events: null });
    store.markLab('one', { passed: true, code: 'x' });
    expect(lessonDone(store.get(), 'l', ['one', 'two'])).toBe(false);
    store.markLab('two', { passed: true, code: 'y' });
    expect(lessonDone(store.get(), 'l', ['one', 'two'])).toBe(true);
    store.saveLabCode('two', 'y changed');
    expect(lessonDone(store.get(), 'l', ['one', 'two'])).toBe(false);
    expect(lessonDone(store.get(), 'plain', [])).toBe(false);
    store.markLesson('plain', 'done');
    expect(lessonDone(store.get(), 'plain', [])).toBe(true);
  });

  it('says when a save failed because storage is full, and clears it once a save works', () => {
    const storage = new FakeStorage();
    const store = createProgressStore({ storage, events: null });
    store.saveLabCode('a', 'ok');
    expect(store.saveProblem).toBeUndefined();
    storage.full = true;
    store.saveLabCode('a', 'lost?');
    expect(store.saveProblem).toBe('full');
    expect(describeSaveProblem('full')).toBe(
      "Progress could not be saved: this browser's storage is full.",
    );
    expect(store.getLabCode('a')).toBe('lost?');
    storage.full = false;
    store.saveLabCode('a', 'saved');
    expect(store.saveProblem).toBeUndefined();
  });

  it('keeps progress written by a newer version of the site, never overwriting it', () => {
    const storage = new FakeStorage();
    const newer = JSON.stringify({ version: PROGRESS_VERSION + 1, lessons: { x: 'future shape' } });
    storage.data.set(PROGRESS_KEY, newer);
    const store = createProgressStore({ storage, events: null });
    expect(store.saveProblem).toBe('newer');
    store.markLesson('a', 'visited');
    store.markLab('lab', { passed: true, code: 'c' });
    expect(storage.data.get(PROGRESS_KEY)).toBe(newer);
    expect(store.get().lessons.a?.state).toBe('visited');
    expect(describeSaveProblem('newer')).toMatch(/newer version of this site; it is kept/);
  });
});
