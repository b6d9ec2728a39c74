/**
 * What Run does: builds your handler, sends it the request a browser would (`POST /api/chat`), and logs
 * every event the browser receives. The timeline shows the provider request your handler made; pick
 * `overloaded` or `disconnect` to see how the failure reaches the browser.
 */
import { createChatHandler } from './starter.ts';

export default async function run() {
  const handleChat = createChatHandler();
  const response = await handleChat(
    new Request('http://app.streamlab.local/api/chat', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        messages: [{ role: 'user', content: 'What does a streaming proxy do?' }],
      }),
    }),
  );
  console.log(`browser got HTTP ${response.status} ${response.headers.get('content-type') ?? ''}`);
  if (!response.body) return { status: response.status };
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let events = 0;
  while (true) {
    const { value, done } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    const blocks = buffer.split('\n\n');
    buffer = blocks.pop() ?? '';
    for (const block of blocks) {
      events++;
      console.log(block.replace(/\n/g, '  '));
    }
  }
  if (buffer.trim()) console.log(`(unterminated) ${buffer}`);
  console.log(`${events} events reached the browser.`);
  return { status: response.status, events };
}
