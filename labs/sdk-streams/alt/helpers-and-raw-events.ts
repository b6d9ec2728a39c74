/**
 * ALTERNATIVE correct solution (a test fixture, graded by `src/lab/grade/alt.test.ts`): openai's
 * `chat.completions.stream()` helper, whose final completion carries the usage and the finish reason
 * (and which rejects when the stream ends without one), and Anthropic's raw event stream read by hand,
 * complete only once `message_stop` has arrived.
 */
import type Anthropic from '@anthropic-ai/sdk';
import type OpenAI from 'openai';

export async function streamOpenAI(client: OpenAI, prompt: string, onText: (text: string) => void) {
  const stream = client.chat.completions.stream({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: prompt }],
    stream_options: { include_usage: true },
  });
  stream.on('content', (delta) => {
    if (delta) onText(delta);
  });
  const completion = await stream.finalChatCompletion();
  const choice = completion.choices[0]!;
  return {
    text: choice.message.content ?? '',
    usage: completion.usage ?? null,
    finishReason: choice.finish_reason,
  };
}

export async function streamAnthropic(
  client: Anthropic,
  prompt: string,
  onText: (text: string) => void,
  maxTokens = 1024,
) {
  const events = await client.messages.create({
    model: 'claude-sonnet-4-6',
    max_tokens: maxTokens,
    messages: [{ role: 'user', content: prompt }],
    stream: true,
  });
  let text = '';
  let input = 0;
  let output = 0;
  let stopReason: string | null = null;
  let stopped = false;
  for await (const event of events) {
    switch (event.type) {
      case 'message_start':
        input = event.message.usage.input_tokens;
        break;
      case 'content_block_delta':
        if (event.delta.type === 'text_delta') {
          text += event.delta.text;
          onText(event.delta.text);
        }
        break;
      case 'message_delta':
        stopReason = event.delta.stop_reason;
        output = event.usage.output_tokens;
        break;
      case 'message_stop':
        stopped = true;
        break;
    }
  }
  if (!stopped) throw new Error('The message ended without message_stop.');
  return { text, usage: { input_tokens: input, output_tokens: output }, stopReason };
}
