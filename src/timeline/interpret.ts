/**
 * What an SSE event means for the output, per provider wire format: a piece of text, a fragment of a
 * tool call's arguments, the stream's terminator, an error, a usage report. The timeline's output lane
 * and its figures are built from these signals; the raw event stays in the events lane.
 */
import type { Provider } from '../lab/run/recording.ts';

/** One thing an event says about the output. */
export type Signal =
  | { kind: 'text'; delta: string }
  | { kind: 'tool-start'; key: string; name?: string; id?: string }
  | { kind: 'tool-args'; key: string; delta: string }
  | { kind: 'terminator'; label: string }
  | { kind: 'error'; message: string }
  | { kind: 'usage'; outputTokens: number };

/** The fields interpretation needs from an event (a `RecordedEvent` or a parser's event). */
export interface EventLike {
  type: string;
  data: string;
}

type Json = Record<string, unknown>;

const isObject = (v: unknown): v is Json =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined =>
  typeof v === 'number' && Number.isFinite(v) ? v : undefined;

function parseJson(data: string): unknown {
  try {
    return JSON.parse(data);
  } catch {
    return undefined;
  }
}

function errorMessage(error: unknown, fallback: string): string {
  if (isObject(error)) return str(error.message) ?? str(error.type) ?? fallback;
  return str(error) ?? fallback;
}

function openaiChat(event: EventLike, body: unknown): Signal[] {
  if (event.data.trim() === '[DONE]') return [{ kind: 'terminator', label: '[DONE]' }];
  if (!isObject(body)) return [];
  if ('error' in body && body.error) {
    return [{ kind: 'error', message: errorMessage(body.error, 'error in stream') }];
  }
  const signals: Signal[] = [];
  const choices = Array.isArray(body.choices) ? body.choices : [];
  for (const choice of choices) {
    if (!isObject(choice) || !isObject(choice.delta)) continue;
    const content = str(choice.delta.content);
    // A null or empty content is not a token (classic bug: appending "null").
    if (content) signals.push({ kind: 'text', delta: content });
    const calls = Array.isArray(choice.delta.tool_calls) ? choice.delta.tool_calls : [];
    for (const call of calls) {
      if (!isObject(call)) continue;
      // Fragments are keyed by index: only the first one carries the id.
      const key = `${num(choice.index) ?? 0}:${num(call.index) ?? 0}`;
      const fn = isObject(call.function) ? call.function : {};
      const name = str(fn.name);
      const id = str(call.id);
      if (name !== undefined || id !== undefined)
        signals.push({ kind: 'tool-start', key, name, id });
      const args = str(fn.arguments);
      if (args) signals.push({ kind: 'tool-args', key, delta: args });
    }
  }
  const usage = isObject(body.usage) ? num(body.usage.completion_tokens) : undefined;
  if (usage !== undefined) signals.push({ kind: 'usage', outputTokens: usage });
  return signals;
}

function openaiResponses(event: EventLike, body: unknown): Signal[] {
  if (!isObject(body)) return [];
  const type = str(body.type) ?? event.type;
  switch (type) {
    case 'response.output_text.delta': {
      const delta = str(body.delta);
      return delta ? [{ kind: 'text', delta }] : [];
    }
    case 'response.output_item.added': {
      const item = isObject(body.item) ? body.item : {};
      if (item.type !== 'function_call') return [];
      return [
        {
          kind: 'tool-start',
          key: str(item.id) ?? String(num(body.output_index) ?? 0),
          name: str(item.name),
          id: str(item.call_id),
        },
      ];
    }
    case 'response.function_call_arguments.delta': {
      const delta = str(body.delta);
      const key = str(body.item_id) ?? String(num(body.output_index) ?? 0);
      return delta ? [{ kind: 'tool-args', key, delta }] : [];
    }
    case 'response.completed':
    case 'response.incomplete':
    case 'response.failed': {
      const response = isObject(body.response) ? body.response : {};
      const signals: Signal[] = [];
      if (type === 'response.failed') {
        signals.push({ kind: 'error', message: errorMessage(response.error, 'response failed') });
      }
      const tokens = isObject(response.usage) ? num(response.usage.output_tokens) : undefined;
      if (tokens !== undefined) signals.push({ kind: 'usage', outputTokens: tokens });
      signals.push({ kind: 'terminator', label: type });
      return signals;
    }
    case 'error':
      return [{ kind: 'error', message: str(body.message) ?? errorMessage(body.error, 'error') }];
    default:
      return [];
  }
}

function anthropic(event: EventLike, body: unknown): Signal[] {
  if (!isObject(body)) return [];
  const type = str(body.type) ?? event.type;
  switch (type) {
    case 'content_block_start': {
      const block = isObject(body.content_block) ? body.content_block : {};
      if (block.type !== 'tool_use' && block.type !== 'server_tool_use') return [];
      return [
        {
          kind: 'tool-start',
          key: String(num(body.index) ?? 0),
          name: str(block.name),
          id: str(block.id),
        },
      ];
    }
    case 'content_block_delta': {
      const delta = isObject(body.delta) ? body.delta : {};
      if (delta.type === 'text_delta') {
        const text = str(delta.text);
        return text ? [{ kind: 'text', delta: text }] : [];
      }
      if (delta.type === 'input_json_delta') {
        const part = str(delta.partial_json);
        // The first fragment is often "": nothing grew.
        return part ? [{ kind: 'tool-args', key: String(num(body.index) ?? 0), delta: part }] : [];
      }
      return [];
    }
    case 'message_start': {
      const message = isObject(body.message) ? body.message : {};
      const tokens = isObject(message.usage) ? num(message.usage.output_tokens) : undefined;
      return tokens ? [{ kind: 'usage', outputTokens: tokens }] : [];
    }
    case 'message_delta': {
      // Usage in message_delta is cumulative, so the last one wins.
      const tokens = isObject(body.usage) ? num(body.usage.output_tokens) : undefined;
      return tokens !== undefined ? [{ kind: 'usage', outputTokens: tokens }] : [];
    }
    case 'message_stop':
      return [{ kind: 'terminator', label: 'message_stop' }];
    case 'error':
      return [{ kind: 'error', message: errorMessage(body.error, 'error') }];
    default:
      return [];
  }
}

const ANTHROPIC_TYPES = new Set([
  'message_start',
  'message_delta',
  'message_stop',
  'content_block_start',
  'content_block_delta',
  'content_block_stop',
  'ping',
]);

/** Guesses the wire format of a stream from one event, for raw streams with no request path. */
export function sniffProvider(event: EventLike): Provider {
  if (event.type.startsWith('response.')) return 'openai-responses';
  if (ANTHROPIC_TYPES.has(event.type)) return 'anthropic';
  if (event.type === 'message') return 'openai-chat';
  return 'other';
}

/**
 * Interprets one event under `provider`. Unknown providers (`other`, `models`) are sniffed from the
 * event itself. Malformed JSON yields no signal: the events lane still shows the event.
 */
export function interpretEvent(provider: Provider, event: EventLike): Signal[] {
  const effective = provider === 'other' || provider === 'models' ? sniffProvider(event) : provider;
  const body =
    effective === 'openai-chat' && event.data.trim() === '[DONE]'
      ? undefined
      : parseJson(event.data);
  switch (effective) {
    case 'openai-chat':
      return openaiChat(event, body);
    case 'openai-responses':
      return openaiResponses(event, body);
    case 'anthropic':
      return anthropic(event, body);
    default:
      return [];
  }
}

/** A short one-line summary of an event for the events lane and the table. */
export function summarizeEvent(event: EventLike, max = 60): string {
  const data = event.data.replace(/\s+/g, ' ');
  const body = data.length > max ? data.slice(0, max - 1) + '…' : data;
  return event.type === 'message' ? body : `${event.type}: ${body}`;
}
