import OpenAI from 'openai';

/**
 * What to record for every streamed answer, named after the OpenTelemetry GenAI semantic conventions
 * (durations in seconds, as OpenTelemetry records them). Measured at the client: the time to first
 * token here includes the network and every proxy on the way.
 */
export interface StreamMetrics {
  'gen_ai.request.model': string;
  'gen_ai.response.finish_reasons': string[];
  'gen_ai.usage.input_tokens': number;
  'gen_ai.usage.output_tokens': number;
  /** Cached prompt tokens, billed at a discount (`prompt_tokens_details.cached_tokens`). */
  cachedInputTokens: number;
  /** Seconds from sending the request to the first text. */
  timeToFirstToken: number;
  /** Seconds from the first text to the end, per output token. */
  timePerOutputToken: number;
  /** Seconds for the whole operation (`gen_ai.client.operation.duration`). */
  'gen_ai.client.operation.duration': number;
  /** The longest silence between two chunks, in seconds: the number that predicts idle timeouts. */
  maxChunkGap: number;
}

export async function run(question = 'How do I measure a stream?'): Promise<StreamMetrics> {
  const client = new OpenAI();
  const model = 'gpt-4o-mini';
  const started = performance.now();
  let first = 0;
  let previous = started;
  let maxGap = 0;
  const finishReasons: string[] = [];
  let usage: OpenAI.CompletionUsage | undefined;

  const stream = await client.chat.completions.create({
    model,
    stream: true,
    stream_options: { include_usage: true }, // the usage chunk is the only place the counts arrive
    messages: [{ role: 'user', content: question }],
  });
  for await (const chunk of stream) {
    const now = performance.now();
    maxGap = Math.max(maxGap, now - previous);
    previous = now;
    const choice = chunk.choices[0];
    if (!first && choice?.delta.content) first = now;
    if (choice?.finish_reason) finishReasons.push(choice.finish_reason);
    if (chunk.usage) usage = chunk.usage;
  }
  const ended = performance.now();
  // An aborted stream has no usage chunk: its tokens are still billed, so estimate them from the text.
  if (!usage) throw new Error('No usage chunk: the stream did not finish.');
  const seconds = (ms: number) => ms / 1000;
  return {
    'gen_ai.request.model': model,
    'gen_ai.response.finish_reasons': finishReasons,
    'gen_ai.usage.input_tokens': usage.prompt_tokens,
    'gen_ai.usage.output_tokens': usage.completion_tokens,
    cachedInputTokens: usage.prompt_tokens_details?.cached_tokens ?? 0,
    timeToFirstToken: seconds(first - started),
    timePerOutputToken: seconds((ended - first) / Math.max(1, usage.completion_tokens)),
    'gen_ai.client.operation.duration': seconds(ended - started),
    maxChunkGap: seconds(maxGap),
  };
}
