/**
 * A stand-in for a booted `WebContainer` (the part Node mode uses, `LabContainer`), backed by real Node
 * processes in a temporary folder. WebContainers load from StackBlitz's servers, which CI cannot reach, so
 * the engine, the terminal and the preview are tested against this instead.
 *
 * Faithful where the engine depends on it: `spawn` resolves once the process started; `output` merges
 * stdout and stderr and turns `\n` into `\r\n` as a terminal does; `kill()` ends the process at once;
 * `on('server-ready', (port, url))` fires when a process listens on a port, with a URL the page can load.
 * Each process gets its own port space (`ports-hook.mjs`: the mock listens on "8787" whatever is free on
 * the machine). `jsh` (the WebContainer shell) is bash in a pseudo-terminal (`script`), with the
 * container's `.streamlab/bin` first on PATH, so `curl` there is the container's own curl.
 *
 * Not the real thing: no browser-side networking, no WebAssembly Node, the host's Node (24) and a real
 * filesystem. The README lists what was verified only here.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, mkdir, readFile, rm, watch, writeFile } from 'node:fs/promises';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type {
  ContainerProcess,
  ContainerSpawnOptions,
  ContainerTree,
  LabContainer,
} from '../../src/lab/engines/webcontainer/container.ts';

const HOOK = fileURLToPath(new URL('./ports-hook.mjs', import.meta.url));
/** The Node that runs the stand-in's processes: this one (Node 24 from node_modules). */
const NODE = process.execPath;

type Listener = (...args: never[]) => void;

export interface StandIn extends LabContainer {
  /** The temporary folder the container's files live in. */
  readonly root: string;
  /** Processes still running. */
  running(): number;
}

export async function bootStandIn(): Promise<StandIn> {
  const root = await mkdtemp(join(tmpdir(), 'streamlab-standin-'));
  const ports = join(root, '.standin', 'ports');
  await mkdir(ports, { recursive: true });
  const listeners = new Map<string, Set<Listener>>();
  const children = new Set<ChildProcess>();
  const watcher = new AbortController();
  let torn = false;

  const emit = (event: string, ...args: unknown[]): void => {
    for (const listener of listeners.get(event) ?? [])
      (listener as (...a: unknown[]) => void)(...args);
  };
  const inside = (path: string): string => {
    const full = resolve(root, path);
    if (full !== root && !full.startsWith(root + '/'))
      throw new Error(`EACCES: ${path} is outside the container`);
    return full;
  };

  // server-ready: a port file appears when a process listens (ports-hook.mjs).
  void (async () => {
    try {
      for await (const change of watch(ports, { signal: watcher.signal })) {
        const name = change.filename;
        if (!name || !/^\d+$/.test(name)) continue;
        let real: number;
        try {
          real = Number(readFileSync(join(ports, name), 'utf8'));
        } catch {
          emit('port', Number(name), 'close', '');
          continue;
        }
        if (!real) continue;
        const url = `http://127.0.0.1:${real}`;
        emit('port', Number(name), 'open', url);
        emit('server-ready', Number(name), url);
      }
    } catch {
      // aborted on teardown
    }
  })();

  /** Frees the ports a killed process held, as a WebContainer does (the hook's exit handler never ran). */
  const releasePorts = (pid: number | undefined): void => {
    if (pid === undefined || torn) return;
    for (const name of safeList(ports)) {
      const match = /^(\d+)\.pid$/.exec(name);
      if (!match) continue;
      try {
        if (Number(readFileSync(join(ports, name), 'utf8')) !== pid) continue;
        rmSync(join(ports, match[1]!), { force: true });
        rmSync(join(ports, name), { force: true });
      } catch {
        // already released
      }
    }
  };

  const writeTree = async (tree: ContainerTree, at: string): Promise<void> => {
    await mkdir(at, { recursive: true });
    for (const [name, node] of Object.entries(tree)) {
      const path = join(at, name);
      if ('directory' in node) await writeTree(node.directory, path);
      // Scripts with a shebang are mounted executable (as `.streamlab/bin/curl` needs).
      else {
        const contents = node.file.contents;
        const script = typeof contents === 'string' && contents.startsWith('#!');
        await writeFile(path, contents, { mode: script ? 0o755 : 0o644 });
      }
    }
  };

  const startProcess = (
    command: string,
    args: string[],
    options: ContainerSpawnOptions,
  ): ChildProcess => {
    const cwd = inside(options.cwd ?? '.');
    const env: Record<string, string> = {
      PATH: container.path,
      HOME: root,
      TERM: 'xterm-256color',
      STANDIN_PORTS: ports,
      NODE_OPTIONS: `--import=${HOOK}`,
      ...Object.fromEntries(Object.entries(options.env ?? {}).map(([k, v]) => [k, String(v)])),
    };
    if (command === 'jsh' || command === '/bin/jsh') {
      // A real pseudo-terminal, so the shell echoes and edits lines as jsh does.
      env.PS1 = '\\W ❯ ';
      return spawn('script', ['-qfc', 'bash --norc --noprofile -i', '/dev/null'], { cwd, env });
    }
    const program = command === 'node' ? NODE : command;
    return spawn(program, args, { cwd, env });
  };

  const container: StandIn = {
    root,
    workdir: root,
    path: `${join(root, '.streamlab', 'bin')}:${dirname(NODE)}:/usr/bin:/bin`,
    running: () => children.size,
    fs: {
      readFile: (path) => readFile(inside(path), 'utf8'),
      writeFile: (path, data) => writeFile(inside(path), data),
      mkdir: async (path) => {
        await mkdir(inside(path), { recursive: true });
        return path;
      },
      rm: (path, options) => rm(inside(path), options),
    },
    async mount(tree, options = {}) {
      await writeTree(tree, inside(options.mountPoint ?? '.'));
    },
    async spawn(command, args, options = {}): Promise<ContainerProcess> {
      if (torn) throw new Error('The container was torn down');
      const child = startProcess(command, args, options);
      await new Promise<void>((ok, fail) => {
        child.once('spawn', ok);
        child.once('error', fail);
      });
      children.add(child);
      const exit = new Promise<number>((done) =>
        child.once('close', (code, signal) => {
          children.delete(child);
          releasePorts(child.pid);
          done(code ?? (signal ? 128 + 9 : 1));
        }),
      );
      const decoder = new TextDecoder();
      const output = new ReadableStream<string>({
        start(controller) {
          if (options.output === false) {
            child.stdout?.resume();
            child.stderr?.resume();
            void exit.then(() => controller.close());
            return;
          }
          // Like a terminal: stdout and stderr in one stream, newlines as \r\n.
          const forward = (chunk: Buffer): void =>
            controller.enqueue(decoder.decode(chunk, { stream: true }).replace(/\r?\n/g, '\r\n'));
          child.stdout?.on('data', forward);
          child.stderr?.on('data', forward);
          void exit.then(() => {
            try {
              controller.close();
            } catch {
              /* cancelled */
            }
          });
        },
      });
      const input = new WritableStream<string>({
        write: (chunk) =>
          new Promise<void>((ok) => {
            if (!child.stdin?.writable) return ok();
            child.stdin.write(chunk, () => ok());
          }),
      });
      return {
        exit,
        output,
        input,
        kill: () => void child.kill('SIGKILL'),
        resize: () => {},
      };
    },
    on(event: string, listener: Listener) {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      set.add(listener);
      return () => set.delete(listener);
    },
    teardown() {
      torn = true;
      watcher.abort();
      for (const child of children) child.kill('SIGKILL');
      void rm(root, { recursive: true, force: true }).catch(() => {});
    },
  } as StandIn;
  return container;
}

function safeList(folder: string): string[] {
  try {
    return readdirSync(folder);
  } catch {
    return [];
  }
}

/** A path inside the stand-in, as the container sees it. */
export const containerPath = (container: StandIn, path: string): string =>
  relative(container.root, path);
