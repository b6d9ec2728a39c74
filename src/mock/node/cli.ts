/**
 * `streamlab mock` / `npm run mock`: runs the mock server in Node. Loopback by default; `--host 0.0.0.0`
 * for a workshop LAN (the URLs to share are printed). One log line per request. SIGINT/SIGTERM closes
 * in-flight streams and exits with 0.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import { handableUrls, type HandableUrl } from '../../node/lan.ts';
import {
  createMockHandler,
  DEFAULT_KNOBS,
  KNOB_DOCS,
  KNOB_NAMES,
  createRoom,
  listScenarios,
  type ScenarioName,
} from '../core/index.ts';
import { formatLog, formatLogJson, formatRejection, type LogFormat } from './log.ts';
import { serveMock } from './serve.ts';

/** The `--help` text: routes, scenarios, knobs, runs and SDK base URLs. */
export function helpText(): string {
  const scenarios = listScenarios()
    .map((s) => `  ${s.name.padEnd(18)}${s.description}`)
    .join('\n');
  const knobs = KNOB_NAMES.map(
    (k) => `  ${k.padEnd(18)}${KNOB_DOCS[k]} (default ${DEFAULT_KNOBS[k]})`,
  ).join('\n');
  return `Usage: streamlab mock [--port 8787] [--host 127.0.0.1] [--scenario NAME] [--knobs k=v,...]
                     [--log text|json] [--token T] [--seed N] [--quiet]

A mock OpenAI / Anthropic streaming server: deterministic answers, hostile networks on purpose.
Any API key is accepted.

Options:
  --port N      port to listen on (default 8787; 0 = any free port)
  --host H      address to bind (default 127.0.0.1; 0.0.0.0 to share on a LAN)
  --scenario S  the room's scenario for every request whose URL names none (default: default)
  --knobs K     the room's knob overrides, e.g. ttft_ms=2000,fail_attempts=2 (requests still override)
  --log F       text (default) or json: one line per request
  --token T     the control token (default: a random one, printed at start)
  --seed N      vary all replies (still deterministic)
  --quiet       no per-request log lines
  -h, --help    this text

Control (the instructor; needs the token printed at start):
  GET  /control/room                 the room's scenario and knobs
  POST /control/room                 {"scenario": "rate-limited", "knobs": "fail_attempts=2"}
       -H 'authorization: Bearer <token>'

Routes:
  POST /v1/chat/completions   OpenAI Chat Completions (stream or JSON)
  POST /v1/responses          OpenAI Responses (stream or JSON)
  POST /v1/messages           Anthropic Messages (stream or JSON)
  GET  /v1/models             model list (Anthropic shape with an anthropic-version header)
  POST /v1/files, /v1/batches OpenAI Files + Batch API (JSONL in, output/error files out)
  POST /v1/messages/batches   Anthropic Message Batches (results as JSONL when ended)
                              batches finish after batch_ms (default 2000), results shuffled
  GET  /scenarios             scenarios and knobs as JSON

Scenarios (prefix any route with /scenarios/<name>; plain /v1/... is "default"):
${scenarios}

Knobs (override per request; later wins):
  path segment before /v1:  /scenarios/fast/knobs/ttft_ms=0,tps=200/v1/...
  header:                   x-streamlab-knobs: ttft_ms=0,tps=200
  query on the final URL:   /v1/chat/completions?ttft_ms=0&tps=200
${knobs}

Runs (rate-limited, server-error, overloaded with before_stream=1 fail first, then succeed):
  attempts are counted per run: header x-streamlab-run: <id> or path /run/<id> before /v1.
  Without one, a run is "this exact request body from this client address", forgotten after its success (or 60 s),
  so both an SDK's automatic retry and your own retry loop see the failure, then the success.

SDK base URLs (host and port as printed at start):
  openai:             new OpenAI({ baseURL: 'http://127.0.0.1:8787/scenarios/<name>/v1', apiKey: 'x' })
  @anthropic-ai/sdk:  new Anthropic({ baseURL: 'http://127.0.0.1:8787/scenarios/<name>', apiKey: 'x' })
  @ai-sdk/openai:     createOpenAI({ baseURL: 'http://127.0.0.1:8787/v1', apiKey: 'x' })
  @ai-sdk/anthropic:  createAnthropic({ baseURL: 'http://127.0.0.1:8787/v1', apiKey: 'x' })
  curl:               curl -N http://127.0.0.1:8787/v1/chat/completions -H 'content-type: application/json' \\
                        -d '{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"Hi"}]}'
`;
}

export { formatLog };

export async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string', default: '8787' },
        host: { type: 'string', default: '127.0.0.1' },
        seed: { type: 'string' },
        scenario: { type: 'string', default: 'default' },
        knobs: { type: 'string', default: '' },
        log: { type: 'string', default: 'text' },
        token: { type: 'string' },
        quiet: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
    }));
  } catch (error) {
    process.stderr.write(`streamlab mock: ${(error as Error).message}\n\n${helpText()}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(helpText());
    return 0;
  }
  const fail = (message: string): number => {
    process.stderr.write(`streamlab mock: ${message}\n`);
    return 2;
  };
  const port = Number(values.port);
  if (!/^\d+$/.test(values.port) || port > 65535)
    return fail(`--port must be an integer 0-65535, got '${values.port}'`);
  const seed = values.seed === undefined ? 0 : Number(values.seed);
  if (values.seed !== undefined && !/^-?\d+$/.test(values.seed))
    return fail(`--seed must be an integer, got '${values.seed}'`);
  if (values.log !== 'text' && values.log !== 'json')
    return fail(`--log must be text or json, got '${values.log}'`);
  const format: LogFormat = values.log;
  let room;
  try {
    room = createRoom({ scenario: values.scenario as ScenarioName, knobs: values.knobs });
  } catch (error) {
    return fail(`--scenario/--knobs: ${(error as Error).message}`);
  }
  const token = values.token ?? randomBytes(12).toString('base64url');
  const write = (line: string): void => {
    if (!values.quiet) process.stdout.write(line + '\n');
  };
  const handler = createMockHandler({
    seed,
    room,
    controlToken: token,
    // A room asks the same questions: every reply gets ids of its own, as from the real APIs.
    ownIds: true,
    // Between slices of a batch's work, let timers (other learners' streams) and I/O run first.
    yieldToLoop: () => new Promise((resolve) => setImmediate(resolve)),
    onLog: (e) => write(format === 'json' ? formatLogJson(e) : formatLog(e)),
  });
  let server;
  try {
    server = await serveMock(handler, {
      port,
      host: values.host,
      onReject: (r) => write(formatRejection(r, format)),
    });
  } catch (error) {
    process.stderr.write(
      `streamlab mock: cannot listen on ${values.host}:${port}: ${(error as Error).message}\n`,
    );
    return 1;
  }
  process.stdout.write(startBanner(handableUrls(values.host, server.port), room.get(), token));
  await new Promise<void>((resolve) => {
    const stop = (signal: string): void => {
      process.stdout.write(`\n${signal}: closing in-flight streams\n`);
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      void server.close().then(resolve);
    };
    const onInt = (): void => stop('SIGINT');
    const onTerm = (): void => stop('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
  });
  return 0;
}

/** What the instructor reads at start-up: the URLs to hand out, the room's defaults, the control token. */
export function startBanner(
  urls: HandableUrl[],
  defaults: { scenario: string; knobs: string },
  token: string,
): string {
  const lines = [`streamlab mock listening on ${urls[0]!.url}`];
  for (const u of urls)
    lines.push(
      `  ${u.scope === 'local' ? 'this machine' : `hand out (${u.iface ?? 'network'})`}: ${u.url}/v1   (Anthropic: ${u.url})`,
    );
  if (!urls.some((u) => u.scope === 'share'))
    lines.push('  loopback only: add --host 0.0.0.0 to share it with the room');
  lines.push(
    `  room scenario: ${defaults.scenario}${defaults.knobs ? `   knobs: ${defaults.knobs}` : ''}`,
    `  control token: ${token}`,
    `    switch the room: curl -X POST ${urls[0]!.url}/control/room -H 'authorization: Bearer ${token}' -d '{"scenario":"rate-limited"}'`,
    `  scenarios: ${urls[0]!.url}/scenarios   (Ctrl+C to stop; --help for everything)`,
  );
  return lines.join('\n') + '\n';
}
