/**
 * Anthropic Messages, `POST /v1/messages`. Stream: `message_start` first (with `usage`), then per content
 * block `content_block_start`, deltas (`text_delta` / `input_json_delta`), `content_block_stop`; a
 * `ping` after the first block starts, as the API does; `message_delta` with `stop_reason` and cumulative
 * `usage.output_tokens`; `message_stop`. Every event is named and its JSON `type` equals the name.
 */
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

function hasToolResult(content: unknown): boolean {
  return (
    Array.isArray(content) && content.some((b: { type?: unknown }) => b?.type === 'tool_result')
  );
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
    };
  },
  isStream: (req) => req.stream === true,
  json(plan, _req, ctx) {
    const content =
      plan.kind === 'tools'
        ? plan.toolCalls.map((c) => ({
            type: 'tool_use',
            id: toolId(c.idSuffix),
            name: c.name,
            input: JSON.parse(c.arguments) as unknown,
          }))
        : [{ type: 'text', text: plan.tokens.join('') }];
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
  events(plan, _req, ctx) {
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
    if (plan.kind === 'tools') {
      plan.toolCalls.forEach((call, index) => {
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
    } else {
      emit('content_block_start', { index: 0, content_block: { type: 'text', text: '' } });
      emit('ping', {});
      for (const g of group(plan.tokens, ctx.tokensPerEvent)) {
        emit(
          'content_block_delta',
          { index: 0, delta: { type: 'text_delta', text: g.text } },
          g.count,
        );
      }
      emit('content_block_stop', { index: 0 });
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
