// Type-checked against the installed SDKs, not run in CI: the course's mock has no batch endpoints.
import Anthropic from '@anthropic-ai/sdk';
import OpenAI, { toFile } from 'openai';

/** OpenAI Batch API: upload a JSONL file of requests, then create a batch that runs within 24 h. */
export async function submitOpenAIBatch(tickets: string[]): Promise<string> {
  const client = new OpenAI();
  const lines = tickets.map((ticket, i) =>
    JSON.stringify({
      custom_id: `ticket-${i}`, // how you match results to inputs: results come back in any order
      method: 'POST',
      url: '/v1/chat/completions',
      body: { model: 'gpt-4o-mini', messages: [{ role: 'user', content: ticket }] },
    }),
  );
  const file = await client.files.create({
    file: await toFile(new TextEncoder().encode(lines.join('\n')), 'tickets.jsonl'),
    purpose: 'batch',
  });
  const batch = await client.batches.create({
    input_file_id: file.id,
    endpoint: '/v1/chat/completions',
    completion_window: '24h',
  });
  return batch.id; // poll client.batches.retrieve(id) until status is "completed"
}

/** Anthropic Message Batches: the requests go inline, each with its own custom_id. */
export async function submitAnthropicBatch(tickets: string[]): Promise<string> {
  const client = new Anthropic();
  const batch = await client.messages.batches.create({
    requests: tickets.map((ticket, i) => ({
      custom_id: `ticket-${i}`,
      params: {
        model: 'claude-haiku-4-5',
        max_tokens: 16,
        messages: [{ role: 'user', content: ticket }],
      },
    })),
  });
  return batch.id; // poll client.messages.batches.retrieve(id) until processing_status is "ended"
}
