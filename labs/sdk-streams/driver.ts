/**
 * What Run does: the same question to both SDKs (each client reads the mock's URL and key from
 * process.env), logging the size of each piece as it arrives and what each function returned. The two
 * requests show up as two bands on the timeline: OpenAI's chunks, then Anthropic's typed events.
 */
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { streamAnthropic, streamOpenAI } from './starter.ts';

const PROMPT = 'What does stream_options.include_usage change?';

export default async function run() {
  let pieces = 0;
  const openai = await streamOpenAI(new OpenAI(), PROMPT, () => pieces++);
  console.log(`openai: ${openai.text.length} characters in ${pieces} pieces`);
  console.log(
    `openai usage: ${JSON.stringify(openai.usage)}, finish reason: ${openai.finishReason}`,
  );

  pieces = 0;
  const anthropic = await streamAnthropic(new Anthropic(), PROMPT, () => pieces++);
  console.log(`anthropic: ${anthropic.text.length} characters in ${pieces} pieces`);
  console.log(
    `anthropic usage: ${JSON.stringify(anthropic.usage)}, stop reason: ${anthropic.stopReason}`,
  );
  return { openai, anthropic };
}
