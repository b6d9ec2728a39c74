/**
 * Stream a reply from the OpenAI Responses API and return its text, its token usage and its final status.
 *
 * The stream is a series of typed events (`event.type`): `response.created`, `response.output_text.delta`
 * (the text, a piece at a time), `response.output_text.done`, …, and one terminal event,
 * `response.completed` (or `response.incomplete` when the reply was cut short) that carries the whole
 * response object with its `usage` and `status`.
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
  for await (const event of stream) {
    // TODO: switch on event.type: pass text pieces to onText, keep the terminal event's response.
    void event;
    void onText;
  }
  return { text, usage: null, status: 'unknown' };
}
