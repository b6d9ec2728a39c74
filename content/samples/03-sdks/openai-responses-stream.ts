import OpenAI from 'openai';

export interface ResponsesResult {
  streamed: string;
  finalText: string;
  /** `completed`, or `incomplete` when the answer was cut (by `max_output_tokens`, or a filter). */
  status: 'completed' | 'incomplete';
  /** Why an incomplete answer stopped: `max_output_tokens`, `content_filter`, ... */
  incompleteReason: string | null;
  outputTokens: number | undefined;
}

/** The Responses API with its `responses.stream()` helper: typed, named events. */
export async function run(maxOutputTokens?: number): Promise<ResponsesResult> {
  const client = new OpenAI();
  let streamed = '';

  const stream = client.responses
    .stream({
      model: 'gpt-4o-mini',
      input: 'Give me three tips for naming variables.',
      ...(maxOutputTokens !== undefined ? { max_output_tokens: maxOutputTokens } : {}),
    })
    .on('response.output_text.delta', (event) => {
      streamed += event.delta;
    });

  // Resolves when the stream ends, however it ended. It rejects on an `error` event, a network error
  // or an abort, but NOT on `response.failed` (status "failed") or on a connection that closed
  // cleanly before the last event (status "in_progress"). So look at the status.
  const response = await stream.finalResponse();
  if (response.status !== 'completed' && response.status !== 'incomplete') {
    const why = response.error?.message ?? 'the stream ended before its last event';
    throw new Error(`The response ended with status "${response.status}": ${why}`);
  }
  return {
    streamed,
    finalText: response.output_text,
    status: response.status,
    incompleteReason: response.incomplete_details?.reason ?? null,
    outputTokens: response.usage?.output_tokens,
  };
}
