/**
 * OpenAI Responses, `POST /v1/responses`. Stream: every event named (`event:` equals the JSON `type`),
 * an increasing `sequence_number` from 0, `response.created` first, each output item announced
 * (`output_item.added`, `content_part.added`) before its deltas, and one terminal event:
 * `response.completed`, or `response.incomplete` when `max_output_tokens` cut the answer. No `[DONE]`.
 */
import type { ReplyPlan, ToolChoice } from '../reply.ts';
import { responsesRequestSchema, type ResponsesRequest } from '../validate.ts';
import { obfuscation } from './obfuscation.ts';
import { contentText, group, type Provider, type WireEvent } from './provider.ts';

type Item = Record<string, unknown>;

/** The reasoning item that precedes the answer when reasoning was asked for. */
function reasoningItem(plan: ReplyPlan, req: ResponsesRequest, done: boolean): Item[] {
  if (plan.reasoning.length === 0) return [];
  const summary =
    done && req.reasoning?.summary ? [{ type: 'summary_text', text: plan.reasoning.join('') }] : [];
  return [{ id: `rs_${plan.id}`, type: 'reasoning', summary }];
}

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
  if (plan.tokens.length === 0 && plan.truncated) return [];
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
    background: req.background ?? false,
    error: null,
    incomplete_details: status === 'incomplete' ? { reason: 'max_output_tokens' } : null,
    instructions: req.instructions ?? null,
    max_output_tokens: req.max_output_tokens ?? null,
    model,
    output,
    parallel_tool_calls: req.parallel_tool_calls ?? true,
    previous_response_id: null,
    reasoning: { effort: req.reasoning?.effort ?? null, summary: req.reasoning?.summary ?? null },
    store: req.store ?? req.background ?? false,
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
          output_tokens_details: { reasoning_tokens: plan.reasoning.length },
          total_tokens: plan.inputTokens + plan.outputTokens,
        }
      : null,
    user: null,
    metadata: {},
  };
}

const finalStatus = (plan: ReplyPlan): 'completed' | 'incomplete' =>
  plan.truncated ? 'incomplete' : 'completed';

type Emit = (type: string, body: object, tokens?: number) => void;

/** The reasoning item and, when a summary was asked for, its summary part; returns the next index. */
function emitReasoning(
  plan: ReplyPlan,
  req: ResponsesRequest,
  emit: Emit,
  perEvent: number,
): number {
  const [pending] = reasoningItem(plan, req, false);
  if (!pending) return 0;
  const where = { item_id: pending.id, output_index: 0 };
  emit('response.output_item.added', { output_index: 0, item: pending });
  if (req.reasoning?.summary) {
    const text = plan.reasoning.join('');
    const at = { ...where, summary_index: 0 };
    emit('response.reasoning_summary_part.added', {
      ...at,
      part: { type: 'summary_text', text: '' },
    });
    for (const g of group(plan.reasoning, perEvent))
      emit('response.reasoning_summary_text.delta', { ...at, delta: g.text }, g.count);
    emit('response.reasoning_summary_text.done', { ...at, text });
    emit('response.reasoning_summary_part.done', { ...at, part: { type: 'summary_text', text } });
  }
  emit('response.output_item.done', { output_index: 0, item: reasoningItem(plan, req, true)[0] });
  return 1;
}

function emitToolCalls(plan: ReplyPlan, emit: Emit, first: number, perEvent: number): void {
  const pending = outputItems(plan, 'in_progress');
  const done = outputItems(plan, 'completed');
  plan.toolCalls.forEach((call, i) => {
    const itemId = `fc_${call.idSuffix}`;
    const output_index = first + i;
    emit('response.output_item.added', { output_index, item: pending[i] }, 1);
    for (const g of group(call.fragments, perEvent)) {
      emit(
        'response.function_call_arguments.delta',
        { item_id: itemId, output_index, delta: g.text },
        g.count,
      );
    }
    emit('response.function_call_arguments.done', {
      item_id: itemId,
      output_index,
      name: call.name,
      arguments: call.arguments,
    });
    emit('response.output_item.done', { output_index, item: done[i] });
  });
}

function emitMessage(
  plan: ReplyPlan,
  emit: Emit,
  output_index: number,
  done: Item,
  perEvent: number,
): void {
  const [pending] = outputItems(plan, 'in_progress');
  const text = plan.tokens.join('');
  const refusal = plan.kind === 'refusal';
  const where = { item_id: `msg_${plan.id}`, output_index, content_index: 0 };
  const part = (t: string) =>
    refusal
      ? { type: 'refusal', refusal: t }
      : { type: 'output_text', text: t, annotations: [], logprobs: [] };
  emit('response.output_item.added', { output_index, item: pending });
  emit('response.content_part.added', { ...where, part: part('') });
  for (const g of group(plan.tokens, perEvent)) {
    if (refusal) emit('response.refusal.delta', { ...where, delta: g.text }, g.count);
    else emit('response.output_text.delta', { ...where, delta: g.text, logprobs: [] }, g.count);
  }
  if (refusal) emit('response.refusal.done', { ...where, refusal: text });
  else emit('response.output_text.done', { ...where, text, logprobs: [] });
  emit('response.content_part.done', { ...where, part: part(text) });
  emit('response.output_item.done', { output_index, item: done });
}

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
      reasoning: Boolean(req.reasoning && req.reasoning.effort !== 'none'),
    };
  },
  isStream: (req) => req.stream === true,
  json(plan, req, ctx) {
    const status = finalStatus(plan);
    const output = [...reasoningItem(plan, req, true), ...outputItems(plan, status)];
    return responseObject(plan, req, ctx.created, ctx.model, status, output, true);
  },
  events(plan, req, ctx) {
    const out: WireEvent[] = [];
    const pad = req.stream_options?.include_obfuscation !== false;
    const emit: Emit = (type, body, tokens = 0) => {
      const sequence_number = out.length;
      const delta = (body as { delta?: unknown }).delta;
      const extra =
        pad && typeof delta === 'string'
          ? { obfuscation: obfuscation(plan.id, sequence_number, delta.length) }
          : {};
      out.push({
        event: type,
        data: JSON.stringify({ type, ...body, ...extra, sequence_number }),
        tokens,
      });
    };
    const status = finalStatus(plan);
    const started = responseObject(plan, req, ctx.created, ctx.model, 'in_progress', [], false);
    emit('response.created', { response: started });
    emit('response.in_progress', { response: started });
    const first = emitReasoning(plan, req, emit, ctx.tokensPerEvent);
    const done = outputItems(plan, plan.kind === 'tools' ? 'completed' : status);
    if (plan.kind === 'tools') emitToolCalls(plan, emit, first, ctx.tokensPerEvent);
    else if (done.length > 0) emitMessage(plan, emit, first, done[0]!, ctx.tokensPerEvent);
    const output = [...reasoningItem(plan, req, true), ...done];
    const final = responseObject(plan, req, ctx.created, ctx.model, status, output, true);
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
