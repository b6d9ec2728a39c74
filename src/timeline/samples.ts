/**
 * Raw streams the SSE inspector offers, one per wire format, shaped like the real providers' streams
 * (see the course's wire-format reference), plus a long one for the "smooth at 2,000 events" goal.
 */
import type { Provider } from '../lab/run/recording.ts';

export interface SampleStream {
  id: string;
  label: string;
  provider: Provider;
  text: string;
}

const chat = (delta: object, finish: string | null = null): string =>
  `data: ${JSON.stringify({ id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1723031665, model: 'gpt-4o', choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] })}\n\n`;

const named = (type: string, body: object): string =>
  `event: ${type}\ndata: ${JSON.stringify({ type, ...body })}\n\n`;

function chatText(words: string[]): string {
  return (
    chat({ role: 'assistant', content: '' }) +
    words.map((w) => chat({ content: w })).join('') +
    chat({}, 'stop') +
    'data: [DONE]\n\n'
  );
}

const chatTool =
  chat({ role: 'assistant', content: null }) +
  chat({
    tool_calls: [
      {
        index: 0,
        id: 'call_1',
        type: 'function',
        function: { name: 'get_weather', arguments: '' },
      },
    ],
  }) +
  ['{"ci', 'ty": "Kö', 'ln", "un', 'it": "c"', '}']
    .map((a) => chat({ tool_calls: [{ index: 0, function: { arguments: a } }] }))
    .join('') +
  chat({}, 'tool_calls') +
  'data: [DONE]\n\n';

const responses =
  named('response.created', {
    response: { id: 'resp_1', status: 'in_progress' },
    sequence_number: 0,
  }) +
  named('response.output_item.added', {
    output_index: 0,
    item: { id: 'msg_1', type: 'message', role: 'assistant', content: [] },
    sequence_number: 1,
  }) +
  named('response.content_part.added', {
    item_id: 'msg_1',
    output_index: 0,
    content_index: 0,
    part: { type: 'output_text', text: '' },
    sequence_number: 2,
  }) +
  ['Streams ', 'arrive ', 'in ', 'pieces ', '— ', 'even ', 'emoji 🚀.']
    .map((d, i) =>
      named('response.output_text.delta', {
        item_id: 'msg_1',
        output_index: 0,
        content_index: 0,
        delta: d,
        sequence_number: 3 + i,
      }),
    )
    .join('') +
  named('response.completed', {
    response: { id: 'resp_1', status: 'completed', usage: { input_tokens: 12, output_tokens: 7 } },
    sequence_number: 10,
  });

const anthropic =
  named('message_start', {
    message: {
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      content: [],
      usage: { input_tokens: 20, output_tokens: 1 },
    },
  }) +
  named('content_block_start', { index: 0, content_block: { type: 'text', text: '' } }) +
  ['Let me ', 'check ', 'the weather.']
    .map((text) => named('content_block_delta', { index: 0, delta: { type: 'text_delta', text } }))
    .join('') +
  named('content_block_stop', { index: 0 }) +
  'event: ping\ndata: {"type": "ping"}\n\n' +
  named('content_block_start', {
    index: 1,
    content_block: { type: 'tool_use', id: 'toolu_1', name: 'get_weather', input: {} },
  }) +
  ['', '{"location":', ' "Paris"}']
    .map((partial_json) =>
      named('content_block_delta', { index: 1, delta: { type: 'input_json_delta', partial_json } }),
    )
    .join('') +
  named('content_block_stop', { index: 1 }) +
  named('message_delta', {
    delta: { stop_reason: 'tool_use', stop_sequence: null },
    usage: { output_tokens: 18 },
  }) +
  named('message_stop', {});

const crlf = (
  '\uFEFF: hello, this is a comment\n\n' +
  chatText(['Zeilen', 'enden ', 'mit ', 'CRLF ', '— ', 'grüße!'])
).replace(/\n/g, '\r\n');

/** A long chat stream: `count` events (including the opening and [DONE]). */
export function longChatStream(count = 2000): string {
  const words = Array.from({ length: Math.max(0, count - 3) }, (_, i) =>
    i % 12 === 11 ? 'ünd. ' : `w${i} `,
  );
  return chatText(words);
}

export const SAMPLE_STREAMS: readonly SampleStream[] = [
  {
    id: 'chat-text',
    label: 'OpenAI Chat Completions: text',
    provider: 'openai-chat',
    text: chatText(['Hel', 'lo', ', wor', 'ld ', '👋', ' — ça va?']),
  },
  {
    id: 'chat-tool',
    label: 'OpenAI Chat Completions: tool call',
    provider: 'openai-chat',
    text: chatTool,
  },
  {
    id: 'responses',
    label: 'OpenAI Responses: text',
    provider: 'openai-responses',
    text: responses,
  },
  {
    id: 'anthropic',
    label: 'Anthropic Messages: text and tool use',
    provider: 'anthropic',
    text: anthropic,
  },
  { id: 'crlf', label: 'CRLF line ends, BOM and a comment', provider: 'openai-chat', text: crlf },
  {
    id: 'long',
    label: 'Long run: 2,000 events',
    provider: 'openai-chat',
    text: longChatStream(2000),
  },
];
