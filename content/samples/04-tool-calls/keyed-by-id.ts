// BUGGY ON PURPOSE: keys streamed tool-call fragments by `id`. Only the first fragment has one.
import OpenAI from 'openai';
import { openaiTools, question } from './tools.ts';

export async function run(): Promise<Record<string, { name?: string; args: string }>> {
  const client = new OpenAI();
  const stream = await client.chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: question }],
    tools: openaiTools,
    stream: true,
  });

  const byId: Record<string, { name?: string; args: string }> = {};
  for await (const chunk of stream) {
    for (const fragment of chunk.choices[0]?.delta.tool_calls ?? []) {
      const key = String(fragment.id); // BUG: "undefined" for every fragment after the first
      byId[key] ??= { name: fragment.function?.name, args: '' };
      byId[key].args += fragment.function?.arguments ?? '';
    }
  }
  // The real calls end up with empty arguments; every other fragment piles up under "undefined".
  return byId;
}
