import OpenAI from 'openai';

/**
 * The Responses API streams a summary of the model's reasoning (when you ask for one) before the
 * answer. The reasoning itself stays hidden, but it is billed: `reasoning_tokens` says how much.
 */
export async function run(question = 'Should I stream a 20-second answer?') {
  const client = new OpenAI();
  let summary = '';
  let answer = '';
  const stream = client.responses.stream({
    model: 'gpt-5',
    input: question,
    reasoning: { effort: 'medium', summary: 'auto' },
  });
  stream.on('response.reasoning_summary_text.delta', (e) => (summary += e.delta));
  stream.on('response.output_text.delta', (e) => (answer += e.delta));
  const response = await stream.finalResponse();
  if (response.status !== 'completed') {
    // max_output_tokens can run out while the model is still reasoning: no answer at all.
    throw new Error(`The answer is ${response.status}: ${response.incomplete_details?.reason}`);
  }
  return {
    summary,
    answer,
    reasoningTokens: response.usage?.output_tokens_details.reasoning_tokens ?? 0,
    outputTokens: response.usage?.output_tokens ?? 0,
  };
}
