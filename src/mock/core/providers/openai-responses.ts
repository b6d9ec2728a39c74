/**
 * OpenAI Responses, `POST /v1/responses`. Stream: every event named (`event:` equals the JSON `type`),
 * an increasing `sequence_number` from 0, `response.created` first, each output item announced
 * (`output_item.added`, `content_part.added`) before its deltas, and one terminal event:
 * `response.completed`, or `response.incomplete` when `max_output_tokens` cut the answer. No `[DONE]`.
 */
import type { ReplyPlan, ToolChoice } from '../reply.ts';
import { responsesRequestSchema, type ResponsesRequest } from '../validate.ts';
import { contentText, group, type Provider, type WireEvent } from './provider.ts';

type Item = Record<string, unknown>;

function outputItems(plan: ReplyPlan, status: 'in_progress' | 'completed' | 'incomplete'): Item[] {
  if (plan.kind === 'tools') {
    return plan.toolCalls.map((c) => ({
      id: `fc_${c.idSuffix}`,
      type: 'function_call',
      status,
      arguments: status === 'in_progress' ? '' : c.arguments,
      call_id: `call_${c.idSuffix}`,
      name: c.name,
    }));
  }
  const text = plan.tokens.join('');
  return [
    {
      id: `msg_${plan.id}`,
      type: 'message',
      status,
      role: 'assistant',
      content:
        status === 'in_progress'
          ? []
          : [
              plan.kind === 'refusal'
                ? { type: 'refusal', refusal: text }
                : { type: 'output_text', text, annotations: [], logprobs: [] },
            ],
    },
  ];
}

function responseObject(
  plan: ReplyPlan,
  req: ResponsesRequest,
  created: number,
  model: string,
  status: string,
  output: Item[],
  withUsage: boolean,
) {
  return {
    id: `resp_${plan.id}`,
    object: 'response',
    created_at: created,
    status,
    background: false,
    error: null,
    incomplete_details: status === 'incomplete' ? { reason: 'max_output_tokens' } : null,
    instructions: req.instructions ?? null,
    max_output_tokens: req.max_output_tokens ?? null,
    model,
    output,
    parallel_tool_calls: req.parallel_tool_calls ?? true,
    previous_response_id: null,
    reasoning: { effort: null, summary: null },
    store: false,
    temperature: 1,
    text: { format: req.text?.format ?? { type: 'text' } },
    tool_choice: req.tool_choice ?? 'auto',
    tools: req.tools ?? [],
    top_p: 1,
    truncation: 'disabled',
    usage: withUsage
      ? {
          input_tokens: plan.inputTokens,
          input_tokens_details: { cached_tokens: 0 },
          output_tokens: plan.outputTokens,
          output_tokens_details: { reasoning_tokens: 0 },
          total_tokens: plan.inputTokens + plan.outputTokens,
        }
      : null,
    user: null,
    metadata: {},
  };
}

const finalStatus = (plan: ReplyPlan): 'completed' | 'incomplete' =>
  plan.truncated ? 'incomplete' : 'completed';

export const openaiResponses: Provider<ResponsesRequest> = {
  flavor: 'openai',
  schema: responsesRequestSchema,
  toReplyRequest(req) {
    const items =
      typeof req.input === 'string'
        ? [{ role: 'user', content: req.input } as Item]
        : (req.input as Item[]);
    const last = items[items.length - 1]!;
    const lastUser = [...items].reverse().find((i) => i.role === 'user');
    let toolChoice: ToolChoice = 'auto';
    if (typeof req.tool_choice === 'string') toolChoice = req.tool_choice;
    else if (req.tool_choice?.name) toolChoice = { name: req.tool_choice.name };
    return {
      lastUserText: contentText(lastUser?.content),
      toolResultText:
        last.type === 'function_call_output'
          ? contentText(last.output) || String(last.output ?? '')
          : undefined,
      promptText: [
        req.instructions ?? '',
        ...items.map((i) => contentText(i.content ?? i.output)),
      ].join('\n'),
      tools: (req.tools ?? [])
        .filter((t) => t.type === 'function' && t.name)
        .map((t) => ({ name: t.name!, schema: t.parameters ?? undefined })),
      toolChoice,
      parallelToolCalls: req.parallel_tool_calls !== false,
      maxTokens: req.max_output_tokens ?? undefined,
      responseFormat:
        req.text?.format?.type === 'json_schema'
          ? { type: 'json_schema', schema: req.text.format.schema }
          : req.text?.format?.type === 'json_object'
            ? { type: 'json_object' }
            : undefined,
    };
  },
  isStream: (req) => req.stream === true,
  json(plan, req, ctx) {
    const status = finalStatus(plan);
    return responseObject(
      plan,
      req,
      ctx.created,
      ctx.model,
      status,
      outputItems(plan, status),
      true,
    );
  },
  events(plan, req, ctx) {
    let seq = 0;
    const out: WireEvent[] = [];
    const emit = (type: string, body: object, tokens = 0): void => {
      out.push({
        event: type,
        data: JSON.stringify({ type, ...body, sequence_number: seq++ }),
        tokens,
      });
    };
    const status = finalStatus(plan);
    const started = responseObject(plan, req, ctx.created, ctx.model, 'in_progress', [], false);
    emit('response.created', { response: started });
    emit('response.in_progress', { response: started });
    const pending = outputItems(plan, 'in_progress');
    const done = outputItems(plan, plan.kind === 'tools' ? 'completed' : status);
    if (plan.kind === 'tools') {
      plan.toolCalls.forEach((call, i) => {
        const itemId = `fc_${call.idSuffix}`;
        emit('response.output_item.added', { output_index: i, item: pending[i] }, 1);
        for (const g of group(call.fragments, ctx.tokensPerEvent)) {
          emit(
            'response.function_call_arguments.delta',
            { item_id: itemId, output_index: i, delta: g.text },
            g.count,
          );
        }
        emit('response.function_call_arguments.done', {
          item_id: itemId,
          output_index: i,
          name: call.name,
          arguments: call.arguments,
        });
        emit('response.output_item.done', { output_index: i, item: done[i] });
      });
    } else {
      const itemId = `msg_${plan.id}`;
      const text = plan.tokens.join('');
      const refusal = plan.kind === 'refusal';
      const where = { item_id: itemId, output_index: 0, content_index: 0 };
      emit('response.output_item.added', { output_index: 0, item: pending[0] });
      emit('response.content_part.added', {
        ...where,
        part: refusal
          ? { type: 'refusal', refusal: '' }
          : { type: 'output_text', text: '', annotations: [], logprobs: [] },
      });
      for (const g of group(plan.tokens, ctx.tokensPerEvent)) {
        if (refusal) emit('response.refusal.delta', { ...where, delta: g.text }, g.count);
        else emit('response.output_text.delta', { ...where, delta: g.text, logprobs: [] }, g.count);
      }
      if (refusal) emit('response.refusal.done', { ...where, refusal: text });
      else emit('response.output_text.done', { ...where, text, logprobs: [] });
      emit('response.content_part.done', {
        ...where,
        part: refusal
          ? { type: 'refusal', refusal: text }
          : { type: 'output_text', text, annotations: [], logprobs: [] },
      });
      emit('response.output_item.done', { output_index: 0, item: done[0] });
    }
    const final = responseObject(plan, req, ctx.created, ctx.model, status, done, true);
    emit(status === 'incomplete' ? 'response.incomplete' : 'response.completed', {
      response: final,
    });
    return out;
  },
  withStreamError(events, cutAt, spec) {
    const kept = events.slice(0, cutAt + 1);
    const last = kept[kept.length - 1];
    const seq = last
      ? (JSON.parse(last.data) as { sequence_number: number }).sequence_number + 1
      : 0;
    const body = {
      type: 'error',
      code: spec.kind === 'overloaded' ? 'server_is_overloaded' : 'server_error',
      message:
        spec.kind === 'overloaded'
          ? 'The server is overloaded right now. Please retry your request later.'
          : spec.message,
      param: null,
      sequence_number: seq,
    };
    return [...kept, { event: 'error', data: JSON.stringify(body), tokens: 0 }];
  },
};
