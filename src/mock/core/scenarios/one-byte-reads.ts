import type { Scenario } from './scenario.ts';

/** The extreme case of fragmentation: every read is one byte. */
export const oneByteReads: Scenario = {
  name: 'one-byte-reads',
  description: 'Same text as default, delivered one byte per read.',
  knobs: { max_read_bytes: 1 },
  reply: 'default',
};
