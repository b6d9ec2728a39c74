import Anthropic from '@anthropic-ai/sdk';
import { anthropicTools, question } from './tools.ts';

/**
 * Shows a tool call's input while it streams, safely: the preview is display-only and goes through
 * `textContent`-style rendering; the tool runs only with the complete input from `contentBlock`.
 */
export async function run(): Promise<{
  previews: string[];
  executed: { name: string; input: unknown }[];
}> {
  const client = new Anthropic();
  const previews: string[] = [];
  const executed: { name: string; input: unknown }[] = [];

  const stream = client.messages
    .stream({
      model: 'claude-sonnet-4-6',
      max_tokens: 1024,
      messages: [{ role: 'user', content: question }],
      tools: anthropicTools,
    })
    .on('inputJson', (_partialJson, snapshot) => {
      // `snapshot` is the SDK's best-effort parse of the incomplete JSON: fields may be cut short
      // ("Par" on the way to "Paris") or missing. Good for a preview; never act on it.
      previews.push(JSON.stringify(snapshot));
    })
    .on('contentBlock', (block) => {
      // A finished block: for tool_use, `input` is now complete and safe to validate and run.
      if (block.type === 'tool_use') executed.push({ name: block.name, input: block.input });
    });

  await stream.done();
  return { previews, executed };
}
