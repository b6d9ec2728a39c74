/**
 * Buggy on purpose: parses correctly but skips `data: [DONE]` and reads until the connection closes, which
 * hangs on a server that keeps it open. Must fail `stops-at-done` (see lab.json).
 */
export async function streamText(
  response: Response,
  onText: (text: string) => void,
): Promise<string> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    buffer += done ? decoder.decode() : decoder.decode(value, { stream: true });
    const lines = buffer.split(/\r\n|\r(?!$)|\n/);
    buffer = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.startsWith('data:')) continue;
      const data = line.slice(5).trim();
      if (data === '[DONE]') continue;
      const piece = JSON.parse(data).choices?.[0]?.delta?.content;
      if (piece) {
        text += piece;
        onText(piece);
      }
    }
    if (done) return text;
  }
}
