/**
 * ALTERNATIVE correct solution (a test fixture, graded by `src/lab/grade/alt.test.ts`): the SDK's
 * `responses.stream()` helper with an event listener, and `finalResponse()`, whose status is checked:
 * the helper resolves with `failed` after `response.failed` and with `in_progress` for a stream cut
 * cleanly, instead of rejecting.
 */
import type OpenAI from 'openai';

export async function streamResponse(
  client: OpenAI,
  prompt: string,
  onText: (text: string) => void,
  maxOutputTokens?: number,
) {
  let text = '';
  const stream = client.responses.stream({
    model: 'gpt-4.1',
    input: prompt,
    max_output_tokens: maxOutputTokens ?? null,
  });
  stream.on('response.output_text.delta', (event) => {
    text += event.delta;
    onText(event.delta);
  });
  const final = await stream.finalResponse();
  if (final.status !== 'completed' && final.status !== 'incomplete') {
    throw new Error(
      `the reply ended with status ${final.status}: ${final.error?.message ?? 'cut short'}`,
    );
  }
  const usage = final.usage;
  return {
    text,
    usage: usage
      ? {
          input_tokens: usage.input_tokens,
          output_tokens: usage.output_tokens,
          total_tokens: usage.total_tokens,
        }
      : null,
    status: final.status,
  };
}
