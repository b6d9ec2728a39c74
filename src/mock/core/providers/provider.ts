import type { Flavor } from '../errors.ts';
import type { ReplyPlan, ReplyRequest } from '../reply.ts';
import type { z } from 'zod';

/** One SSE event before encoding. `tokens` is how many reply tokens it carries (0 = structural). */
export interface WireEvent {
  event?: string;
  data: string;
  tokens: number;
}

/** What a provider needs besides the plan. */
export interface RenderContext {
  model: string;
  /** Unix seconds for `created` fields. */
  created: number;
  tokensPerEvent: number;
}

/** The mid-stream error a fault scenario injects. */
export interface StreamErrorSpec {
  kind: 'overloaded' | 'server';
  message: string;
}

/** One API surface of the mock: request schema, reply extraction, JSON and stream rendering. */
export interface Provider<R> {
  readonly flavor: Flavor;
  readonly schema: z.ZodType<R>;
  /** Reduces a validated request to what the reply generator needs. */
  toReplyRequest(request: R): ReplyRequest;
  isStream(request: R): boolean;
  /** The non-streaming body. */
  json(plan: ReplyPlan, request: R, ctx: RenderContext): unknown;
  /** The streaming events, terminator included. */
  events(plan: ReplyPlan, request: R, ctx: RenderContext): WireEvent[];
  /**
   * Cuts `events` after the token event at `cutAt` and appends the provider's in-stream error (and the
   * terminator where the provider sends one after it).
   */
  withStreamError(events: WireEvent[], cutAt: number, spec: StreamErrorSpec): WireEvent[];
}

/** Groups pieces `n` at a time: `['a','b','c']`, 2 -> `['ab','c']`. */
export function group(pieces: readonly string[], n: number): { text: string; count: number }[] {
  const out: { text: string; count: number }[] = [];
  for (let i = 0; i < pieces.length; i += n) {
    const slice = pieces.slice(i, i + n);
    out.push({ text: slice.join(''), count: slice.length });
  }
  return out;
}

/** Text of OpenAI/Anthropic-style content: a string or an array of parts with `text`. */
export function contentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (Array.isArray(content)) {
    return content
      .map((part: unknown) => {
        if (typeof part !== 'object' || part === null) return '';
        const p = part as Record<string, unknown>;
        if (typeof p.text === 'string') return p.text;
        if (p.type === 'tool_result' || p.type === 'function_call_output')
          return contentText(p.content ?? p.output);
        return '';
      })
      .filter(Boolean)
      .join('\n');
  }
  return '';
}
