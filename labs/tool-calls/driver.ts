/**
 * What Run does: asks the mock for a reply that may call three tools at once (the model calls them all,
 * in parallel) and prints the calls `collectToolCalls` returns. On the timeline, watch each call's
 * argument fragments arrive a few characters at a time.
 */
import { collectToolCalls } from './starter.ts';

export const TOOLS = [
  {
    type: 'function',
    function: {
      name: 'get_weather',
      description: 'Current weather in a city',
      parameters: {
        type: 'object',
        properties: {
          city: { type: 'string' },
          unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
        },
        required: ['city', 'unit'],
      },
    },
  },
  {
    type: 'function',
    function: {
      name: 'search_docs',
      description: 'Search the documentation',
      parameters: {
        type: 'object',
        properties: { query: { type: 'string' }, limit: { type: 'integer', maximum: 10 } },
        required: ['query', 'limit'],
      },
    },
  },
  {
    type: 'function',
    function: {
      name: 'get_time',
      description: 'The current time',
      parameters: { type: 'object', properties: {} },
    },
  },
];

export default async function run() {
  const response = await fetch(`${process.env.OPENAI_BASE_URL}/chat/completions`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${process.env.OPENAI_API_KEY}`,
    },
    body: JSON.stringify({
      model: 'gpt-4o-mini',
      stream: true,
      tools: TOOLS,
      messages: [{ role: 'user', content: 'Weather in Lisbon, the "SSE" docs, and the time?' }],
    }),
  });
  const calls = await collectToolCalls(response);
  for (const call of calls) {
    console.log(`${call.id} ${call.name}(${JSON.stringify(call.arguments)})`);
  }
  console.log(`${calls.length} tool call(s).`);
  return calls;
}
