/**
 * Anthropic Messages, `POST /v1/messages`. Stream: `message_start` first (with `usage`), then per content
 * block `content_block_start`, deltas (`text_delta` / `input_json_delta`), `content_block_stop`; a
 * `ping` after the first block starts, as the API does; `message_delta` with `stop_reason` and cumulative
 * `usage.output_tokens`; `message_stop`. Every event is named and its JSON `type` equals the name.
 */
import { redactThinking, signThinking } from '../reasoning.ts';
import type { ReplyPlan, ToolChoice } from '../reply.ts';
import { anthropicRequestSchema, type AnthropicRequest } from '../validate.ts';
import { contentText, group, type Provider, type WireEvent } from './provider.ts';

function stopReason(plan: ReplyPlan): string {
  if (plan.kind === 'tools') return 'tool_use';
  if (plan.kind === 'refusal') return 'refusal';
  return plan.truncated ? 'max_tokens' : 'end_turn';
}

const messageId = (plan: ReplyPlan): string => `msg_01${plan.id}`;
const toolId = (suffix: string): string => `toolu_01${suffix.slice(0, 22)}`;

function usage(plan: ReplyPlan, outputTokens: number) {
  return {
    input_tokens: plan.inputTokens,
    cache_creation_input_tokens: 0,
    cache_read_input_tokens: 0,
    output_tokens: outputTokens,
    service_tier: 'standard',
  };
}

/** The thinking block that opens the reply, when the request asked for thinking. */
function thinkingBlock(
  plan: ReplyPlan,
  req: AnthropicRequest,
): Record<string, unknown> | undefined {
  if (plan.reasoning.length === 0) return undefined;
  // `display: 'omitted'`: the thinking is billed and signed, but its text is not sent.
  const omitted = req.thinking && 'display' in req.thinking && req.thinking.display === 'omitted';
  const thinking = omitted ? '' : plan.reasoning.join('');
  return plan.reasoningRedacted
    ? { type: 'redacted_thinking', data: redactThinking(thinking) }
    : { type: 'thinking', thinking, signature: signThinking(thinking) };
}

function hasToolResult(content: unknown): boolean {
  return (
    Array.isArray(content) && content.some((b: { type?: unknown }) => b?.type === 'tool_result')
  );
}

/**
 * Whether this turn thinks: `enabled` and `adaptive` think once per assistant turn (so not again after
 * a tool result, which continues the turn); `between_tools` also thinks after each tool result.
 */
function reasoningOf(req: AnthropicRequest, afterToolResult: boolean): boolean {
  const type = req.thinking?.type;
  if (type === 'between_tools') return true;
  return (type === 'enabled' || type === 'adaptive') && !afterToolResult;
}

type Emit = (type: string, body: object, tokens?: number) => void;

/**
 * Streams the thinking block at index 0 (`thinking_delta`s, then its `signature_delta` just before
 * `content_block_stop`; a redacted block arrives whole) and returns the index of the next block.
 */
function emitThinking(
  plan: ReplyPlan,
  req: AnthropicRequest,
  emit: Emit,
  tokensPerEvent: number,
): number {
  const block = thinkingBlock(plan, req);
  if (!block) return 0;
  if (block.type === 'redacted_thinking') {
    emit('content_block_start', { index: 0, content_block: block }, plan.reasoning.length);
  } else {
    emit('content_block_start', {
      index: 0,
      content_block: { type: 'thinking', thinking: '', signature: '' },
    });
    emit('ping', {});
    const pieces = block.thinking === '' ? [] : plan.reasoning;
    for (const g of group(pieces, tokensPerEvent)) {
      emit(
        'content_block_delta',
        { index: 0, delta: { type: 'thinking_delta', thinking: g.text } },
        g.count,
      );
    }
    emit('content_block_delta', {
      index: 0,
      delta: { type: 'signature_delta', signature: block.signature },
    });
  }
  emit('content_block_stop', { index: 0 });
  return 1;
}

export const anthropic: Provider<AnthropicRequest> = {
  flavor: 'anthropic',
  schema: anthropicRequestSchema,
  toReplyRequest(req) {
    const last = req.messages[req.messages.length - 1]!;
    const lastUserText = [...req.messages]
      .reverse()
      .filter((m) => m.role === 'user')
      .map((m) =>
        Array.isArray(m.content)
          ? m.content
              .filter((b) => b.type === 'text')
              .map((b) => String(b.text ?? ''))
              .join('\n')
          : m.content,
      )
      .find((t) => t.trim() !== '');
    let toolChoice: ToolChoice = 'auto';
    const tc = req.tool_choice;
    if (tc?.type === 'any') toolChoice = 'required';
    else if (tc?.type === 'none') toolChoice = 'none';
    else if (tc?.type === 'tool' && tc.name) toolChoice = { name: tc.name };
    return {
      lastUserText: lastUserText ?? '',
      toolResultText:
        last.role === 'user' && hasToolResult(last.content) ? contentText(last.content) : undefined,
      promptText: [
        contentText(req.system),
        ...req.messages.map((m) => contentText(m.content)),
      ].join('\n'),
      tools: (req.tools ?? []).map((t) => ({ name: t.name, schema: t.input_schema })),
      toolChoice,
      parallelToolCalls: tc?.disable_parallel_tool_use !== true,
      maxTokens: req.max_tokens,
      responseFormat: req.output_config?.format
        ? { type: 'json_schema', schema: req.output_config.format.schema }
        : undefined,
      // After a tool result the assistant turn goes on: it thought before calling the tool, not again.
      reasoning: reasoningOf(req, hasToolResult(last.content)),
    };
  },
  isStream: (req) => req.stream === true,
  json(plan, req, ctx) {
    const thinking = thinkingBlock(plan, req);
    const answer =
      plan.kind === 'tools'
        ? plan.toolCalls.map((c) => ({
            type: 'tool_use',
            id: toolId(c.idSuffix),
            name: c.name,
            input: JSON.parse(c.arguments) as unknown,
          }))
        : plan.tokens.length > 0 || !thinking
          ? [{ type: 'text', text: plan.tokens.join('') }]
          : [];
    const content = thinking ? [thinking, ...answer] : answer;
    return {
      id: messageId(plan),
      type: 'message',
      role: 'assistant',
      model: ctx.model,
      content,
      stop_reason: stopReason(plan),
      stop_sequence: null,
      usage: usage(plan, plan.outputTokens),
    };
  },
  events(plan, req, ctx) {
    const out: WireEvent[] = [];
    const emit = (type: string, body: object, tokens = 0): void => {
      out.push({ event: type, data: JSON.stringify({ type, ...body }), tokens });
    };
    emit('message_start', {
      message: {
        id: messageId(plan),
        type: 'message',
        role: 'assistant',
        model: ctx.model,
        content: [],
        stop_reason: null,
        stop_sequence: null,
        usage: usage(plan, 1),
      },
    });
    const first = emitThinking(plan, req, emit, ctx.tokensPerEvent);
    if (plan.kind === 'tools') {
      plan.toolCalls.forEach((call, i) => {
        const index = first + i;
        emit('content_block_start', {
          index,
          content_block: {
            type: 'tool_use',
            id: toolId(call.idSuffix),
            name: call.name,
            input: {},
          },
        });
        if (index === 0) emit('ping', {});
        emit(
          'content_block_delta',
          { index, delta: { type: 'input_json_delta', partial_json: '' } },
          1,
        );
        for (const g of group(call.fragments, ctx.tokensPerEvent)) {
          emit(
            'content_block_delta',
            { index, delta: { type: 'input_json_delta', partial_json: g.text } },
            g.count,
          );
        }
        emit('content_block_stop', { index });
      });
    } else if (plan.tokens.length > 0 || first === 0) {
      const index = first;
      emit('content_block_start', { index, content_block: { type: 'text', text: '' } });
      if (index === 0) emit('ping', {});
      for (const g of group(plan.tokens, ctx.tokensPerEvent)) {
        emit(
          'content_block_delta',
          { index, delta: { type: 'text_delta', text: g.text } },
          g.count,
        );
      }
      emit('content_block_stop', { index });
    }
    emit('message_delta', {
      delta: { stop_reason: stopReason(plan), stop_sequence: null },
      usage: { output_tokens: plan.outputTokens },
    });
    emit('message_stop', {});
    return out;
  },
  withStreamError(events, cutAt, spec) {
    const error =
      spec.kind === 'overloaded'
        ? { type: 'overloaded_error', message: 'Overloaded' }
        : { type: 'api_error', message: spec.message };
    return [
      ...events.slice(0, cutAt + 1),
      { event: 'error', data: JSON.stringify({ type: 'error', error }), tokens: 0 },
    ];
  },
};
