import { crlf } from './crlf.ts';
import { defaultScenario } from './default.ts';
import { disconnect } from './disconnect.ts';
import { fast } from './fast.ts';
import { fragmented } from './fragmented.ts';
import { heartbeats } from './heartbeats.ts';
import { long } from './long.ts';
import { malformed } from './malformed.ts';
import { oneByteReads } from './one-byte-reads.ts';
import { overloaded } from './overloaded.ts';
import { rateLimited } from './rate-limited.ts';
import { redactedThinking } from './redacted-thinking.ts';
import { refusal } from './refusal.ts';
import type { Scenario } from './scenario.ts';
import { serverError } from './server-error.ts';
import { slowFirstToken } from './slow-first-token.ts';
import { stall } from './stall.ts';
import { unicode } from './unicode.ts';
import { DEFAULT_KNOBS, type Knobs } from '../knobs.ts';

export type { Fault, ReplyKind, Scenario } from './scenario.ts';

/** Names of the built-in scenarios, in listing order. Lab and timeline code key on these. */
export const SCENARIO_NAMES = [
  'default',
  'slow-first-token',
  'fast',
  'long',
  'fragmented',
  'one-byte-reads',
  'crlf',
  'heartbeats',
  'unicode',
  'disconnect',
  'stall',
  'rate-limited',
  'server-error',
  'overloaded',
  'malformed',
  'refusal',
  'redacted-thinking',
] as const;

/** A built-in scenario name. */
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

const registry: Record<ScenarioName, Scenario> = {
  default: defaultScenario,
  'slow-first-token': slowFirstToken,
  fast,
  long,
  fragmented,
  'one-byte-reads': oneByteReads,
  crlf,
  heartbeats,
  unicode,
  disconnect,
  stall,
  'rate-limited': rateLimited,
  'server-error': serverError,
  overloaded,
  malformed,
  refusal,
  'redacted-thinking': redactedThinking,
};

/** True when `name` is a built-in scenario. */
export const isScenarioName = (name: string): name is ScenarioName => Object.hasOwn(registry, name);

/** The scenario called `name`, or undefined. */
export function getScenario(name: string): Scenario | undefined {
  return isScenarioName(name) ? registry[name] : undefined;
}

/** One row of `GET /scenarios`. */
export interface ScenarioInfo {
  name: ScenarioName;
  description: string;
  /** Effective knob values (defaults merged with the scenario's own). */
  knobs: Knobs;
  /** Fail-then-succeed and mid-stream faults, if any. */
  fault: Scenario['fault'] | null;
}

/** Every built-in scenario with its effective knobs, in listing order. */
export function listScenarios(): ScenarioInfo[] {
  return SCENARIO_NAMES.map((name) => {
    const s = registry[name];
    return {
      name,
      description: s.description,
      knobs: { ...DEFAULT_KNOBS, ...s.knobs },
      fault: s.fault ?? null,
    };
  });
}
