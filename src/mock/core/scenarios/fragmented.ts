import type { Scenario } from './scenario.ts';

/** The network's favourite trick: reads that end anywhere. */
export const fragmented: Scenario = {
  name: 'fragmented',
  description:
    'Same text as default, but bytes arrive in seeded random reads of 1-24 bytes that split events, lines, CRLF pairs and UTF-8 characters.',
  knobs: { max_read_bytes: 24, crlf: 1, read_gap_ms: 1 },
  reply: 'default',
};
