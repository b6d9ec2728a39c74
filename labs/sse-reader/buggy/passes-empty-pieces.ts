/**
 * Bug: passes every piece that is not null or undefined to onText, so the role chunk's content ""
 * becomes an empty piece (a blank line in a chat window, a "" in the console).
 */
export async function streamText(
  response: Response,
  onText: (text: string) => void,
): Promise<string> {
  if (!response.ok || !response.body) {
    throw new Error(`Request failed with HTTP ${response.status}`);
  }
  const reader = response.body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  let data: string[] = [];
  let text = '';

  /** Handles one complete event; returns false at `[DONE]`. */
  const dispatch = (): boolean => {
    if (data.length === 0) return true;
    const payload = data.join('\n');
    data = [];
    if (payload === '[DONE]') return false;
    const chunk = JSON.parse(payload) as {
      choices?: Array<{ delta?: { content?: string | null } }>;
    };
    const piece = chunk.choices?.[0]?.delta?.content;
    if (piece !== undefined && piece !== null) {
      text += piece;
      onText(piece);
    }
    return true;
  };

  for (;;) {
    const { done, value } = await reader.read();
    buffer += done ? decoder.decode() : decoder.decode(value, { stream: true });
    // A CR at the very end may be the first half of a CRLF: wait for the next read to know.
    const lines = buffer.split(/\r\n|\r(?!$)|\n/);
    buffer = lines.pop() ?? '';
    for (const line of lines) {
      if (line === '') {
        if (!dispatch()) {
          await reader.cancel();
          return text;
        }
      } else if (line.startsWith('data:')) {
        data.push(line.slice(line.startsWith('data: ') ? 6 : 5));
      }
      // Other fields (event:, id:, retry:) and comments (":") do not matter here.
    }
    if (done) return text;
  }
}
