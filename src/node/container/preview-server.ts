/**
 * Node mode's backend preview (lesson 6): `node .streamlab/runner.mjs --preview <file.ts> --port 3000
 * --scenario <name> --mock <url>` runs the learner's `createChatHandler` as a real HTTP server in the
 * container. `GET /` is a chat page (`chat-page.ts`) that posts to the learner's `POST /api/chat` and
 * streams the answer into the DOM; the backend's provider calls go to the container's mock under the
 * scenario the learner picked. The learner's TypeScript is compiled with the labs' own transpiler and
 * may import what a lab may import.
 *
 * A file that does not compile, or exports no `createChatHandler`, still gets a server: its page says
 * what is wrong and where, so the preview never hangs on a blank frame.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { builtins } from '../../lab/run/builtins.ts';
import { ModuleLoader } from '../../lab/run/modules.ts';
import { serveMock } from '../../mock/node/serve.ts';
import { chatPageHtml } from './chat-page.ts';

/** Headers that let the course page (cross-origin isolated) frame the preview. */
const EMBEDDABLE = {
  'cross-origin-embedder-policy': 'require-corp',
  'cross-origin-resource-policy': 'cross-origin',
  'cache-control': 'no-store',
};

type Handler = (request: Request) => Promise<Response>;

/**
 * Compiles and evaluates the learner's module with the labs' own loader (`modules.ts`): the same imports
 * a lab allows, loaded only when the file uses them, and errors positioned in the TypeScript file.
 */
export async function loadLearnerModule(
  source: string,
  fileName: string,
): Promise<Record<string, unknown>> {
  const modules: Record<string, unknown> = Object.fromEntries(
    Object.keys(builtins).map((name) => [name, undefined]),
  );
  const loader = new ModuleLoader({ builtins: modules, learner: { fileName, source }, files: {} });
  try {
    loader.compileAll();
    for (const name of loader.requiredBuiltins()) {
      const load = builtins[name];
      // An unknown import stays unloaded: its `require` then says what a lab can import.
      if (load) modules[name] = await load();
    }
    return loader.learner();
  } catch (error) {
    const { message, file, line, column } = loader.describeError(error);
    // Messages that already name the file (syntax errors, refused imports) are kept as they are.
    const where =
      file && line && !message.startsWith(`${file}:`) ? `${file}:${line}:${column ?? 1}: ` : '';
    throw new Error(`${where}${message}`, { cause: error });
  }
}

/** The preview's routes around the learner's handler (or the problem that stopped it from loading). */
export function previewHandler(options: {
  chat: Handler | undefined;
  problem?: string | undefined;
  fileName: string;
  scenario: string;
}): Handler {
  const page = chatPageHtml(options);
  const withHeaders = (response: Response): Response => {
    const headers = new Headers(response.headers);
    for (const [name, value] of Object.entries(EMBEDDABLE)) headers.set(name, value);
    return new Response(response.body, { status: response.status, headers });
  };
  return async (request) => {
    const path = new URL(request.url).pathname;
    if (path === '/' && (request.method === 'GET' || request.method === 'HEAD')) {
      return withHeaders(
        new Response(page, { headers: { 'content-type': 'text/html; charset=utf-8' } }),
      );
    }
    if (path === '/api/chat' && options.chat) {
      try {
        return withHeaders(await options.chat(request));
      } catch (error) {
        const message = `createChatHandler's handler threw: ${(error as Error)?.stack ?? String(error)}`;
        process.stderr.write(`${message}\n`);
        return withHeaders(Response.json({ error: message }, { status: 500 }));
      }
    }
    const error =
      options.problem ??
      `No route ${request.method} ${path}: the page is / and your handler POST /api/chat.`;
    return withHeaders(Response.json({ error }, { status: options.chat ? 404 : 500 }));
  };
}

async function loadChat(file: string): Promise<{ chat?: Handler; problem?: string }> {
  try {
    const exports = await loadLearnerModule(readFileSync(file, 'utf8'), file);
    const create = exports.createChatHandler;
    if (typeof create !== 'function')
      return { problem: `${file} does not export createChatHandler.` };
    const chat = (create as () => unknown)();
    if (typeof chat !== 'function') {
      return {
        problem: `createChatHandler() in ${file} did not return a function (request) => Response.`,
      };
    }
    return { chat: chat as Handler };
  } catch (error) {
    return { problem: (error as Error)?.message ?? String(error) };
  }
}

/** `--preview <file> --port N --scenario S --mock URL`; resolves once listening, the server keeps running. */
export async function servePreview(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { port: { type: 'string' }, scenario: { type: 'string' }, mock: { type: 'string' } },
  });
  const file = positionals[0];
  if (!file || !values.port || !values.mock) {
    throw new Error('usage: runner.mjs --preview <file.ts> --port N --mock URL [--scenario NAME]');
  }
  const scenario = values.scenario ?? 'default';
  const upstream = `${values.mock.replace(/\/$/, '')}/scenarios/${encodeURIComponent(scenario)}`;
  Object.assign(process.env, {
    OPENAI_BASE_URL: `${upstream}/v1`,
    ANTHROPIC_BASE_URL: upstream,
    OPENAI_API_KEY: process.env.OPENAI_API_KEY ?? 'sk-streamlab-mock',
    ANTHROPIC_API_KEY: process.env.ANTHROPIC_API_KEY ?? 'sk-ant-streamlab-mock',
  });
  const { chat, problem } = await loadChat(file);
  if (problem) process.stderr.write(`preview: ${problem}\n`);
  const server = await serveMock(previewHandler({ chat, problem, fileName: file, scenario }), {
    port: Number(values.port),
  });
  process.stdout.write(
    `preview: your backend serves ${server.url}/ (POST /api/chat), scenario ${scenario}\n`,
  );
}
