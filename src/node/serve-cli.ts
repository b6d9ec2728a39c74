/**
 * `streamlab serve [dir] [--base /course/] [--port 4321] [--host 127.0.0.1]`: serves a built site as
 * plain static files, the way any static host would. See static-server.ts.
 */
import { parseArgs } from 'node:util';
import { handableUrls, type HandableUrl } from './lan.ts';
import { normalizeBase, startStaticServer } from './static-server.ts';

const HELP = `Usage: streamlab serve [dir] [options]

Serve a built site (default: dist) as plain static files.

Options:
  --base <path>   URL prefix the site was built for (BASE_PATH), e.g. /course/ (default: /)
  --port <n>      Port to listen on (default: 4321; 0 picks a free port)
  --host <addr>   Interface to bind (default: 127.0.0.1; 0.0.0.0 shares it on the LAN and prints
                  the URLs to hand out)
  -h, --help      Show this help
`;

/** Runs the command; resolves with the exit code once the server stops (SIGINT/SIGTERM). */
export async function main(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        base: { type: 'string', default: process.env.BASE_PATH ?? '/' },
        port: { type: 'string', default: '4321' },
        host: { type: 'string', default: '127.0.0.1' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    process.stderr.write(`streamlab serve: ${(error as Error).message}\n\n${HELP}`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  if (positionals.length > 1) {
    process.stderr.write(
      `streamlab serve: expected one folder, got ${positionals.join(' ')}\n\n${HELP}`,
    );
    return 2;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(
      `streamlab serve: --port must be an integer 0-65535, got '${values.port}'\n`,
    );
    return 2;
  }
  let running;
  try {
    running = await startStaticServer({
      root: positionals[0] ?? 'dist',
      base: values.base,
      port,
      host: values.host,
    });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n`);
    return 1;
  }
  process.stdout.write(startMessage(positionals[0] ?? 'dist', values.host, running));
  const warning = baseWarning(running.builtFor, normalizeBase(values.base));
  if (warning) process.stderr.write(warning);
  await new Promise<void>((done) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void running.close().then(done);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  return 0;
}

/**
 * What `serve` prints once it listens: the URL to open here, and for a server bound to every interface
 * (`--host 0.0.0.0`) the LAN URLs to hand out (src/node/lan.ts, shared with `streamlab mock`).
 */
export function startMessage(
  dir: string,
  host: string,
  running: { url: string; port: number },
  urls: HandableUrl[] = handableUrls(host, running.port),
): string {
  const path = new URL(running.url).pathname;
  const local = urls.find((u) => u.scope === 'local');
  const shared = urls.filter((u) => u.scope === 'share');
  let text = `Serving ${dir} at ${local ? local.url + path : running.url}  (Ctrl+C to stop)\n`;
  if (local && shared.length > 0) {
    text += `On this network, hand out:\n${shared.map((u) => `  ${u.url}${path}\n`).join('')}`;
  } else if (local && host !== '127.0.0.1' && host !== 'localhost' && host !== '::1') {
    text += 'No network address found: only this machine can open it.\n';
  }
  return text;
}

/** A note when the folder was built for another base path than the one it is served at. */
export function baseWarning(builtFor: string | undefined, servedAt: string): string | undefined {
  if (builtFor === undefined || normalizeBase(builtFor) === servedAt) return undefined;
  return (
    `Note: this build was made for ${builtFor} (BASE_PATH) and is served at ${servedAt}. ` +
    `Its pages work at any path, but its 404 page links to ${builtFor}: serve it with ` +
    `--base ${builtFor}, or rebuild with BASE_PATH=${servedAt}.\n`
  );
}
