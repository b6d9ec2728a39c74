import { describe, expect, it } from 'vitest';
import { boostFromSortText } from './extensions.ts';

describe('boostFromSortText', () => {
  it('ranks lower TypeScript sort keys higher, within CodeMirror bounds', () => {
    expect(boostFromSortText('11')).toBeGreaterThan(boostFromSortText('15'));
    expect(boostFromSortText('0')).toBeLessThanOrEqual(99);
    expect(boostFromSortText('999')).toBe(-99);
    expect(boostFromSortText('zz')).toBe(0);
  });
});
