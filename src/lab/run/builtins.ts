/**
 * The libraries lab code can import, pre-bundled into the sandbox (the browser worker bundle and the Node
 * grader's thread import this same file, so both offer exactly the same modules). Kept to what labs need:
 * the two provider SDKs, eventsource-parser (the library the course recommends once learners have written a
 * parser by hand), and the check API for `checks.ts`.
 */
import * as anthropic from '@anthropic-ai/sdk';
import * as eventsourceParser from 'eventsource-parser';
import * as openai from 'openai';
import * as checksApi from '../checks/index.ts';

/** An ES module namespace as CommonJS exports, marked so sucrase's `import X from` finds `.default`. */
const asCommonJs = (namespace: object): Record<string, unknown> => ({
  ...namespace,
  __esModule: true,
});

export const builtins: Record<string, unknown> = {
  openai: asCommonJs(openai),
  '@anthropic-ai/sdk': asCommonJs(anthropic),
  'eventsource-parser': asCommonJs(eventsourceParser),
  'streamlab:lab': asCommonJs(checksApi),
};
