/**
 * The part of `@webcontainer/api`'s `WebContainer` that Node mode uses, as a structural type: the real
 * `WebContainer` satisfies it, and so does the test stand-in (`tests/webcontainer/standin.ts`, real Node
 * processes in a temporary folder), which is how the engine is tested where WebContainers cannot boot.
 *
 * Behaviour relied on (from the package's typings and docs, 1.6.4):
 * - `spawn` resolves once the process started; `output` carries stdout and stderr together, as a
 *   terminal shows them (so `\n` may arrive as `\r\n`); `exit` resolves with the exit code; `kill()` ends
 *   the process at once.
 * - `on('server-ready', (port, url))` fires when a process listens on a port; `url` is where the page can
 *   reach it (a preview frame's `src`).
 * - `on('error', ({ message }))` reports internal failures; the engine treats them as fatal.
 */
export interface ContainerFile {
  file: { contents: string | Uint8Array };
}
export interface ContainerDirectory {
  directory: ContainerTree;
}
export type ContainerTree = Record<string, ContainerFile | ContainerDirectory>;

export interface ContainerProcess {
  exit: Promise<number>;
  input: WritableStream<string>;
  output: ReadableStream<string>;
  kill(): void;
  resize(dimensions: { cols: number; rows: number }): void;
}

export interface ContainerSpawnOptions {
  cwd?: string;
  env?: Record<string, string | number | boolean>;
  output?: boolean;
  terminal?: { cols: number; rows: number };
}

export interface ContainerFs {
  readFile(path: string, encoding: 'utf-8' | 'utf8'): Promise<string>;
  writeFile(path: string, data: string | Uint8Array): Promise<void>;
  mkdir(path: string, options: { recursive: true }): Promise<string>;
  rm(path: string, options?: { force?: boolean; recursive?: boolean }): Promise<void>;
}

export type Unsubscribe = () => void;

export interface LabContainer {
  readonly fs: ContainerFs;
  readonly workdir: string;
  /** The default `PATH` of spawned processes. */
  readonly path: string;
  mount(tree: ContainerTree, options?: { mountPoint?: string }): Promise<void>;
  spawn(
    command: string,
    args: string[],
    options?: ContainerSpawnOptions,
  ): Promise<ContainerProcess>;
  on(event: 'server-ready', listener: (port: number, url: string) => void): Unsubscribe;
  on(event: 'error', listener: (error: { message: string }) => void): Unsubscribe;
  teardown(): void;
}
