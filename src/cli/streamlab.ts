#!/usr/bin/env node
/**
 * `streamlab`: the command line. This file only dispatches; each subcommand lives with its host code and
 * exports `main(argv): Promise<number>` (the exit code). Loaded lazily so `streamlab mock` never pays
 * for the grader and the other way round.
 */
export {};

interface Subcommand {
  summary: string;
  load: () => Promise<{ main: (argv: string[]) => Promise<number> }>;
  /** Runs first, before anything is printed: may restart the process with Node flags. */
  prepare?: (argv: string[]) => Promise<unknown>;
}

const subcommands: Record<string, Subcommand> = {
  mock: {
    summary: 'Run the mock OpenAI/Anthropic SSE server (streamlab mock --help)',
    load: () => import('../mock/node/cli.ts'),
    // The server's V8 setting (src/mock/node/gcFlags.ts); not for --help.
    prepare: async (argv) =>
      argv.includes('--help') || argv.includes('-h')
        ? undefined
        : (await import('../mock/node/gcFlags.ts')).relaunchWithMockFlags(),
  },
  grade: {
    summary: "Grade a learner's file against a lab's checks (streamlab grade --help)",
    load: () => import('../lab/grade/cli.ts'),
  },
  serve: {
    summary:
      'Serve a built site (dist/) as plain static files, under BASE_PATH (streamlab serve --help)',
    load: () => import('../node/serve-cli.ts'),
  },
};

function usage(): string {
  const rows = Object.entries(subcommands).map(([name, s]) => `  ${name.padEnd(8)}${s.summary}`);
  return ['Usage: streamlab <command> [options]', '', 'Commands:', ...rows, ''].join('\n');
}

const [command, ...rest] = process.argv.slice(2);
if (!command || command === '--help' || command === '-h') {
  process.stdout.write(usage());
  process.exitCode = command ? 0 : 2;
} else {
  const sub = subcommands[command];
  if (!sub) {
    process.stderr.write(`streamlab: unknown command '${command}'\n\n${usage()}`);
    process.exitCode = 2;
  } else {
    await sub.prepare?.(rest);
    const { main } = await sub.load();
    process.exitCode = await main(rest);
  }
}
