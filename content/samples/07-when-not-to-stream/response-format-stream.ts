// Type-checked against openai v7, not run in CI: the course's mock does not implement response_format.
import OpenAI from 'openai';
import { zodResponseFormat } from 'openai/helpers/zod';
import { z } from 'zod';

const Review = z.object({
  title: z.string(),
  points: z.array(z.string()),
  verdict: z.enum(['recommend', 'neutral', 'avoid']),
});

/** Structured output with response_format: `content.delta` carries a partial parse in `parsed`. */
export async function streamReview(onPartial: (partial: unknown) => void) {
  const client = new OpenAI();
  const stream = client.chat.completions
    .stream({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Review the Aeropress coffee maker.' }],
      response_format: zodResponseFormat(Review, 'review'),
    })
    .on('content.delta', ({ parsed }) => onPartial(parsed));

  const completion = await stream.finalChatCompletion();
  // The complete object, validated against the Zod schema (null if the model refused).
  return completion.choices[0]?.message.parsed ?? null;
}
