/**
 * Test and bench data for the SSE parser: hand-built streams in the three provider wire formats and
 * in every shape the spec allows, plus a seeded generator for a large mixed corpus. Imported only by
 * tests and the bench suite, never by the site.
 *
 * The streams are written out as raw text on purpose (not with `encodeSseEvent`), so that parser
 * tests do not depend on the encoder.
 */

/** A seeded PRNG (mulberry32): the same seed gives the same sequence, so failures reproduce. */
export function createRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One named stream of the corpus, as the text a server writes. */
export interface CorpusStream {
  name: string;
  text: string;
}

const json = (value: unknown): string => JSON.stringify(value);

/** OpenAI Chat Completions: `data:` lines only, ending with `data: [DONE]`. */
export function openAiChatStream(pieces: readonly string[], options: { usage?: boolean } = {}) {
  const base = { id: 'chatcmpl-1', object: 'chat.completion.chunk', created: 1723031665 };
  const chunk = (delta: object, finish: string | null) =>
    `data: ${json({ ...base, model: 'gpt-4o', choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] })}\n\n`;
  let out = chunk({ role: 'assistant', content: '', refusal: null }, null);
  for (const piece of pieces) out += chunk({ content: piece }, null);
  out += chunk({}, 'stop');
  if (options.usage) {
    out += `data: ${json({ ...base, model: 'gpt-4o', choices: [], usage: { prompt_tokens: 17, completion_tokens: pieces.length, total_tokens: 17 + pieces.length } })}\n\n`;
  }
  return out + 'data: [DONE]\n\n';
}

/** OpenAI Chat Completions with one streamed tool call (arguments in fragments). */
export function openAiToolCallStream(argumentPieces: readonly string[]): string {
  const base = {
    id: 'chatcmpl-2',
    object: 'chat.completion.chunk',
    created: 1723031666,
    model: 'gpt-4o',
  };
  const chunk = (delta: object, finish: string | null) =>
    `data: ${json({ ...base, choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }] })}\n\n`;
  let out = chunk(
    {
      role: 'assistant',
      content: null,
      tool_calls: [
        {
          index: 0,
          id: 'call_1',
          type: 'function',
          function: { name: 'get_weather', arguments: '' },
        },
      ],
    },
    null,
  );
  for (const piece of argumentPieces) {
    out += chunk({ tool_calls: [{ index: 0, function: { arguments: piece } }] }, null);
  }
  return out + chunk({}, 'tool_calls') + 'data: [DONE]\n\n';
}

/** OpenAI Responses: every event has an `event:` line equal to its JSON `type`. */
export function responsesStream(pieces: readonly string[]): string {
  let seq = 0;
  const ev = (type: string, body: object) =>
    `event: ${type}\ndata: ${json({ type, ...body, sequence_number: seq++ })}\n\n`;
  const response = { id: 'resp_1', object: 'response', model: 'gpt-4o', output: [] };
  let out = ev('response.created', { response: { ...response, status: 'in_progress' } });
  out += ev('response.in_progress', { response: { ...response, status: 'in_progress' } });
  out += ev('response.output_item.added', {
    output_index: 0,
    item: { id: 'msg_1', type: 'message', status: 'in_progress', role: 'assistant', content: [] },
  });
  out += ev('response.content_part.added', {
    item_id: 'msg_1',
    output_index: 0,
    content_index: 0,
    part: { type: 'output_text', text: '', annotations: [] },
  });
  for (const delta of pieces) {
    out += ev('response.output_text.delta', {
      item_id: 'msg_1',
      output_index: 0,
      content_index: 0,
      delta,
      logprobs: [],
    });
  }
  const text = pieces.join('');
  out += ev('response.output_text.done', {
    item_id: 'msg_1',
    output_index: 0,
    content_index: 0,
    text,
  });
  out += ev('response.content_part.done', { item_id: 'msg_1', output_index: 0, content_index: 0 });
  out += ev('response.output_item.done', { output_index: 0 });
  out += ev('response.completed', {
    response: {
      ...response,
      status: 'completed',
      usage: { input_tokens: 5, output_tokens: pieces.length },
    },
  });
  return out;
}

/** Anthropic Messages: `event:` lines, `ping` events, cumulative usage. */
export function anthropicStream(pieces: readonly string[], options: { pingEvery?: number } = {}) {
  const ev = (type: string, body: object) => `event: ${type}\ndata: ${json({ type, ...body })}\n\n`;
  let out = ev('message_start', {
    message: {
      id: 'msg_1',
      type: 'message',
      role: 'assistant',
      content: [],
      model: 'claude-sonnet-4-5',
      stop_reason: null,
      stop_sequence: null,
      usage: { input_tokens: 12, output_tokens: 1 },
    },
  });
  out += ev('content_block_start', { index: 0, content_block: { type: 'text', text: '' } });
  out += ev('ping', {});
  pieces.forEach((text, i) => {
    out += ev('content_block_delta', { index: 0, delta: { type: 'text_delta', text } });
    if (options.pingEvery && (i + 1) % options.pingEvery === 0) out += ev('ping', {});
  });
  out += ev('content_block_stop', { index: 0 });
  out += ev('message_delta', {
    delta: { stop_reason: 'end_turn', stop_sequence: null },
    usage: { output_tokens: pieces.length },
  });
  return out + ev('message_stop', {});
}

/** Rewrites every LF line ending (the corpus JSON never holds a raw LF) as CRLF or CR. */
export function withLineEnding(text: string, eol: '\r\n' | '\r'): string {
  return text.replaceAll('\n', eol);
}

const ASCII_TEXT = ['Hello', ',', ' world', '!', ' Streaming', ' is', ' fun', '.'];
const UNICODE_TEXT = [
  '你好',
  '，世界',
  '😀',
  ' 👩‍👩‍👧',
  ' e\u0301',
  ' Ünïcödé',
  ' 𝒳',
  ' ﷽',
  ' \u0000nul',
];

/**
 * The hand-built corpus: every provider format and every edge the spec describes. Each stream is
 * meaningful alone; the conformance test replays each one re-sliced at random boundaries.
 */
export function corpusStreams(): CorpusStream[] {
  const streams: CorpusStream[] = [
    { name: 'openai-chat', text: openAiChatStream(ASCII_TEXT) },
    { name: 'openai-chat-usage', text: openAiChatStream(ASCII_TEXT, { usage: true }) },
    { name: 'openai-chat-unicode', text: openAiChatStream(UNICODE_TEXT) },
    { name: 'openai-tool-call', text: openAiToolCallStream(['{"lo', 'cation":', ' "Paris"}']) },
    {
      name: 'openai-mid-stream-error',
      text:
        openAiChatStream(['partial']).replace(/data: \{[^\n]*"stop"[^\n]*\n\n[\s\S]*$/, '') +
        `data: ${json({ error: { message: 'The server experienced an error', type: 'server_error', param: null, code: null } })}\n\ndata: [DONE]\n\n`,
    },
    { name: 'responses', text: responsesStream(ASCII_TEXT) },
    { name: 'responses-unicode', text: responsesStream(UNICODE_TEXT) },
    {
      name: 'responses-error',
      text: `event: error\ndata: ${json({ type: 'error', code: 'server_error', message: 'boom', param: null, sequence_number: 0 })}\n\n`,
    },
    { name: 'anthropic', text: anthropicStream(ASCII_TEXT, { pingEvery: 3 }) },
    { name: 'anthropic-unicode', text: anthropicStream(UNICODE_TEXT, { pingEvery: 2 }) },
    {
      name: 'anthropic-overloaded',
      text: `event: message_start\ndata: {"type":"message_start"}\n\nevent: error\ndata: ${json({ type: 'error', error: { type: 'overloaded_error', message: 'Overloaded' } })}\n\n`,
    },
    {
      name: 'heartbeats',
      text: `: connected\n\n:\n: keep-alive\ndata: one\n: in the middle\ndata: two\n\n${':'.repeat(300)}\n:\0\n: ${'x'.repeat(2100)}\n\ndata: three\n\n`,
    },
    {
      name: 'multi-line-data',
      text: 'data: line 1\ndata: line 2\ndata:\ndata\ndata:  two spaces\n\ndata\n\ndata\ndata\n\n',
    },
    {
      name: 'event-types',
      text: 'event: custom\ndata: a\n\nevent:\ndata: b\n\nevent: first\nevent: second\ndata: c\n\nevent: lost\n\ndata: d\n\n',
    },
    {
      name: 'ids-and-retry',
      text:
        'id: 1\ndata: a\n\ndata: b\n\nid: 2\nretry: 1000\ndata: c\n\nid\n\ndata: d\n\nid: x\0y\ndata: e\n\n' +
        'id: 3\n\ndata: f\n\nretry:\nretry: 2000x\nretry: 50x\nretry: 007\ndata: g\n\nid:\ndata: h\n\n',
    },
    {
      name: 'unknown-fields',
      text: 'foobar: xxx\njustsometext\n data: leading space\nData: caps\ndata : space\ndata: kept\n\n',
    },
    {
      name: 'bom',
      text: '\uFEFFdata: after bom\n\n\uFEFFdata: second bom is content\n\ndata: \uFEFFin value\n\n',
    },
    {
      name: 'blank-lines-and-empty-events',
      text: '\n\n\r\n\rdata: a\n\n\n\n\ndata: b\n\n\n',
    },
    { name: 'unterminated-final-event', text: 'data: 1\n\ndata: 2\n\ndata: 5' },
    { name: 'unterminated-final-line-ends-cr', text: 'data: 1\n\ndata: 2\r' },
    { name: 'no-trailing-blank-line', text: ': start\nevent: x\ndata: never\n' },
    {
      name: 'long-event',
      text: `data: ${'abcdefghij'.repeat(20_000)}\ndata: ${'😀'.repeat(5000)}\n\n`,
    },
    {
      name: 'mixed-line-endings',
      text: 'data: a\r\ndata: b\rdata: c\n\r\nid: 9\r\revent: e\ndata: d\r\n\r\ndata: \r\r\n\n',
    },
  ];
  for (const base of ['openai-chat', 'responses', 'anthropic', 'heartbeats', 'ids-and-retry']) {
    const stream = streams.find((s) => s.name === base)!;
    streams.push({ name: `${base}-crlf`, text: withLineEnding(stream.text, '\r\n') });
    streams.push({ name: `${base}-cr`, text: withLineEnding(stream.text, '\r') });
  }
  return streams;
}

/**
 * A large mixed corpus for the bench: provider streams in the proportions a course run sees
 * (mostly LF, some CRLF, heartbeats), concatenated until it holds at least `minChars` characters.
 */
export function largeMixedCorpus(minChars: number, seed = 1): string {
  const random = createRandom(seed);
  const words = [
    'The',
    ' quick',
    ' brown',
    ' fox',
    ' jumps',
    ' over',
    ' the',
    ' lazy',
    ' dog',
    '.',
    ' 你好',
    ' 😀',
    '\n',
  ];
  const pick = (n: number) =>
    Array.from({ length: n }, () => words[Math.floor(random() * words.length)]!);
  const parts: string[] = [];
  let size = 0;
  while (size < minChars) {
    const r = random();
    const pieces = pick(20 + Math.floor(random() * 80));
    let text: string;
    if (r < 0.35) text = openAiChatStream(pieces, { usage: true });
    else if (r < 0.6) text = responsesStream(pieces);
    else if (r < 0.85) text = anthropicStream(pieces, { pingEvery: 10 });
    else if (r < 0.95) text = withLineEnding(openAiChatStream(pieces), '\r\n');
    else text = `: keep-alive\n\nid: ${size}\nretry: 3000\ndata: multi\ndata: line\n\n`;
    parts.push(text);
    size += text.length;
  }
  return parts.join('');
}
