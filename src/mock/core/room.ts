/**
 * The room: defaults that apply to every request that names no scenario of its own (`streamlab mock
 * --scenario rate-limited --knobs fail_attempts=2`), and the instructor's control endpoint that changes
 * them while the workshop runs:
 *
 *   GET  /control/room                       the room's scenario and knobs
 *   POST /control/room  {"scenario": "rate-limited", "knobs": "fail_attempts=2"}
 *
 * Both need `authorization: Bearer <token>` (or `x-streamlab-token`), the token the host prints at
 * start-up; without a token configured the endpoint answers 404, so a mock in a lab has none.
 */
import { KnobError, parseKnobOverrides, splitKnobList, type Knobs } from './knobs.ts';
import { getScenario, SCENARIO_NAMES, type ScenarioName } from './scenarios/index.ts';

export interface RoomDefaults {
  scenario: ScenarioName;
  /** The room's knob overrides as given (`k=v,...`), applied under every request's own. */
  knobs: string;
}

export interface Room {
  get(): RoomDefaults & { knobValues: Partial<Knobs> };
  /** Sets the defaults; throws `RoomError` (a 400) on an unknown scenario or a bad knob. */
  set(next: Partial<RoomDefaults>): RoomDefaults & { knobValues: Partial<Knobs> };
}

export class RoomError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

/** Parses and checks room defaults (also what the CLI calls on `--scenario` and `--knobs`). */
export function parseRoomDefaults(input: Partial<RoomDefaults>): {
  scenario: ScenarioName;
  knobs: string;
  knobValues: Partial<Knobs>;
} {
  const scenario = input.scenario ?? 'default';
  if (!getScenario(scenario))
    throw new RoomError(
      400,
      `unknown scenario '${scenario}' (known: ${SCENARIO_NAMES.join(', ')})`,
    );
  const knobs = input.knobs ?? '';
  try {
    return { scenario, knobs, knobValues: parseKnobOverrides(splitKnobList(knobs)) };
  } catch (error) {
    if (error instanceof KnobError) throw new RoomError(400, error.message);
    throw error;
  }
}

export function createRoom(initial: Partial<RoomDefaults> = {}): Room {
  let current = parseRoomDefaults(initial);
  return {
    get: () => ({ ...current }),
    set(next) {
      current = parseRoomDefaults({
        scenario: next.scenario ?? current.scenario,
        knobs: next.knobs ?? current.knobs,
      });
      return { ...current };
    },
  };
}

/** Compares two strings in time that depends on their lengths only. */
function sameToken(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a.charCodeAt(i) ^ b.charCodeAt(i);
  return diff === 0;
}

const jsonResponse = (body: unknown, status = 200): Response =>
  new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json', 'cache-control': 'no-store' },
  });

/** Answers `/control/room`. `token` undefined: control is off (404). */
export async function handleControl(
  request: Request,
  room: Room,
  token: string | undefined,
): Promise<Response> {
  const url = new URL(request.url);
  const error = (status: number, message: string): Response =>
    jsonResponse({ error: { message, type: 'control_error' } }, status);
  if (token === undefined || url.pathname.replace(/\/+$/, '') !== '/control/room')
    return error(404, `Not found: ${url.pathname} (the control endpoint is /control/room).`);
  const given =
    request.headers.get('x-streamlab-token') ??
    request.headers.get('authorization')?.replace(/^Bearer\s+/i, '') ??
    '';
  if (!sameToken(given, token))
    return error(
      401,
      'The control endpoint needs the token printed when the mock started: authorization: Bearer <token>.',
    );
  const method = request.method.toUpperCase();
  if (method === 'GET') return jsonResponse(room.get());
  if (method !== 'POST') {
    const res = error(405, `Method ${method} not allowed on /control/room; use GET or POST.`);
    res.headers.set('allow', 'GET, POST');
    return res;
  }
  let body: unknown;
  try {
    body = JSON.parse(await request.text());
  } catch {
    return error(400, 'The body must be JSON: {"scenario": "<name>", "knobs": "k=v,..."}.');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body))
    return error(
      400,
      'The body must be a JSON object: {"scenario": "<name>", "knobs": "k=v,..."}.',
    );
  const { scenario, knobs } = body as { scenario?: unknown; knobs?: unknown };
  if (scenario !== undefined && typeof scenario !== 'string')
    return error(400, "'scenario' must be a scenario name.");
  if (knobs !== undefined && typeof knobs !== 'string')
    return error(400, "'knobs' must be a string like \"ttft_ms=0,tps=200\" ('' clears them).");
  try {
    const set = room.set({ scenario: scenario as ScenarioName | undefined, knobs });
    return jsonResponse(set);
  } catch (e) {
    if (e instanceof RoomError) return error(e.status, e.message);
    throw e;
  }
}
