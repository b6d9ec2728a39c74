/**
 * The lab runner inside a WebContainer (Node mode): `node .streamlab/runner.mjs <request.json>` runs one lab
 * run with the same `executeRun` as the browser worker and the grader (same transpiler, module loader,
 * recorder, in-process mock and checks), and writes each `RunMessage` to stdout as one framed JSON line:
 * `\x1e<token>` + JSON + `\n`. The token comes with the request, so the engine takes only its own lines
 * from the process's output (a terminal stream that also carries anything else the process prints).
 * With `--preview`, it serves lesson 6's backend as a real server instead (`preview-server.ts`).
 *
 * Bundled with its dependencies into one file at build time (`src/node/containerPrograms.ts`).
 */
import { readFileSync } from 'node:fs';
import { realClock } from '../../mock/core/clock.ts';
import { createMockHandler } from '../../mock/core/index.ts';
import { builtins } from '../../lab/run/builtins.ts';
import { executeRun, reportUncaught } from '../../lab/run/execute.ts';
import type { SandboxRunRequest } from '../../lab/run/execute.ts';
import type { RunMessage } from '../../lab/run/messages.ts';
import { createLearnerScope } from '../../lab/run/compartment.ts';
import { lockDownRealm } from '../../lab/run/lockdown.ts';
import { servePreview } from './preview-server.ts';

/** What the engine writes for one run. */
export interface ContainerRunFile {
  token: string;
  request: SandboxRunRequest;
}

/** Frames one message as a line of the runner's output. */
export const frameMessage = (token: string, message: RunMessage): string =>
  `\x1e${token}${JSON.stringify(message)}\n`;

/** Runs one lab run from its request file, printing framed messages; exits when the run is over. */
async function runOnce(path: string): Promise<void> {
  const { token, request } = JSON.parse(readFileSync(path, 'utf8')) as ContainerRunFile;
  const stdout = process.stdout;
  process.on('uncaughtException', (error) => reportUncaught(error, false));
  process.on('unhandledRejection', (reason) => reportUncaught(reason, true));
  // Before any lab code: intrinsics frozen, learner code in its own scope (no `process`, `stdout`, `require`).
  lockDownRealm();

  await executeRun(request, {
    builtins,
    createHandler: (clock) => createMockHandler({ clock }),
    clock: realClock,
    emit: (message) => void stdout.write(frameMessage(token, message)),
    global: globalThis,
    learnerScope: createLearnerScope,
  });
  // Learner code may leave timers or streams open; the run is over, so the process is too.
  stdout.write('', () => process.exit(0));
}

const [first, ...rest] = process.argv.slice(2);
if (first === '--preview') {
  // Lesson 6's backend as a real server (`preview-server.ts`), sharing this bundle's SDKs and transpiler.
  await servePreview(rest).catch((error: Error) => {
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  });
} else if (first) {
  await runOnce(first);
} else {
  process.stderr.write(
    'usage: node .streamlab/runner.mjs <run.json> | --preview <file.ts> --port N --mock URL\n',
  );
  process.exit(2);
}
