import OpenAI from 'openai';

/**
 * A long answer in Responses background mode: the model keeps generating on the server whatever happens
 * to our connection, so after a drop we resume from the last `sequence_number` we saw, and lose nothing.
 */
export async function run(question = 'Write a detailed plan for moving a service to streaming.') {
  const client = new OpenAI();
  let id = '';
  let last = -1; // the sequence_number of the last event we handled
  let text = '';
  let status = '';
  let resumes = 0;

  const handle = (event: OpenAI.Responses.ResponseStreamEvent) => {
    if (event.sequence_number <= last) return; // never apply an event twice
    last = event.sequence_number;
    if (event.type === 'response.created') id = event.response.id;
    if (event.type === 'response.output_text.delta') text += event.delta;
    if (event.type === 'response.completed' || event.type === 'response.incomplete')
      status = event.response.status ?? '';
  };

  try {
    const stream = await client.responses.create({
      model: 'gpt-5',
      input: question,
      background: true, // generate on the server, resumable
      stream: true,
    });
    for await (const event of stream) handle(event);
  } catch (error) {
    if (!id) throw error; // nothing to resume: the request itself failed
  }

  while (!status && resumes < 3) {
    resumes++;
    try {
      // Resumes ON THE SERVER: only events after `last` travel again.
      const rest = await client.responses.retrieve(id, { stream: true, starting_after: last });
      for await (const event of rest) handle(event);
    } catch {
      // dropped again: loop and resume from the new `last`
    }
  }
  if (status !== 'completed')
    throw new Error(`The answer did not complete (status: ${status || 'unknown'}).`);
  return { id, text, resumes, lastSequenceNumber: last };
}
