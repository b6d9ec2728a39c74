/**
 * Buggy on purpose: never checks `response.ok`, so a 429 error body is read as an event stream and
 * comes back as empty text. Must fail `http-error` (see lab.json).
 */ export async function streamText(
  response: Response,
  onText: (text: string) => void,
): Promise<string> {
  const reader = response.body!.getReader();
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
    if (piece) {
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
