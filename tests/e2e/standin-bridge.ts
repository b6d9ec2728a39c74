/**
 * Node mode in a real browser, where WebContainers cannot boot: the page's `@webcontainer/api` chunk is
 * replaced by `tests/webcontainer/browser-api.js`, whose container forwards every call to a stand-in
 * (`tests/webcontainer/standin.ts`: real Node processes in a temporary folder) through requests to
 * `/__standin/` that this bridge answers in the test's process. The engine, the terminal and the preview
 * are the site's own, unchanged.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page, Route } from '@playwright/test';
import type {
  ContainerProcess,
  ContainerTree,
} from '../../src/lab/engines/webcontainer/container.ts';
import { buildContainerPrograms } from '../../src/node/containerPrograms.ts';
import { bootStandIn, type StandIn } from '../webcontainer/standin.ts';
import { DIST } from './helpers.ts';

type Event =
  | { seq: number; type: 'output'; pid: number; data: string }
  | { seq: number; type: 'exit'; pid: number; code: number }
  | { seq: number; type: 'server-ready'; port: number; url: string };
/** An event before it is numbered (distributes over the union). */
type Unnumbered<E> = E extends unknown ? Omit<E, 'seq'> : never;
type Wire =
  | { file: { contents: string | number[] } }
  | { file: { sha256: string } }
  | { directory: Record<string, Wire> };

/** The built chunk that holds `@webcontainer/api` (the one exporting `WebContainer`). */
function apiChunk(dist = DIST): string {
  const folder = join(dist, '_astro');
  const name = readdirSync(folder).find((file) => {
    if (!file.endsWith('.js')) return false;
    const text = readFileSync(join(folder, file), 'utf8');
    return text.includes('stackblitz') && /as WebContainer\b/.test(text);
  });
  if (!name) throw new Error(`No chunk in ${folder} exports WebContainer: is Node mode built?`);
  return name;
}

/** Large files the page may send by hash: the programs Node mode mounts, as the build bundles them. */
const hashedContents = async (): Promise<Map<string, string>> => {
  const programs = await buildContainerPrograms();
  const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');
  return new Map(Object.values(programs).map((text) => [sha256(text), text]));
};

const decodeTree = (tree: Record<string, Wire>, known: Map<string, string>): ContainerTree =>
  Object.fromEntries(
    Object.entries(tree).map(([name, node]) => {
      if ('directory' in node) return [name, { directory: decodeTree(node.directory, known) }];
      if ('sha256' in node.file) {
        const text = known.get(node.file.sha256);
        if (text === undefined) throw new Error(`unknown content ${node.file.sha256} for ${name}`);
        return [name, { file: { contents: text } }];
      }
      const contents = node.file.contents;
      return [
        name,
        { file: { contents: typeof contents === 'string' ? contents : Uint8Array.from(contents) } },
      ];
    }),
  );

export interface StandInBridge {
  /** The stand-in once the page booted it. */
  container(): StandIn | undefined;
  close(): Promise<void>;
}

/** Routes `page`'s WebContainer to a stand-in. Call before the page loads. */
export async function bridgeStandIn(page: Page): Promise<StandInBridge> {
  // Bundled while the page loads (esbuild), so the first mount does not wait for it.
  const known = hashedContents();
  let standIn: StandIn | undefined;
  const processes = new Map<number, ContainerProcess>();
  const events: Event[] = [];
  let wake: () => void = () => {};
  let nextPid = 1;
  const push = (event: Unnumbered<Event>): void => {
    events.push({ ...event, seq: events.length + 1 } as Event);
    wake();
  };

  const calls: Record<string, (body: Record<string, unknown>) => Promise<unknown>> = {
    async boot() {
      standIn?.teardown();
      standIn = await bootStandIn();
      standIn.on('server-ready', (port, url) => push({ type: 'server-ready', port, url }));
      return { workdir: standIn.workdir, path: standIn.path };
    },
    mount: async ({ tree, options }) =>
      standIn!.mount(
        decodeTree(tree as Record<string, Wire>, await known),
        options as { mountPoint?: string },
      ),
    async spawn({ command, args, options }) {
      const child = await standIn!.spawn(command as string, args as string[], options as object);
      const pid = nextPid++;
      processes.set(pid, child);
      void child.output
        .pipeTo(new WritableStream({ write: (data) => push({ type: 'output', pid, data }) }))
        .catch(() => {});
      void child.exit.then((code) => push({ type: 'exit', pid, code }));
      return { pid };
    },
    async input({ pid, data }) {
      const writer = processes.get(pid as number)?.input.getWriter();
      await writer?.write(data as string);
      writer?.releaseLock();
    },
    kill: async ({ pid }) => processes.get(pid as number)?.kill(),
    fs: async ({ method, args }) => {
      const [path, second] = args as [string, unknown];
      const fs = standIn!.fs;
      if (method === 'readFile') return fs.readFile(path, 'utf8');
      if (method === 'writeFile')
        return fs.writeFile(
          path,
          typeof second === 'string' ? second : Uint8Array.from(second as number[]),
        );
      if (method === 'mkdir') return fs.mkdir(path, { recursive: true });
      if (method === 'rm') return fs.rm(path, second as { force?: boolean });
      throw new Error(`fs.${String(method)} is not part of the stand-in`);
    },
    teardown: async () => standIn?.teardown(),
  };

  const answer = async (route: Route): Promise<void> => {
    const request = route.request();
    const url = new URL(request.url());
    try {
      if (url.pathname.endsWith('/__standin/events')) {
        const after = Number(url.searchParams.get('after') ?? 0);
        if (events.length <= after) {
          await new Promise<void>((resolve) => {
            wake = resolve;
            setTimeout(resolve, 1_000);
          });
        }
        return await route.fulfill({ json: events.slice(after) });
      }
      const body = JSON.parse(request.postData() ?? '{}') as Record<string, unknown>;
      const call = calls[body.op as string];
      if (!call) throw new Error(`unknown stand-in call ${String(body.op)}`);
      const result = (await call(body)) ?? null;
      await route.fulfill({ json: { result } });
    } catch (error) {
      await route.fulfill({ json: { error: (error as Error).message } }).catch(() => {});
    }
  };

  const chunk = apiChunk();
  await page.route(`**/_astro/${chunk}`, (route) =>
    route.fulfill({
      contentType: 'text/javascript',
      body: readFileSync('tests/webcontainer/browser-api.js', 'utf8'),
    }),
  );
  await page.route('**/__standin/**', answer);
  return {
    container: () => standIn,
    close: async () => {
      standIn?.teardown();
      standIn = undefined;
    },
  };
}
