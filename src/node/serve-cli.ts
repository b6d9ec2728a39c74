/**
 * `streamlab serve [dir] [--base /course/] [--port 4321] [--host 127.0.0.1]`: serves a built site as
 * plain static files, the way any static host would. See static-server.ts.
 */
import { parseArgs } from 'node:util';
import { startStaticServer } from './static-server.ts';

const HELP = `Usage: streamlab serve [dir] [options]

Serve a built site (default: dist) as plain static files.

Options:
  --base <path>   URL prefix the site was built for (BASE_PATH), e.g. /course/ (default: /)
  --port <n>      Port to listen on (default: 4321; 0 picks a free port)
  --host <addr>   Interface to bind (default: 127.0.0.1; use 0.0.0.0 to expose it)
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
  process.stdout.write(`Serving ${positionals[0] ?? 'dist'} at ${running.url}  (Ctrl+C to stop)\n`);
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
