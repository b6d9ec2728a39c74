/**
 * What Run does: one streamed reply from the Responses API (the client reads the mock's URL and key from
 * process.env), logging how many pieces arrived and what `streamResponse` returned. On the timeline every
 * event is named: look for the one terminal event at the end.
 */
import OpenAI from 'openai';
import { streamResponse } from './starter.ts';

export default async function run() {
  let pieces = 0;
  const result = await streamResponse(
    new OpenAI(),
    'How does the Responses API end a stream?',
    () => pieces++,
  );
  console.log(`${result.text.length} characters in ${pieces} pieces, status ${result.status}`);
  console.log(`usage: ${JSON.stringify(result.usage)}`);
  console.log(result.text);
  return result;
}
