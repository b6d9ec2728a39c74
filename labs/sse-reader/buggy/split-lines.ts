/**
 * Buggy on purpose: splits each read on newlines by itself, so a line cut between two reads is parsed as
 * two broken halves (and dropped). Must fail `split-event` (see lab.json).
 */
export async function streamText(
  response: Response,
  onText: (text: string) => void,
): Promise<string> {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return text;
    for (const line of decoder.decode(value, { stream: true }).split('\n')) {
      if (!line.startsWith('data: ')) continue;
      const data = line.slice(6).trim();
      if (data === '[DONE]') {
        await reader.cancel();
        return text;
      }
      try {
        const piece = JSON.parse(data).choices?.[0]?.delta?.content;
        if (piece) {
          text += piece;
          onText(piece);
        }
      } catch {
        // Half a line is not JSON: the classic bug throws it away.
      }
    }
  }
}
