import OpenAI from 'openai';
import type { ChatCompletionTool } from 'openai/resources/chat/completions';

/** The object we want: a title, some key points, and a verdict. */
export interface Review {
  title: string;
  points: string[];
  verdict: 'recommend' | 'neutral' | 'avoid';
}

const reviewTool: ChatCompletionTool = {
  type: 'function',
  function: {
    name: 'write_review',
    description: 'Write a structured product review.',
    strict: true, // strict tools get partial parses from the SDK while they stream
    parameters: {
      type: 'object',
      properties: {
        title: { type: 'string' },
        points: { type: 'array', items: { type: 'string' } },
        verdict: { type: 'string', enum: ['recommend', 'neutral', 'avoid'] },
      },
      required: ['title', 'points', 'verdict'],
      additionalProperties: false,
    },
  },
};

/** What the UI can safely show from a partial object: complete items, and the field in progress. */
export interface ReviewPreview {
  title: string | undefined;
  /** Points that are certainly finished: every one except the last, which may still grow. */
  donePoints: string[];
  /** The last point so far, still being written (render it as in progress). */
  currentPoint: string | undefined;
  verdict: string | undefined;
}

export function preview(partial: unknown): ReviewPreview {
  const value = (typeof partial === 'object' && partial !== null ? partial : {}) as Partial<Review>;
  const points = Array.isArray(value.points)
    ? value.points.filter((p) => typeof p === 'string')
    : [];
  return {
    title: typeof value.title === 'string' ? value.title : undefined,
    donePoints: points.slice(0, -1),
    currentPoint: points.at(-1),
    verdict: typeof value.verdict === 'string' ? value.verdict : undefined,
  };
}

/**
 * Streams a structured object (as a forced, strict tool call) and renders partial objects as they
 * grow. Only the final, complete object is validated and returned.
 */
export async function run(): Promise<{ previews: ReviewPreview[]; review: Review }> {
  const client = new OpenAI();
  const previews: ReviewPreview[] = [];

  const stream = client.chat.completions
    .stream({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Review the Aeropress coffee maker.' }],
      tools: [reviewTool],
      tool_choice: { type: 'function', function: { name: 'write_review' } },
    })
    .on('tool_calls.function.arguments.delta', (event) => {
      // parsed_arguments: the SDK's partial parse of the JSON so far (strings may be cut short).
      previews.push(preview(event.parsed_arguments));
    });

  const message = await stream.finalMessage();
  const call = message.tool_calls?.[0];
  if (call?.type !== 'function') throw new Error('The model did not return the review.');
  const review = JSON.parse(call.function.arguments) as Review; // complete now: parse and validate
  if (typeof review.title !== 'string' || !Array.isArray(review.points)) {
    throw new Error(`The review does not match its schema: ${call.function.arguments}`);
  }
  return { previews, review };
}
