import { describe, expect, it } from 'vitest';
import { findLocations, formatLocation, offsetAt, wordEnd } from './position.ts';

describe('formatLocation', () => {
  it('prints file:line:column', () => {
    expect(formatLocation({ file: 'sse-reader.ts', line: 12, column: 5 })).toBe(
      'sse-reader.ts:12:5',
    );
  });
});

describe('findLocations', () => {
  it('finds references to the learner file in a stack trace', () => {
    const text =
      'TypeError: x is undefined\n    at readEvents (sse-reader.ts:12:5)\n    at driver.ts:3:1';
    const found = findLocations(text, 'sse-reader.ts');
    expect(found).toHaveLength(1);
    expect(found[0]!.location).toEqual({ file: 'sse-reader.ts', line: 12, column: 5 });
    expect(text.slice(found[0]!.start, found[0]!.end)).toBe('sse-reader.ts:12:5');
  });

  it('does not match a longer file name that ends the same way', () => {
    expect(findLocations('at my-sse-reader.ts:1:1', 'sse-reader.ts')).toEqual([]);
    expect(findLocations('at labs/x/sse-reader.ts:1:1', 'sse-reader.ts')).toEqual([]);
  });

  it('treats the file name literally, not as a pattern', () => {
    expect(findLocations('aXts:1:1', 'a.ts')).toEqual([]);
  });
});

describe('offsetAt', () => {
  const text = 'ab\ncdef\n\ng';
  it('maps 1-based line and column to an offset', () => {
    expect(offsetAt(text, 1, 1)).toBe(0);
    expect(offsetAt(text, 2, 3)).toBe(5);
    expect(offsetAt(text, 4, 1)).toBe(9);
  });
  it('clamps positions past the end of a line or the document', () => {
    expect(offsetAt(text, 1, 99)).toBe(2);
    expect(offsetAt(text, 99, 1)).toBe(9);
    expect(offsetAt(text, 0, 0)).toBe(0);
  });
});

describe('wordEnd', () => {
  it('spans the identifier at the offset', () => {
    expect(wordEnd('foo.bar()', 4)).toBe(7);
  });
  it('spans one character when no identifier starts there', () => {
    expect(wordEnd('foo.bar()', 3)).toBe(4);
  });
});
