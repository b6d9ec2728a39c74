/**
 * Node mode's engine (`LabEngine` kind `webcontainer`): the learner's code runs in real Node inside a
 * WebContainer. One container per page, booted lazily by `ready()` (when the learner turns Node mode on):
 * the base files are mounted (`files.ts`) and the mock server is started on port 8787, for the terminal
 * and the preview.
 *
 * Each run writes the request to `.streamlab/runs/<id>.json` and the learner's file to `<lab>.ts`, then
 * spawns `node .streamlab/run.mjs` (which loads `runner.mjs`), which runs the same `executeRun` as the worker and the grader (same
 * recorder, same in-process mock, same checks) and prints every `RunMessage` as a framed JSON line; the
 * engine reads them back (`frames.ts`) through the shared session (`session.ts`: time limit, Stop,
 * crash), so the console, checks, timeline and verdicts are the worker engine's. Stop kills the process.
 */
import type { LabEngine, RunHandle, RunRequest } from '../engine.ts';
import type { RunMessage } from '../../run/messages.ts';
import { startSession } from '../session.ts';
import type { ContainerProcess, LabContainer } from './container.ts';
import { baseTree, MOCK_PORT, SPARE_MOCK_PORT, type ContainerPrograms } from './files.ts';
import { createFrameReader } from './frames.ts';

export interface WebContainerEngineOptions {
  /** Boots the container (the real one: `boot.ts`; tests: the stand-in). Called once, lazily. */
  boot: () => Promise<LabContainer>;
  /** The bundled runner and mock programs. */
  programs: () => Promise<ContainerPrograms>;
  /** How long the mock may take to listen after boot (default 15 s). */
  mockTimeoutMs?: number;
}

export interface WebContainerEngine extends LabEngine {
  /** The booted container with the base files mounted (boots it if needed). */
  container(): Promise<LabContainer>;
  /** Where the page reaches the container's mock server (the `server-ready` URL of port 8787). */
  mockUrl(): Promise<string>;
  /** Starts the container's shell (`jsh`) for a terminal, with `.streamlab/bin` (curl) on its PATH. */
  openShell(size: { cols: number; rows: number }): Promise<ContainerProcess>;
  /**
   * Lesson 6's backend as a real server (`src/node/container/preview-server.ts`): saves the learner's
   * file, (re)starts the server on `PREVIEW_PORT` and resolves with the URL a preview frame loads.
   */
  startPreview(preview: BackendPreviewRequest): Promise<string>;
}

export interface BackendPreviewRequest {
  labId: string;
  code: string;
  scenario: string;
}

/** The port lesson 6's backend listens on in the container. */
export const PREVIEW_PORT = 3000;

/** What the terminal prints before the shell's first prompt. */
export const SHELL_GREETING = [
  'Node mode: a shell in the WebContainer, with your file and the mock.',
  `  curl -N http://localhost:${MOCK_PORT}/v1/chat/completions -d '{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"hi"}]}'`,
  '  node <lab>.ts        run your file (saved here on every Run)',
  `  npm run mock         a second mock server, on port ${SPARE_MOCK_PORT}`,
  '',
].join('\r\n');

const token = (): string => {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
};

/** Resolves with the `server-ready` URL of `port`, or rejects after `ms`. */
export function waitForPort(container: LabContainer, port: number, ms: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`nothing listened on port ${port} in the container within ${ms / 1000} s`));
    }, ms);
    const off = container.on('server-ready', (ready, url) => {
      if (ready !== port) return;
      clearTimeout(timer);
      off();
      resolve(url);
    });
  });
}

export function createWebContainerEngine(options: WebContainerEngineOptions): WebContainerEngine {
  let booted: Promise<{ container: LabContainer; mockUrl: string }> | undefined;
  let failure: Error | undefined;
  let mockProcess: ContainerProcess | undefined;
  let current: RunHandle | undefined;
  let preview: ContainerProcess | undefined;
  let disposed = false;

  const start = async (): Promise<{ container: LabContainer; mockUrl: string }> => {
    const [container, programs] = await Promise.all([options.boot(), options.programs()]);
    if (disposed) {
      container.teardown();
      throw new Error('This lab engine was disposed');
    }
    container.on('error', ({ message }) => {
      failure = new Error(`The WebContainer failed: ${message}`);
    });
    await container.mount(baseTree(programs));
    const listening = waitForPort(container, MOCK_PORT, options.mockTimeoutMs ?? 15_000);
    mockProcess = await container.spawn(
      'node',
      ['.streamlab/mock.mjs', '--port', String(MOCK_PORT)],
      {
        output: false,
      },
    );
    return { container, mockUrl: await listening };
  };
  const boot = (): Promise<{ container: LabContainer; mockUrl: string }> => {
    if (disposed) return Promise.reject(new Error('This lab engine was disposed'));
    booted ??= start();
    booted.catch(() => (booted = undefined));
    return booted;
  };

  return {
    kind: 'webcontainer',
    ready: async () => {
      await boot();
    },
    container: async () => (await boot()).container,
    mockUrl: async () => (await boot()).mockUrl,
    async openShell(size) {
      const { container } = await boot();
      return container.spawn('jsh', [], {
        terminal: size,
        env: { PATH: `${container.workdir}/.streamlab/bin:${container.path}` },
      });
    },
    async startPreview({ labId, code, scenario }) {
      const { container } = await boot();
      preview?.kill();
      await preview?.exit;
      const file = `${labId}.ts`;
      await container.fs.writeFile(file, code);
      const listening = waitForPort(container, PREVIEW_PORT, options.mockTimeoutMs ?? 15_000);
      const started = await container.spawn('node', [
        '.streamlab/runner.mjs',
        '--preview',
        file,
        '--port',
        String(PREVIEW_PORT),
        '--scenario',
        scenario,
        '--mock',
        `http://localhost:${MOCK_PORT}`,
      ]);
      preview = started;
      const said: string[] = [];
      void started.output
        .pipeTo(new WritableStream({ write: (chunk) => void said.push(chunk) }))
        .catch(() => {});
      const exited = started.exit.then((code) => {
        throw new Error(
          `The preview server exited (code ${code}) before it listened:\n${said.join('').trim().slice(-800)}`,
        );
      });
      return Promise.race([listening, exited]);
    },
    run(request: RunRequest, onMessage: (message: RunMessage) => void): RunHandle {
      if (disposed) throw new Error('This lab engine was disposed');
      current?.stop();
      const handle = startSession({
        engine: 'webcontainer',
        request,
        onMessage,
        async start(sandboxRequest, deliver, crash) {
          const { container } = await boot();
          if (failure) throw failure;
          const secret = token();
          // A later leg of the run (`legs.ts`) gets a file of its own: the stopped leg's exit removes its file.
          const leg = sandboxRequest.resume ? `-after-${sandboxRequest.resume.check}` : '';
          const runFile = `.streamlab/runs/${sandboxRequest.runId}${leg}.json`;
          await container.fs.writeFile(`${sandboxRequest.labId}.ts`, sandboxRequest.code);
          await container.fs.writeFile(
            runFile,
            JSON.stringify({ token: secret, request: sandboxRequest }),
          );
          const process = await container.spawn('node', ['.streamlab/run.mjs', runFile]);
          let done = false;
          let killed = false;
          const other: string[] = [];
          const reader = createFrameReader(
            secret,
            (message) => {
              if (message.type === 'done') done = true;
              deliver(message);
            },
            (line) => other.push(line),
          );
          void process.output
            .pipeTo(new WritableStream({ write: (chunk) => reader.push(chunk) }))
            .catch(() => {});
          void process.exit.then((code) => {
            reader.end();
            void container.fs.rm(runFile, { force: true }).catch(() => {});
            if (done || killed) return;
            const said = other.slice(-5).join('\n');
            crash(`Node exited (code ${code}) before the run finished${said ? `:\n${said}` : ''}`);
          });
          return {
            terminate() {
              killed = true;
              process.kill();
            },
          };
        },
      });
      current = handle;
      return handle;
    },
    dispose() {
      disposed = true;
      current?.stop();
      mockProcess?.kill();
      preview?.kill();
      void booted?.then(({ container }) => container.teardown()).catch(() => {});
      booted = undefined;
    },
  };
}
