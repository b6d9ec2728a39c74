import OpenAI from 'openai';
import type { ResponseStreamEvent } from 'openai/resources/responses/responses';

/**
 * Resumes a Responses stream after a dropped connection instead of starting over. With
 * `background: true` the generation runs on the server whether or not we are connected, so after a
 * drop we ask for the same response again, from the event after the last one we handled.
 */
export async function run(maxResumes = 2): Promise<{
  text: string;
  status: string;
  resumedAfter: number[];
}> {
  const client = new OpenAI({ maxRetries: 0 });
  let id = '';
  let last = -1; // sequence_number of the last event handled
  let text = '';
  let status = '';
  const resumedAfter: number[] = [];
  const handle = (event: ResponseStreamEvent) => {
    if (event.type === 'response.created') id = event.response.id;
    if (event.type === 'response.output_text.delta') text += event.delta;
    if (event.type === 'response.completed' || event.type === 'response.incomplete')
      status = event.response.status ?? '';
    if (event.type === 'response.failed') throw new Error('The response failed.');
    last = event.sequence_number;
  };

  let stream = await client.responses.create({
    model: 'gpt-4o-mini',
    input: 'Explain how a stream can be resumed after a dropped connection.',
    background: true, // keep generating on the server if we drop
    stream: true,
  });
  for (;;) {
    try {
      for await (const event of stream) handle(event);
      if (!status) throw new Error('The stream ended before its terminal event.');
      return { text, status, resumedAfter };
    } catch (error) {
      if (!id || resumedAfter.length >= maxResumes) throw error; // no id: nothing to resume
      resumedAfter.push(last);
      // GET /v1/responses/{id}?stream=true&starting_after=N: only the events we have not seen.
      stream = await client.responses.retrieve(id, { stream: true, starting_after: last });
    }
  }
}

/** Stops a background response: closing the connection does not. */
export async function cancel(responseId: string): Promise<string | undefined> {
  const cancelled = await new OpenAI().responses.cancel(responseId);
  return cancelled.status;
}
