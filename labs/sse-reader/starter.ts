/**
 * Read a streamed Chat Completions response by hand.
 *
 * `response` is what `fetch` returned for a request with `"stream": true`: its body is a stream of
 * Server-Sent Events, each `data: {json}` line holding a chunk whose `choices[0].delta.content` is the
 * next piece of text, ending with `data: [DONE]`.
 *
 * Call `onText` with each piece as soon as it arrives, and return the whole text at the end.
 */
export async function streamText(
  response: Response,
  onText: (text: string) => void,
): Promise<string> {
  const reader = response.body!.getReader();
  let text = '';
  // TODO: read chunks with `await reader.read()` until `done`, decode them, split the text into
  // events, and for each `data:` line parse the JSON and take `choices[0].delta.content`.
  void reader;
  void onText;
  return text;
}
