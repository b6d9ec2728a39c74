/**
 * The chat page Node mode's backend preview serves at `/` (`preview-server.ts`): a real page that posts
 * to the learner's own `POST /api/chat` and streams the `delta` / `done` / `error` events into the DOM as
 * they arrive, with Stop. It is the page of lesson 6, written plainly (no framework), so what the preview
 * shows is the learner's backend and nothing else. Pure: returns the HTML text.
 */

export interface ChatPageOptions {
  /** The learner's file, named in the page. */
  fileName: string;
  /** The scenario the backend's provider calls run under. */
  scenario: string;
  /** A compile or load error to show instead of the chat (the page still loads). */
  problem?: string | undefined;
}

const escape = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** The page's script: reads the backend's SSE answer with a small buffered parser. */
const SCRIPT = `
const $ = (id) => document.getElementById(id);
// The course's theme, passed by the frame (?theme=dark), over the system's.
const theme = new URLSearchParams(location.search).get('theme');
if (theme === 'light' || theme === 'dark') document.documentElement.style.colorScheme = theme;
const output = $('output'), status = $('status'), send = $('send'), stop = $('stop');
let controller;
function onEvent(type, data) {
  let event;
  try { event = JSON.parse(data); } catch { status.textContent = 'Not JSON from the backend: ' + data; return 'error'; }
  if (type === 'delta') { output.textContent += event.text; return undefined; }
  if (type === 'done') { status.textContent = 'Done (finish reason: ' + event.finishReason + ').'; return 'done'; }
  if (type === 'error') { status.textContent = 'Error from the backend: ' + event.message; return 'error'; }
  return undefined;
}
async function ask() {
  controller = new AbortController();
  output.textContent = ''; status.textContent = 'Waiting for the first token…';
  send.disabled = true; stop.disabled = false;
  let ended;
  try {
    const response = await fetch('api/chat', {
      method: 'POST', headers: { 'content-type': 'application/json' }, signal: controller.signal,
      body: JSON.stringify({ messages: [{ role: 'user', content: $('prompt').value }] }),
    });
    if (!response.ok || !response.body) { status.textContent = 'HTTP ' + response.status + ': ' + (await response.text()); return; }
    status.textContent = 'Streaming…';
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      buffer += value;
      const blocks = buffer.split(/\\r?\\n\\r?\\n/);
      buffer = blocks.pop();
      for (const block of blocks) {
        let type = 'message', data = [];
        for (const line of block.split(/\\r?\\n/)) {
          if (line.startsWith('event:')) type = line.slice(6).trim();
          else if (line.startsWith('data:')) data.push(line.slice(line.startsWith('data: ') ? 6 : 5));
        }
        if (data.length) ended = onEvent(type, data.join('\\n')) ?? ended;
      }
    }
    if (!ended) status.textContent = 'The stream ended without a done or error event.';
  } catch (error) {
    status.textContent = controller.signal.aborted ? 'Stopped.' : 'The connection failed: ' + error.message;
  } finally {
    send.disabled = false; stop.disabled = true;
  }
}
$('ask').addEventListener('submit', (e) => { e.preventDefault(); void ask(); });
stop.addEventListener('click', () => controller?.abort());
`;

export function chatPageHtml(options: ChatPageOptions): string {
  const body = options.problem
    ? `<p id="status" role="status" class="problem">${escape(options.problem)}</p>`
    : `<form id="ask">
  <label for="prompt">Your question</label>
  <textarea id="prompt">Explain streaming in one paragraph.</textarea>
  <div class="row"><button id="send" type="submit">Send</button><button id="stop" type="button" disabled>Stop</button></div>
</form>
<div id="output" aria-live="off"></div>
<p id="status" role="status">Ready: Send posts to your <code>POST /api/chat</code>.</p>
<script type="module">${SCRIPT}</script>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Chat page: ${escape(options.fileName)}</title>
<style>
  :root { color-scheme: light dark; font: 15px/1.5 system-ui, sans-serif; }
  body { margin: 0; padding: 12px; }
  form { display: grid; gap: 8px; }
  textarea { font: inherit; padding: 6px; min-height: 2.6em; }
  .row { display: flex; gap: 8px; }
  button { font: inherit; padding: 4px 14px; }
  #output { white-space: pre-wrap; margin: 12px 0 0; min-height: 3em; }
  #status { font-size: 0.9em; opacity: 0.85; }
  .problem { white-space: pre-wrap; color: #b3261e; }
  small { opacity: 0.7; }
</style>
</head>
<body>
${body}
<small>Served by your <code>${escape(options.fileName)}</code> in Node · provider scenario <code>${escape(options.scenario)}</code></small>
</body>
</html>
`;
}
