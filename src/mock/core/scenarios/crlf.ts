import type { Scenario } from './scenario.ts';

/** CRLF line endings, which the SSE spec allows and naive `split('\n\n')` parsers miss. */
export const crlf: Scenario = {
  name: 'crlf',
  description: 'Same text as default, every line ending is CRLF (\\r\\n).',
  knobs: { crlf: 1 },
  reply: 'default',
};
