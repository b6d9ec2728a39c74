/**
 * Served in place of `@webcontainer/api`'s chunk in the Node mode e2e (`tests/e2e/standin-bridge.ts`):
 * a `WebContainer.boot()` whose container forwards every call to the stand-in (real Node processes, in
 * the test's process) over same-origin requests to `/__standin/`, which the test answers. Events
 * (process output, exits, `server-ready`) come back by long polling. Only the part of the API Node mode
 * uses is here (`src/lab/engines/webcontainer/container.ts`).
 */
const rpc = async (op, body = {}) => {
  const response = await fetch('/__standin/rpc', {
    method: 'POST',
    body: JSON.stringify({ op, ...body }),
  });
  const answer = await response.json();
  if (answer.error) throw new Error(answer.error);
  return answer.result;
};

/** Files this large go by their SHA-256 when the bridge already holds that content (the bundled programs). */
const BY_HASH = 64 * 1024;
const sha256 = async (text) =>
  Array.from(
    new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text))),
    (b) => b.toString(16).padStart(2, '0'),
  ).join('');

const encodeTree = async (tree, full) =>
  Object.fromEntries(
    await Promise.all(
      Object.entries(tree).map(async ([name, node]) => {
        if ('directory' in node)
          return [name, { directory: await encodeTree(node.directory, full) }];
        const contents = node.file.contents;
        if (typeof contents !== 'string')
          return [name, { file: { contents: Array.from(contents) } }];
        if (!full && contents.length > BY_HASH)
          return [name, { file: { sha256: await sha256(contents) } }];
        return [name, { file: { contents } }];
      }),
    ),
  );

/** Mounts by hash first (a 2.5 MB request through the test's interception takes seconds), else in full. */
const mount = async (tree, options) => {
  try {
    return await rpc('mount', { tree: await encodeTree(tree, false), options });
  } catch (error) {
    if (!/unknown content/.test(error.message)) throw error;
    return rpc('mount', { tree: await encodeTree(tree, true), options });
  }
};

async function boot() {
  const { workdir, path } = await rpc('boot');
  const processes = new Map();
  const listeners = { 'server-ready': new Set(), error: new Set(), port: new Set() };
  let after = 0;
  let live = true;
  void (async () => {
    while (live) {
      let events = [];
      try {
        events = await (await fetch(`/__standin/events?after=${after}`)).json();
      } catch {
        await new Promise((r) => setTimeout(r, 200));
      }
      for (const event of events) {
        after = event.seq;
        const process = processes.get(event.pid);
        if (event.type === 'output') process?.controller.enqueue(event.data);
        else if (event.type === 'exit') {
          try {
            process?.controller.close();
          } catch {
            /* cancelled */
          }
          process?.resolveExit(event.code);
          processes.delete(event.pid);
        } else if (event.type === 'server-ready')
          for (const l of listeners['server-ready']) l(event.port, event.url);
      }
    }
  })();
  return {
    workdir,
    path,
    fs: {
      readFile: (p, encoding) => rpc('fs', { method: 'readFile', args: [p, encoding] }),
      writeFile: (p, data) =>
        rpc('fs', {
          method: 'writeFile',
          args: [p, typeof data === 'string' ? data : Array.from(data)],
        }),
      mkdir: (p, options) => rpc('fs', { method: 'mkdir', args: [p, options] }),
      rm: (p, options) => rpc('fs', { method: 'rm', args: [p, options] }),
    },
    mount,
    async spawn(command, args = [], options = {}) {
      const { pid } = await rpc('spawn', { command, args, options });
      let controller;
      let resolveExit;
      const output = new ReadableStream({ start: (c) => void (controller = c) });
      const exit = new Promise((r) => (resolveExit = r));
      processes.set(pid, { controller, resolveExit });
      return {
        output,
        exit,
        input: new WritableStream({ write: (data) => rpc('input', { pid, data }) }),
        kill: () => void rpc('kill', { pid }).catch(() => {}),
        resize: () => {},
      };
    },
    on(event, listener) {
      listeners[event]?.add(listener);
      return () => listeners[event]?.delete(listener);
    },
    teardown() {
      live = false;
      void rpc('teardown').catch(() => {});
    },
  };
}

export const WebContainer = { boot };
export const auth = { init: () => ({ status: 'authorized' }) };
export const configureAPIKey = () => {};
export const isPreviewMessage = () => false;
export const reloadPreview = () => {};
export const PreviewMessageType = {};
