/**
 * What Run does: starts a stream through your relay, drops the connection after a few events (as a
 * phone going through a tunnel would), then resumes it with `Last-Event-ID` and logs what each
 * connection received. The timeline shows the provider request your relay made.
 */
import { createResumableRelay } from './starter.ts';

const ORIGIN = 'http://app.streamlab.local';

/** Reads SSE blocks from `response` until `stopAfter` events (then drops the connection) or the end. */
async function read(response: Response, stopAfter = Infinity) {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let lastId = '';
  let count = 0;
  while (count < stopAfter) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let end: number;
    while (count < stopAfter && (end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      lastId = /^id: ?(.*)$/m.exec(block)?.[1] ?? lastId;
      count++;
      console.log(block.replace(/\n/g, '  '));
    }
  }
  if (count >= stopAfter) await reader.cancel(); // the connection drops
  return { lastId, count };
}

export default async function run() {
  const relay = createResumableRelay();
  const first = await relay(
    new Request(`${ORIGIN}/api/chat`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ messages: [{ role: 'user', content: 'How do I resume a stream?' }] }),
    }),
  );
  const streamId = first.headers.get('x-stream-id');
  console.log(`HTTP ${first.status}, stream ${streamId ?? '(no x-stream-id header)'}`);
  if (!first.ok || !first.body) return { status: first.status };
  const before = await read(first, 8);
  console.log(`-- connection dropped after event id ${before.lastId || '(none)'}; resuming --`);
  if (!streamId) return { status: first.status, resumed: false };
  const again = await relay(
    new Request(`${ORIGIN}/api/chat/${streamId}`, { headers: { 'last-event-id': before.lastId } }),
  );
  console.log(`resume: HTTP ${again.status}`);
  if (!again.ok || !again.body) return { status: again.status, resumed: false };
  const after = await read(again);
  return { status: again.status, resumed: true, events: before.count + after.count };
}
