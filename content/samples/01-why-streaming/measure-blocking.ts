import OpenAI from 'openai';

/** The same question without streaming: the user sees nothing until `totalMs`. */
export async function run(): Promise<{ totalMs: number; text: string }> {
  const client = new OpenAI();

  const start = performance.now();
  const completion = await client.chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: 'Explain garbage collection in two paragraphs.' }],
  });
  const totalMs = performance.now() - start;

  return { totalMs, text: completion.choices[0]?.message.content ?? '' };
}
