import type { Scenario } from './scenario.ts';

/** Multi-byte text: the usual victim of per-chunk UTF-8 decoding. */
export const unicode: Scenario = {
  name: 'unicode',
  description:
    'An answer in mixed scripts (CJK, emoji with ZWJ sequences and skin tones, combining marks, RTL text), in reads of 1-7 bytes that split characters.',
  knobs: { max_read_bytes: 7 },
  reply: 'unicode',
};
