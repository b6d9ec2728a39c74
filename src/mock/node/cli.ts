/**
 * `streamlab mock` / `npm run mock`: runs the mock server in Node. Loopback by default; `--host 0.0.0.0`
 * for a workshop LAN (the URLs to share are printed). One log line per request. SIGINT/SIGTERM closes
 * in-flight streams and exits with 0.
 */
import { networkInterfaces } from 'node:os';
import { parseArgs } from 'node:util';
import {
  createMockHandler,
  DEFAULT_KNOBS,
  KNOB_DOCS,
  KNOB_NAMES,
  listScenarios,
  type RequestLog,
} from '../core/index.ts';
import { serveMock } from './serve.ts';

/** The `--help` text: routes, scenarios, knobs, runs and SDK base URLs. */
export function helpText(): string {
  const scenarios = listScenarios()
    .map((s) => `  ${s.name.padEnd(18)}${s.description}`)
    .join('\n');
  const knobs = KNOB_NAMES.map(
    (k) => `  ${k.padEnd(18)}${KNOB_DOCS[k]} (default ${DEFAULT_KNOBS[k]})`,
  ).join('\n');
  return `Usage: streamlab mock [--port 8787] [--host 127.0.0.1] [--seed N] [--quiet]

A mock OpenAI / Anthropic streaming server: deterministic answers, hostile networks on purpose.
Any API key is accepted.

Options:
  --port N      port to listen on (default 8787; 0 = any free port)
  --host H      address to bind (default 127.0.0.1; 0.0.0.0 to share on a LAN)
  --seed N      vary all replies (still deterministic)
  --quiet       no per-request log lines
  -h, --help    this text

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
  Without one, a run is "this exact request body", forgotten after its success (or 60 s),
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

/** Non-internal IPv4 addresses, for the "share this URL" line. */
export function lanAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((a) => a && a.family === 'IPv4' && !a.internal)
    .map((a) => a!.address);
}

export function formatLog(e: RequestLog): string {
  const parts = [
    new Date().toISOString().slice(11, 23),
    e.method.padEnd(4),
    e.path,
    `scenario=${e.scenario ?? '-'}`,
    `status=${e.status}`,
    `events=${e.events}`,
    `bytes=${e.bytes}`,
    `${Math.round(e.durationMs)}ms`,
    e.outcome,
  ];
  if (e.attempt !== undefined) parts.push(`attempt=${e.attempt}`);
  return parts.join(' ');
}

export async function main(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        port: { type: 'string', default: '8787' },
        host: { type: 'string', default: '127.0.0.1' },
        seed: { type: 'string' },
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
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(
      `streamlab mock: --port must be an integer 0-65535, got '${values.port}'\n`,
    );
    return 2;
  }
  const seed = values.seed === undefined ? 0 : Number(values.seed);
  if (!Number.isInteger(seed)) {
    process.stderr.write(`streamlab mock: --seed must be an integer, got '${values.seed}'\n`);
    return 2;
  }
  const handler = createMockHandler({
    seed,
    onLog: values.quiet ? undefined : (e) => process.stdout.write(formatLog(e) + '\n'),
  });
  let server;
  try {
    server = await serveMock(handler, { port, host: values.host });
  } catch (error) {
    process.stderr.write(
      `streamlab mock: cannot listen on ${values.host}:${port}: ${(error as Error).message}\n`,
    );
    return 1;
  }
  const shown =
    values.host === '0.0.0.0' || values.host === '::'
      ? ['127.0.0.1', ...lanAddresses()]
      : [values.host];
  process.stdout.write(`streamlab mock listening on ${server.url}\n`);
  for (const h of shown) {
    const base = `http://${h.includes(':') ? `[${h}]` : h}:${server.port}`;
    process.stdout.write(
      `  ${h === '127.0.0.1' || shown.length === 1 ? 'local' : 'share'}: ${base}   (OpenAI baseURL ${base}/v1, Anthropic baseURL ${base})\n`,
    );
  }
  process.stdout.write(
    `  scenarios: ${server.url}/scenarios   (Ctrl+C to stop; --help for everything)\n`,
  );
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
