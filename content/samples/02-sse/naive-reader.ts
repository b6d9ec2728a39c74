// BUGGY ON PURPOSE: the reader most tutorials show. Each marked line is a pitfall of this lesson.

/** Reads the text of a Chat Completions stream. Works on a fast local network; fails in the wild. */
export async function readTextNaively(response: Response): Promise<string> {
  const reader = response.body!.getReader();
  let text = '';
  while (true) {
    const { done, value } = await reader.read();
    if (done) break;
    const chunk = new TextDecoder().decode(value); // BUG: a character split across reads breaks
    for (const line of chunk.split('\n')) {
      // BUG: a line split across two reads arrives as two halves, and both are dropped below
      if (!line.startsWith('data: ')) continue; // BUG: `data:x` without the space is valid SSE
      const data = line.slice(6);
      if (data === '[DONE]') break; // BUG: leaves only this inner loop; the outer one reads on
      try {
        text += JSON.parse(data).choices[0].delta.content ?? '';
      } catch {
        // BUG: silently skips the halves of a split line, so text goes missing
      }
    }
  }
  return text;
}

/** Runs the naive reader against a real stream. */
export async function run(): Promise<string> {
  const baseURL = process.env.OPENAI_BASE_URL ?? 'https://api.openai.com/v1';
  const response = await fetch(`${baseURL}/chat/completions`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${process.env.OPENAI_API_KEY ?? ''}`,
    },
    body: JSON.stringify({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: 'Say hello in three languages.' }],
      stream: true,
    }),
  });
  return readTextNaively(response);
}
