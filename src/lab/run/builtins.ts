/**
 * The libraries lab code can import, bundled into the sandbox (the browser worker bundle and the Node
 * grader's thread import this same file, so both offer exactly the same modules). Kept to what lessons show
 * (the list is `imports.ts`): the two provider SDKs, eventsource-parser (the library the course recommends
 * once learners have written a parser by hand), zod with the SDKs' structured-output helpers, and the check
 * API for `checks.ts`.
 *
 * Each is a loader, awaited only when a run's code imports it: the SDKs are two thirds of the worker
 * bundle, and evaluating them costs a cold Run several hundred milliseconds that a lab which never
 * imports them should not pay.
 */
import * as checksApi from '../checks/index.ts';
import type { LabModule } from './imports.ts';

/** An ES module namespace as CommonJS exports, marked so sucrase's `import X from` finds `.default`. */
const asCommonJs = (namespace: object): Record<string, unknown> => ({
  ...namespace,
  __esModule: true,
});

/**
 * `process.env` as lab code sees it. Read by bracket access on purpose: a Vite build replaces the literal
 * expression `globalThis.process.env` with `{}` in bundled code — the SDKs' own env lookup included — so
 * in the browser the SDKs cannot see the mock's base URLs and keys by themselves.
 */
function labEnv(): Record<string, string | undefined> {
  const proc = (globalThis as Record<string, unknown>)['process'] as
    { env?: Record<string, string | undefined> } | undefined;
  return proc?.env ?? {};
}

type ClientClass = new (options?: Record<string, unknown>) => object;

/**
 * The SDK's client class with `apiKey` and `baseURL` defaulting to `process.env`, as in Node, and browser
 * use allowed, so `new OpenAI()` reaches the mock unchanged in the browser too (learners never have to
 * write `dangerouslyAllowBrowser`). Options the learner passes win.
 */
function withEnvDefaults(Client: ClientClass, keyVar: string, urlVar: string): ClientClass {
  const Lab = class extends Client {
    constructor(options: Record<string, unknown> = {}) {
      const env = labEnv();
      const defaults: Record<string, unknown> = {};
      if (options.apiKey === undefined && env[keyVar] !== undefined) defaults.apiKey = env[keyVar];
      if (options.baseURL === undefined && env[urlVar] !== undefined)
        defaults.baseURL = env[urlVar];
      // openai v7 also refuses to run in a browser *worker* without this. In the lab the key is a dummy
      // for the mock, inside a sandbox that cannot reach the network: there is nothing to expose.
      if (options.dangerouslyAllowBrowser === undefined) defaults.dangerouslyAllowBrowser = true;
      super({ ...options, ...defaults });
    }
  };
  Object.defineProperty(Lab, 'name', { value: Client.name });
  return Lab;
}

async function loadOpenAI(): Promise<Record<string, unknown>> {
  const sdk = asCommonJs(await import('openai'));
  const OpenAI = withEnvDefaults(sdk.OpenAI as ClientClass, 'OPENAI_API_KEY', 'OPENAI_BASE_URL');
  return { ...sdk, default: OpenAI, OpenAI };
}

async function loadAnthropic(): Promise<Record<string, unknown>> {
  const sdk = asCommonJs(await import('@anthropic-ai/sdk'));
  const Anthropic = withEnvDefaults(
    sdk.Anthropic as ClientClass,
    'ANTHROPIC_API_KEY',
    'ANTHROPIC_BASE_URL',
  );
  return { ...sdk, default: Anthropic, Anthropic };
}

export const builtins: Record<string, () => Promise<unknown>> = {
  openai: loadOpenAI,
  '@anthropic-ai/sdk': loadAnthropic,
  'eventsource-parser': () => import('eventsource-parser').then(asCommonJs),
  'eventsource-parser/stream': () => import('eventsource-parser/stream').then(asCommonJs),
  zod: () => import('zod').then(asCommonJs),
  'openai/helpers/zod': () => import('openai/helpers/zod').then(asCommonJs),
  '@anthropic-ai/sdk/helpers/zod': () => import('@anthropic-ai/sdk/helpers/zod').then(asCommonJs),
  'streamlab:lab': () => Promise.resolve(asCommonJs(checksApi)),
} satisfies Record<LabModule | 'streamlab:lab', () => Promise<unknown>>;
