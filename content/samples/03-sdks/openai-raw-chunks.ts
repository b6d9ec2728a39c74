import OpenAI from 'openai';
import type { CompletionUsage } from 'openai/resources/completions';

export interface RawResult {
  text: string;
  finishReason: string | null;
  usage: CompletionUsage | null;
  chunks: number;
}

/** Iterates the raw chunks of a Chat Completions stream (openai v7). */
export async function run(): Promise<RawResult> {
  const client = new OpenAI();
  const stream = await client.chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: 'Give me three tips for naming variables.' }],
    stream: true,
    stream_options: { include_usage: true }, // adds one last chunk with token counts
  });

  let text = '';
  let finishReason: string | null = null;
  let usage: CompletionUsage | null = null;
  let chunks = 0;

  for await (const chunk of stream) {
    chunks += 1;
    // The usage chunk comes last and its `choices` is an empty array: never assume choices[0].
    if (chunk.usage) usage = chunk.usage;
    const choice = chunk.choices[0];
    if (!choice) continue;
    text += choice.delta.content ?? ''; // content is absent or null on some chunks
    finishReason = choice.finish_reason ?? finishReason;
  }

  // The raw iterator ends quietly if the connection closes early. No finish_reason = cut short.
  if (finishReason === null)
    throw new Error(`Stream ended without a finish_reason after ${chunks} chunks.`);
  return { text, finishReason, usage, chunks };
}
