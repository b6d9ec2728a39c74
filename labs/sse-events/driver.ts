/**
 * What Run does: asks the mock for a streamed Anthropic message twice. The first time it logs every event
 * `readEvents` reports (type and size); the second time it lets `streamMessage` assemble the text and logs
 * the stop reason. Pick `heartbeats` to see comments that must not become events, `overloaded` for an
 * `error` event.
 */
import { readEvents, streamMessage } from './starter.ts';

const request = (): Promise<Response> =>
  fetch(`${process.env.ANTHROPIC_BASE_URL}/v1/messages`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-api-key': process.env.ANTHROPIC_API_KEY ?? '',
      'anthropic-version': '2023-06-01',
    },
    body: JSON.stringify({
      model: 'claude-sonnet-4-6',
      max_tokens: 200,
      stream: true,
      messages: [{ role: 'user', content: 'What does the event: field of an SSE event do?' }],
    }),
  });

export default async function run() {
  const types: string[] = [];
  await readEvents(await request(), (event) => {
    types.push(event.type);
    console.log(`${event.type} (${event.data.length} characters of data)`);
  });
  console.log(`readEvents reported ${types.length} events.`);
  const message = await streamMessage(await request(), () => {});
  console.log(
    `streamMessage: ${message.text.length} characters, stop reason ${message.stopReason}`,
  );
  console.log(message.text);
  return { events: types.length, stopReason: message.stopReason, text: message.text };
}
