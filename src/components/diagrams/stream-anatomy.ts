/** The rows of the StreamAnatomy diagram, shared by its wide and phone drawings: label, note, tone. */
export const openai: [string, string, string?][] = [
  ['role: "assistant", content: ""', 'no text yet'],
  ['content: "Use"', 'text', 'accent'],
  ['content: " clear"', 'text', 'accent'],
  ['content: " names"', 'text', 'accent'],
  ['finish_reason: "stop"', 'end of answer', 'ok'],
  ['choices: []  usage: {…}', 'if include_usage', 'warn'],
  ['[DONE]', 'terminator', 'ok'],
];
export const anthropic: [string, string, string?][] = [
  ['message_start', 'input_tokens'],
  ['content_block_start', 'block 0: text'],
  ['content_block_delta', 'text_delta', 'accent'],
  ['content_block_delta', 'text_delta', 'accent'],
  ['content_block_stop', 'block 0 complete'],
  ['message_delta', 'stop_reason, usage', 'warn'],
  ['message_stop', 'terminator', 'ok'],
];
