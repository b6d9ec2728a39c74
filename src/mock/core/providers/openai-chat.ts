/**
 * OpenAI Chat Completions, `POST /v1/chat/completions`. Stream: `data:` lines only (no `event:`), first
 * delta carries `role`, last choice chunk carries `finish_reason`, an optional usage chunk with empty
 * `choices` (`stream_options.include_usage`), then `data: [DONE]`.
 */
import type { ReplyPlan, ResponseFormat, ToolChoice } from '../reply.ts';
import { obfuscation } from './obfuscation.ts';
import { chatRequestSchema, type ChatRequest } from '../validate.ts';
import {
  contentText,
  group,
  type Provider,
  type RenderContext,
  type WireEvent,
} from './provider.ts';

function finishReason(plan: ReplyPlan): string {
  if (plan.kind === 'tools') return 'tool_calls';
  return plan.truncated ? 'length' : 'stop';
}

function usage(plan: ReplyPlan) {
  return {
    prompt_tokens: plan.inputTokens,
    completion_tokens: plan.outputTokens,
    total_tokens: plan.inputTokens + plan.outputTokens,
    prompt_tokens_details: { cached_tokens: 0, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: plan.reasoning.length,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

function responseFormatOf(format: ChatRequest['response_format']): ResponseFormat | undefined {
  if (format?.type === 'json_schema')
    return { type: 'json_schema', schema: format.json_schema.schema ?? {} };
  if (format?.type === 'json_object') return { type: 'json_object' };
  return undefined;
}

const callId = (suffix: string): string => `call_${suffix}`;

export const openaiChat: Provider<ChatRequest> = {
  flavor: 'openai',
  schema: chatRequestSchema,
  toReplyRequest(req) {
    const last = req.messages[req.messages.length - 1]!;
    const lastUser = [...req.messages].reverse().find((m) => m.role === 'user');
    let toolChoice: ToolChoice = 'auto';
    if (typeof req.tool_choice === 'string') toolChoice = req.tool_choice;
    else if (req.tool_choice) toolChoice = { name: req.tool_choice.function.name };
    return {
      lastUserText: contentText(lastUser?.content),
      toolResultText:
        last.role === 'tool' || last.role === 'function' ? contentText(last.content) : undefined,
      promptText: req.messages.map((m) => contentText(m.content)).join('\n'),
      tools: (req.tools ?? []).map((t) => ({
        name: t.function.name,
        schema: t.function.parameters,
      })),
      toolChoice,
      parallelToolCalls: req.parallel_tool_calls !== false,
      maxTokens: req.max_completion_tokens ?? req.max_tokens ?? undefined,
      responseFormat: responseFormatOf(req.response_format),
      // Chat Completions never streams the thinking; it only bills it (`reasoning_tokens`).
      reasoning: Boolean(req.reasoning_effort && req.reasoning_effort !== 'none'),
    };
  },
  isStream: (req) => req.stream === true,
  json(plan, _req, ctx) {
    const text = plan.tokens.join('');
    return {
      id: `chatcmpl-${plan.id}`,
      object: 'chat.completion',
      created: ctx.created,
      model: ctx.model,
      choices: [
        {
          index: 0,
          message: {
            role: 'assistant',
            content: plan.kind === 'text' ? text : null,
            refusal: plan.kind === 'refusal' ? text : null,
            ...(plan.kind === 'tools'
              ? {
                  tool_calls: plan.toolCalls.map((c) => ({
                    id: callId(c.idSuffix),
                    type: 'function',
                    function: { name: c.name, arguments: c.arguments },
                  })),
                }
              : {}),
            annotations: [],
          },
          logprobs: null,
          finish_reason: finishReason(plan),
        },
      ],
      usage: usage(plan),
      service_tier: 'default',
      system_fingerprint: 'fp_streamlab',
    };
  },
  events(plan, req, ctx: RenderContext) {
    const includeUsage = req.stream_options?.include_usage === true;
    const base = {
      id: `chatcmpl-${plan.id}`,
      object: 'chat.completion.chunk',
      created: ctx.created,
      model: ctx.model,
      service_tier: 'default',
      system_fingerprint: 'fp_streamlab',
    };
    // Every chunk shares its envelope: serialize it once and splice each delta in (the same JSON as
    // stringifying the whole object, at a fraction of the cost per event).
    const head = JSON.stringify(base).slice(0, -1) + ',"choices":[{"index":0,"delta":';
    const tail = includeUsage ? '}],"usage":null' : '}]';
    const pad = req.stream_options?.include_obfuscation !== false;
    let n = 0;
    // Chunks that carry a delta get an `obfuscation` field of padding, as the API sends by default.
    const chunk = (delta: object, finish: string | null, tokens: number): WireEvent => {
      const body = JSON.stringify(delta);
      const padding =
        pad && tokens > 0 ? `,"obfuscation":"${obfuscation(plan.id, n, body.length)}"` : '';
      n++;
      return {
        data: `${head}${body},"logprobs":null,"finish_reason":${JSON.stringify(finish)}${tail}${padding}}`,
        tokens,
      };
    };
    const out: WireEvent[] = [];
    if (plan.kind === 'tools') {
      out.push(chunk({ role: 'assistant', content: null, refusal: null }, null, 0));
      plan.toolCalls.forEach((call, index) => {
        out.push(
          chunk(
            {
              tool_calls: [
                {
                  index,
                  id: callId(call.idSuffix),
                  type: 'function',
                  function: { name: call.name, arguments: '' },
                },
              ],
            },
            null,
            1,
          ),
        );
        for (const g of group(call.fragments, ctx.tokensPerEvent)) {
          out.push(
            chunk({ tool_calls: [{ index, function: { arguments: g.text } }] }, null, g.count),
          );
        }
      });
    } else {
      const field = plan.kind === 'refusal' ? 'refusal' : 'content';
      out.push(
        chunk(
          plan.kind === 'refusal'
            ? { role: 'assistant', content: null, refusal: '' }
            : { role: 'assistant', content: '', refusal: null },
          null,
          0,
        ),
      );
      for (const g of group(plan.tokens, ctx.tokensPerEvent))
        out.push(chunk({ [field]: g.text }, null, g.count));
    }
    out.push(chunk({}, finishReason(plan), 0));
    if (includeUsage) {
      out.push({ data: JSON.stringify({ ...base, choices: [], usage: usage(plan) }), tokens: 0 });
    }
    out.push({ data: '[DONE]', tokens: 0 });
    return out;
  },
  withStreamError(events, cutAt, spec) {
    const error = {
      error: {
        message:
          spec.kind === 'overloaded'
            ? 'The server is overloaded right now. Please retry your request later.'
            : spec.message,
        type: 'server_error',
        param: null,
        code: spec.kind === 'overloaded' ? 'server_overloaded' : null,
      },
    };
    return [
      ...events.slice(0, cutAt + 1),
      { data: JSON.stringify(error), tokens: 0 },
      { data: '[DONE]', tokens: 0 },
    ];
  },
};
