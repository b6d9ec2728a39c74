import Anthropic from '@anthropic-ai/sdk';
import OpenAI, { toFile } from 'openai';

export const PROMPT =
  'Label this support ticket as billing, bug or other. Reply with the label only.';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A label per ticket, in input order; `undefined` where that request failed. */
export type Labels = (string | undefined)[];

/** OpenAI Batch API: upload a JSONL file of requests, create a batch, poll it, read the output file. */
export async function openaiBatch(tickets: string[], pollMs = 5000): Promise<Labels> {
  const client = new OpenAI();
  const lines = tickets.map((ticket, i) =>
    JSON.stringify({
      custom_id: `ticket-${i}`, // results come back in any order: this is how you match them
      method: 'POST',
      url: '/v1/chat/completions',
      body: {
        model: 'gpt-4o-mini',
        max_completion_tokens: 5,
        messages: [
          { role: 'system', content: PROMPT },
          { role: 'user', content: ticket },
        ],
      },
    }),
  );
  const input = await client.files.create({
    file: await toFile(new TextEncoder().encode(lines.join('\n')), 'tickets.jsonl'),
    purpose: 'batch',
  });
  let batch = await client.batches.create({
    input_file_id: input.id,
    endpoint: '/v1/chat/completions',
    completion_window: '24h',
  });
  while (!['completed', 'failed', 'expired', 'cancelled'].includes(batch.status)) {
    await sleep(pollMs); // real batches take minutes to hours: poll slowly, or run this as a job
    batch = await client.batches.retrieve(batch.id);
  }
  if (batch.status === 'failed') {
    const why = batch.errors?.data?.map((e) => `line ${e.line}: ${e.message}`).join('; ');
    throw new Error(`batch ${batch.id} failed validation: ${why}`);
  }
  // Successes are in the output file, failed requests in the error file: one JSON object per line.
  const labels: Labels = tickets.map(() => undefined);
  if (batch.output_file_id) {
    const text = await (await client.files.content(batch.output_file_id)).text();
    for (const line of text.split('\n').filter(Boolean)) {
      const { custom_id, response } = JSON.parse(line);
      const index = Number(custom_id.slice('ticket-'.length));
      labels[index] = response.body.choices[0].message.content.trim();
    }
  }
  return labels;
}

/** Anthropic Message Batches: the requests go inline; results stream back as JSONL when it ends. */
export async function anthropicBatch(tickets: string[], pollMs = 5000): Promise<Labels> {
  const client = new Anthropic();
  let batch = await client.messages.batches.create({
    requests: tickets.map((ticket, i) => ({
      custom_id: `ticket-${i}`,
      params: {
        model: 'claude-haiku-4-5',
        max_tokens: 5,
        system: PROMPT,
        messages: [{ role: 'user', content: ticket }],
      },
    })),
  });
  while (batch.processing_status !== 'ended') {
    await sleep(pollMs);
    batch = await client.messages.batches.retrieve(batch.id);
  }
  const labels: Labels = tickets.map(() => undefined);
  for await (const { custom_id, result } of await client.messages.batches.results(batch.id)) {
    if (result.type !== 'succeeded') continue; // 'errored', 'canceled' or 'expired'
    const block = result.message.content[0];
    labels[Number(custom_id.slice('ticket-'.length))] =
      block?.type === 'text' ? block.text.trim() : '';
  }
  return labels;
}
