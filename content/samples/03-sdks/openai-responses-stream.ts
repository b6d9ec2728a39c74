import OpenAI from 'openai';

/** The Responses API with its `responses.stream()` helper: typed, named events. */
export async function run(): Promise<{
  streamed: string;
  finalText: string;
  status: string | undefined;
  outputTokens: number | undefined;
}> {
  const client = new OpenAI();
  let streamed = '';

  const stream = client.responses
    .stream({
      model: 'gpt-4o-mini',
      input: 'Give me three tips for naming variables.',
    })
    .on('response.output_text.delta', (event) => {
      streamed += event.delta;
    });

  // Waits for the terminal event; rejects on `response.failed` or an `error` event.
  const response = await stream.finalResponse();
  return {
    streamed,
    finalText: response.output_text,
    status: response.status,
    outputTokens: response.usage?.output_tokens,
  };
}
