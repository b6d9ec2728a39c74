import { describe, expect, it } from 'vitest';
import {
  createPresenterStore,
  initialKnobs,
  knobsText,
  PRESENT_KEY,
  presentFromSearch,
} from './state.ts';
import { knobsRun } from './request.ts';
import { presenterKey, stepStop } from './sections.ts';

function memoryStorage(): Storage {
  const map = new Map<string, string>();
  return {
    getItem: (k) => map.get(k) ?? null,
    setItem: (k, v) => void map.set(k, v),
    removeItem: (k) => void map.delete(k),
    clear: () => map.clear(),
    key: (i) => [...map.keys()][i] ?? null,
    get length() {
      return map.size;
    },
  };
}

describe('presenter mode state', () => {
  it('?present turns it on and is remembered; ?present=0 turns it off; the toggle is remembered', () => {
    expect(presentFromSearch('')).toBeUndefined();
    expect(presentFromSearch('?present')).toBe(true);
    expect(presentFromSearch('?a=1&present=1')).toBe(true);
    expect(presentFromSearch('?present=0')).toBe(false);
    const storage = memoryStorage();
    expect(createPresenterStore(storage, '').get().on).toBe(false);
    expect(createPresenterStore(storage, '?present').get().on).toBe(true);
    const later = createPresenterStore(storage, '');
    expect(later.get().on).toBe(true);
    later.setOn(false);
    expect(storage.getItem(PRESENT_KEY)).toBe('0');
    expect(createPresenterStore(storage, '').get().on).toBe(false);
    expect(createPresenterStore(storage, '?present=0').get().on).toBe(false);
  });

  it('works with storage blocked', () => {
    const blocked = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('SecurityError');
      },
    } as unknown as Storage;
    const store = createPresenterStore(blocked, '?present');
    expect(store.get().on).toBe(true);
    store.setOn(false);
    expect(store.get().on).toBe(false);
  });

  it('keeps knobs per lab, starting from the lab scenario, and tells subscribers', () => {
    const store = createPresenterStore(undefined, '');
    let calls = 0;
    store.subscribe(() => calls++);
    expect(initialKnobs('fragmented')).toMatchObject({
      fault: '',
      max_read_bytes: 24,
      ttft_ms: 250,
    });
    store.setKnobs('sse-reader', { ...initialKnobs('default'), ttft_ms: 900 });
    expect(store.get().knobs['sse-reader']?.ttft_ms).toBe(900);
    expect(store.get().knobs['tool-calls']).toBeUndefined();
    store.resetKnobs('sse-reader');
    expect(store.get().knobs).toEqual({});
    expect(calls).toBe(2);
  });

  it('a knobs run: the fault or the lab scenario, the numbers as the mock reads them, a limit that grows with them', () => {
    const definition = { scenarios: ['default', 'fragmented'], timeLimitMs: 5000 };
    const base = knobsRun(definition, initialKnobs('default'));
    expect(base).toMatchObject({
      scenario: 'default',
      knobs: 'ttft_ms=250,tps=50,jitter_ms=0,max_read_bytes=0',
    });
    const slow = knobsRun(definition, {
      ...initialKnobs('default'),
      ttft_ms: 4000,
      fault: 'stall',
    });
    expect(slow.scenario).toBe('stall');
    expect(slow.timeLimitMs).toBeGreaterThan(base.timeLimitMs + 2 * 3750);
    expect(knobsText({ fault: '', ttft_ms: 1.4, tps: 20, jitter_ms: 5, max_read_bytes: 1 })).toBe(
      'ttft_ms=1,tps=20,jitter_ms=5,max_read_bytes=1',
    );
  });
});

describe('presenter stepping', () => {
  const tops = [0, 400, 900, 2000];
  it('moves to the next or previous stop from where the page is, and stops at the ends', () => {
    expect(stepStop(tops, 0, 1)).toBe(1);
    expect(stepStop(tops, 403, 1)).toBe(2);
    expect(stepStop(tops, 650, 1)).toBe(2);
    expect(stepStop(tops, 650, -1)).toBe(1);
    expect(stepStop(tops, 898, -1)).toBe(1);
    expect(stepStop(tops, 2000, 1)).toBeUndefined();
    expect(stepStop(tops, 0, -1)).toBeUndefined();
  });

  it('steps with ] and PageDown, back with [ and PageUp, and leaves modified keys alone', () => {
    const key = (
      k: string,
      mods: Partial<Record<'ctrlKey' | 'metaKey' | 'altKey', boolean>> = {},
    ) => presenterKey({ key: k, ctrlKey: false, metaKey: false, altKey: false, ...mods });
    expect(key(']')).toBe(1);
    expect(key('PageDown')).toBe(1);
    expect(key('[')).toBe(-1);
    expect(key('PageUp')).toBe(-1);
    expect(key('PageDown', { ctrlKey: true })).toBeUndefined();
    expect(key('a')).toBeUndefined();
  });
});
