import { createAnthropic } from '@ai-sdk/anthropic';
import { stepCountIs, streamText, tool } from 'ai';
import { z } from 'zod';

/**
 * The same loop with the AI SDK: `streamText` runs the tools and the follow-up turns itself
 * (`stopWhen`), passes thinking back with its signature, and gives one stream of typed parts.
 */
export async function run(question = 'What is the weather in Paris?') {
  const anthropic = createAnthropic({ baseURL: `${process.env.ANTHROPIC_BASE_URL}/v1` });
  const result = streamText({
    model: anthropic('claude-sonnet-4-6'),
    prompt: question,
    providerOptions: { anthropic: { thinking: { type: 'enabled', budgetTokens: 2048 } } },
    tools: {
      get_weather: tool({
        description: 'Current weather for a city',
        inputSchema: z.object({ city: z.string() }),
        execute: async ({ city }) => ({ city, sky: 'light rain', celsius: 14 }),
      }),
    },
    stopWhen: stepCountIs(4),
    maxRetries: 0,
  });
  const parts: string[] = [];
  let reasoning = '';
  let text = '';
  for await (const part of result.fullStream) {
    if (part.type === 'reasoning-delta') reasoning += part.text;
    if (part.type === 'text-delta') text += part.text;
    if (['tool-call', 'tool-result', 'tool-error', 'finish-step'].includes(part.type))
      parts.push(part.type);
  }
  return { reasoning, text, parts, steps: (await result.steps).length };
}
