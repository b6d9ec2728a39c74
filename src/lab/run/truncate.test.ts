import { describe, expect, it } from 'vitest';
import { truncateText } from './truncate.ts';

describe('truncateText', () => {
  it('keeps a text that fits, and cuts a longer one with a note of what was left out', () => {
    expect(truncateText('short', 5)).toBe('short');
    expect(truncateText('abcdef', 5)).toBe('abcde… truncated, 1 more character');
    expect(truncateText('x'.repeat(12_345), 10)).toBe(
      `${'x'.repeat(10)}… truncated, 12,335 more characters`,
    );
  });
});
