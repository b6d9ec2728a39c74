/**
 * What Run does: asks the mock for a streamed chat completion and hands the response to the learner's
 * `streamText`, logging each piece of text it calls back with.
 */
import { streamText } from './starter.ts';

export default async function run(): Promise<string> {
  const response = await fetch(`${process.env.OPENAI_BASE_URL}/chat/completions`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${process.env.OPENAI_API_KEY}`,
    },
    body: JSON.stringify({
      model: 'gpt-4o-mini',
      stream: true,
      messages: [{ role: 'user', content: 'Explain Server-Sent Events in two sentences.' }],
    }),
  });
  let pieces = 0;
  const text = await streamText(response, (piece) => {
    pieces++;
    console.log(JSON.stringify(piece));
  });
  console.log(`streamText returned ${text.length} characters in ${pieces} pieces.`);
  return text;
}
