/**
 * Buggy on purpose: handles `response.failed` as one more terminal event, so a reply that fails half-way
 * (a rate limit mid-stream) is returned with status `failed` instead of rejecting. Must fail
 * `failed-mid-stream` (see lab.json).
 */
import type OpenAI from 'openai';

export interface ResponseResult {
  text: string;
  usage: { input_tokens: number; output_tokens: number; total_tokens: number } | null;
  /** `completed`, or `incomplete` when the reply was cut (for instance by `max_output_tokens`). */
  status: string;
}

export async function streamResponse(
  client: OpenAI,
  prompt: string,
  onText: (text: string) => void,
  maxOutputTokens?: number,
): Promise<ResponseResult> {
  const stream = await client.responses.create({
    model: 'gpt-4.1',
    input: prompt,
    stream: true,
    ...(maxOutputTokens !== undefined ? { max_output_tokens: maxOutputTokens } : {}),
  });
  let text = '';
  let final: OpenAI.Responses.Response | undefined;
  for await (const event of stream) {
    switch (event.type) {
      case 'response.output_text.delta':
        text += event.delta;
        onText(event.delta);
        break;
      case 'response.completed':
      case 'response.incomplete':
      case 'response.failed':
        final = event.response;
        break;
    }
  }
  if (!final) throw new Error('the stream ended before response.completed: the reply is cut short');
  const usage = final.usage
    ? {
        input_tokens: final.usage.input_tokens,
        output_tokens: final.usage.output_tokens,
        total_tokens: final.usage.total_tokens,
      }
    : null;
  return { text, usage, status: final.status ?? 'completed' };
}
