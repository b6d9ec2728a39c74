/**
 * The ui-frontend preview page: a real chat page (prompt, Send, Stop, answer, status line) that runs the
 * learner's `streamToPage` against real DOM elements. It is a `srcdoc` document for a frame with
 * `sandbox="allow-scripts"` (an opaque origin: no cookies, no storage, nothing of the course's page) and a
 * CSP that forbids every network request; its `fetch` posts each request to the parent (`bridge.ts`), which
 * answers from the preview backend over a MessageChannel, streaming the body chunk by chunk.
 *
 * The frame's script is `frameMain` below, serialized: it must not use anything outside its own body.
 */

/** Message types between the frame and the page (`bridge.ts` validates them). */
export const PREVIEW_FETCH = 'streamlab-preview:fetch';
export const PREVIEW_STATE = 'streamlab-preview:state';

export interface PreviewPageOptions {
  /** The learner's module, compiled to CommonJS (sucrase). */
  compiled: string;
  /** The learner's file name, for error messages. */
  fileName: string;
  /** The course's theme, so the page matches it. */
  theme: 'light' | 'dark';
  /** The prompt the page starts with. */
  prompt: string;
}

const CSP =
  "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'none'; img-src data:";

/** Inline `<script>` text must not contain `</script` or `<!--` (both end or confuse the element). */
const scriptSafe = (code: string): string =>
  code.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--');

/** The `srcdoc` of the preview frame. */
export function previewDocument(options: PreviewPageOptions): string {
  const dark = options.theme === 'dark';
  const escape = (text: string): string =>
    text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  return `<!doctype html>
<html lang="en" data-theme="${options.theme}">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Chat preview</title>
<style>
  :root { color-scheme: ${dark ? 'dark' : 'light'}; font: 15px/1.5 system-ui, sans-serif; }
  body { margin: 0; padding: 12px; background: ${dark ? '#1b1d22' : '#ffffff'}; color: ${dark ? '#e7e5e0' : '#1d1f24'}; }
  .ask { display: grid; gap: 8px; }
  textarea { font: inherit; padding: 6px; min-height: 2.6em; resize: vertical; background: inherit; color: inherit; border: 1px solid #8c959f; border-radius: 6px; }
  .row { display: flex; gap: 8px; }
  button { font: inherit; padding: 4px 14px; border-radius: 6px; border: 1px solid #8c959f; background: ${dark ? '#24272d' : '#f0eee8'}; color: inherit; cursor: pointer; }
  button:disabled { opacity: 0.55; cursor: default; }
  #output { white-space: pre-wrap; margin: 12px 0 0; min-height: 3em; }
  #status { margin: 8px 0 0; font-size: 0.9em; color: ${dark ? '#a4a9b4' : '#555b66'}; }
</style>
</head>
<body>
<div id="ask" class="ask">
  <label for="prompt">Your question</label>
  <textarea id="prompt">${escape(options.prompt)}</textarea>
  <div class="row"><button type="button" id="send">Send</button><button type="button" id="stop" disabled>Stop</button></div>
</div>
<div id="output" aria-live="off"></div>
<p id="status" role="status" aria-live="polite">Ready: press Send.</p>
<script>
(${frameMain.toString()})(${JSON.stringify({ fetchType: PREVIEW_FETCH, stateType: PREVIEW_STATE, fileName: options.fileName })});
</script>
<script>
(function (module, exports, require) {
${scriptSafe(options.compiled)}
})(window.__lab.module, window.__lab.module.exports, window.__lab.require);
window.__lab.loaded();
</script>
</body>
</html>`;
}

interface FrameConfig {
  fetchType: string;
  stateType: string;
  fileName: string;
}

/** Runs inside the frame (serialized; self-contained). */
function frameMain(config: FrameConfig): void {
  const byId = (id: string): HTMLElement => document.getElementById(id) as HTMLElement;
  const output = byId('output');
  const status = byId('status');
  const stop = byId('stop') as HTMLButtonElement;
  const send = byId('send') as HTMLButtonElement;
  const prompt = byId('prompt') as HTMLTextAreaElement;
  const report = (state: string, detail: string): void =>
    parent.postMessage({ type: config.stateType, state, detail }, '*');

  /** `fetch` for the page: every request goes to the course page over a MessageChannel. */
  async function bridgedFetch(input: RequestInfo | URL, init?: RequestInit): Promise<Response> {
    const request = new Request(
      new URL(input instanceof Request ? input.url : String(input), 'http://app.streamlab.local/'),
      init,
    );
    const body =
      request.method === 'GET' || request.method === 'HEAD' ? null : await request.text();
    const signal = init?.signal ?? (input instanceof Request ? input.signal : undefined);
    const aborted = (): unknown =>
      signal?.reason ?? new DOMException('The operation was aborted.', 'AbortError');
    if (signal?.aborted) throw aborted();
    const headers: Record<string, string> = {};
    request.headers.forEach((value, key) => (headers[key] = value));
    const channel = new MessageChannel();
    const port = channel.port1;
    let stream: ReadableStreamDefaultController<Uint8Array> | undefined;
    let settled = false;
    const close = (): void => {
      port.postMessage({ type: 'abort' });
      port.close();
    };
    return new Promise<Response>((resolve, reject) => {
      const fail = (error: unknown): void => {
        if (!settled) reject(error);
        settled = true;
        try {
          stream?.error(error);
        } catch {
          /* already closed */
        }
      };
      signal?.addEventListener('abort', () => {
        fail(aborted());
        close();
      });
      port.onmessage = (event: MessageEvent) => {
        const m = event.data as {
          type: string;
          status?: number;
          headers?: Record<string, string>;
          bytes?: ArrayBuffer;
          message?: string;
        };
        if (m.type === 'head') {
          settled = true;
          const readable = new ReadableStream<Uint8Array>({
            start: (controller) => void (stream = controller),
            cancel: close,
          });
          resolve(new Response(readable, { status: m.status, headers: m.headers }));
        } else if (m.type === 'chunk' && m.bytes) stream?.enqueue(new Uint8Array(m.bytes));
        else if (m.type === 'end') {
          stream?.close();
          port.close();
        } else if (m.type === 'error') fail(new TypeError(m.message ?? 'Failed to fetch'));
      };
      parent.postMessage(
        { type: config.fetchType, url: request.url, method: request.method, headers, body },
        '*',
        [channel.port2],
      );
    });
  }
  Object.defineProperty(window, 'fetch', {
    value: bridgedFetch,
    writable: true,
    configurable: true,
  });

  const module = { exports: {} as Record<string, unknown> };
  let loaded = false;
  (window as unknown as { __lab: unknown }).__lab = {
    module,
    require(name: string): never {
      throw new Error(
        `${config.fileName}: the preview page cannot import '${name}' (it runs your file alone, in a plain page).`,
      );
    },
    loaded() {
      loaded = true;
    },
  };
  window.addEventListener('error', (event) => {
    status.textContent = `Your code threw: ${event.message}`;
    report('error', event.message);
  });
  window.addEventListener('load', () => {
    if (!loaded) return;
    const streamToPage = module.exports['streamToPage'];
    if (typeof streamToPage !== 'function') {
      status.textContent = `${config.fileName} does not export streamToPage.`;
      send.disabled = true;
      report('error', 'no streamToPage export');
      return;
    }
    report('ready', '');
  });

  // A click, not a form submit: a sandboxed frame without allow-forms blocks submission outright.
  send.addEventListener('click', () => {
    const streamToPage = module.exports['streamToPage'] as (
      prompt: string,
      view: unknown,
      options: { signal: AbortSignal },
    ) => Promise<unknown>;
    const controller = new AbortController();
    stop.onclick = () => controller.abort();
    send.disabled = true;
    report('streaming', '');
    Promise.resolve()
      .then(() =>
        streamToPage(prompt.value, { output, status, stop }, { signal: controller.signal }),
      )
      .then(
        (outcome) => report('done', String(outcome)),
        (error: unknown) => {
          status.textContent = `streamToPage rejected: ${error instanceof Error ? error.message : String(error)}`;
          report('done', 'rejected');
        },
      )
      .finally(() => {
        send.disabled = false;
        stop.onclick = null;
      });
  });
}
