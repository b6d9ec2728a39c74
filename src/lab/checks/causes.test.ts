import { describe, expect, it } from 'vitest';
import { createCauseSharer } from './causes.ts';

describe('createCauseSharer', () => {
  it('gives a likely cause once and points later checks back to the first', () => {
    const share = createCauseSharer();
    const cause = 'Likely cause: the time was divided by 1000.';
    expect(share('Measures TTFT', `your TTFT is 0.3 ms. ${cause}`)).toBe(
      `your TTFT is 0.3 ms. ${cause}`,
    );
    expect(share('Sees a slow first token', `your TTFT is 0.5 ms. ${cause}`)).toBe(
      'your TTFT is 0.5 ms. Likely cause: the same as for “Measures TTFT” above.',
    );
    expect(share('Other', 'x. Likely cause: something else')).toBe(
      'x. Likely cause: something else',
    );
    expect(share('No cause', 'plain message')).toBe('plain message');
  });
});
