/**
 * Buggy on purpose: buffers lines correctly but decodes each read with a fresh TextDecoder, so a multi-byte
 * character cut between two reads becomes U+FFFD. Must fail `split-character` (see lab.json).
 */
export async function streamText(
  response: Response,
  onText: (text: string) => void,
): Promise<string> {
  const reader = response.body!.getReader();
  let buffer = '';
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text;
    buffer += new TextDecoder().decode(value);
    const lines = buffer.split(/\r\n|\r(?!$)|\n/);
    buffer = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.startsWith('data:')) continue;
      const data = line.slice(5).trim();
      if (data === '[DONE]') {
        await reader.cancel();
        return text;
      }
      const piece = JSON.parse(data).choices?.[0]?.delta?.content;
      if (piece) {
        text += piece;
        onText(piece);
      }
    }
  }
}
