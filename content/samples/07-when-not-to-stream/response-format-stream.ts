import OpenAI from 'openai';
import { zodResponseFormat } from 'openai/helpers/zod';
import { z } from 'zod';

const Review = z.object({
  title: z.string(),
  points: z.array(z.string()),
  verdict: z.enum(['recommend', 'neutral', 'avoid']),
});
export type Review = z.infer<typeof Review>;

/** Structured output with response_format: each `content.delta` carries a partial parse. */
export async function run(onPartial: (partial: unknown) => void = () => {}): Promise<Review> {
  const client = new OpenAI();
  const stream = client.chat.completions
    .stream({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Review the Aeropress coffee maker.' }],
      response_format: zodResponseFormat(Review, 'review'),
    })
    .on('content.delta', ({ parsed }) => onPartial(parsed)); // a partial object: render, never trust

  const completion = await stream.finalChatCompletion();
  // The complete object, validated against the Zod schema; null if the model refused.
  const review = completion.choices[0]?.message.parsed;
  if (!review) throw new Error(`no review: ${completion.choices[0]?.message.refusal ?? 'empty'}`);
  return review;
}
