/**
 * Request schemas (zod), one per endpoint. They check what the mock relies on and what the real APIs
 * reject; unknown fields pass through, as the real APIs accept many more. A failure names the field path
 * in the style of the APIs' own messages (`messages[0].role`).
 */
import { clip } from './clip.ts';
import { z } from 'zod';
import { looksRedacted, signThinking } from './reasoning.ts';

const positiveInt = z.number().int().positive();
const jsonSchema = z.record(z.string(), z.unknown());

/** A structured-output schema's name, as the OpenAI APIs restrict it. */
const formatName = z
  .string()
  .regex(/^[a-zA-Z0-9_-]{1,64}$/, 'must be 1 to 64 letters, digits, underscores or dashes');

const chatContentPart = z.looseObject({ type: z.string() });
/** How hard a reasoning model thinks (Chat `reasoning_effort`, Responses `reasoning.effort`). */
const reasoningEffort = z.enum(['none', 'minimal', 'low', 'medium', 'high', 'xhigh']);
const streamOptions = z.looseObject({ include_obfuscation: z.boolean().optional() }).nullish();
const chatMessage = z.looseObject({
  role: z.enum(['system', 'developer', 'user', 'assistant', 'tool', 'function']),
  content: z.union([z.string(), z.array(chatContentPart), z.null()]).optional(),
});

/** `POST /v1/chat/completions` */
export const chatRequestSchema = z
  .looseObject({
    model: z.string().min(1),
    messages: z.array(chatMessage).min(1),
    stream: z.boolean().nullish(),
    stream_options: z
      .looseObject({
        include_usage: z.boolean().optional(),
        include_obfuscation: z.boolean().optional(),
      })
      .nullish(),
    reasoning_effort: reasoningEffort.nullish(),
    max_tokens: positiveInt.nullish(),
    max_completion_tokens: positiveInt.nullish(),
    n: z.literal(1).nullish(),
    tools: z
      .array(
        z.looseObject({
          type: z.literal('function'),
          function: z.looseObject({ name: z.string().min(1), parameters: jsonSchema.optional() }),
        }),
      )
      .optional(),
    tool_choice: z
      .union([
        z.enum(['none', 'auto', 'required']),
        z.looseObject({
          type: z.literal('function'),
          function: z.looseObject({ name: z.string() }),
        }),
      ])
      .optional(),
    parallel_tool_calls: z.boolean().optional(),
    response_format: z
      .discriminatedUnion('type', [
        z.looseObject({ type: z.literal('text') }),
        z.looseObject({ type: z.literal('json_object') }),
        z.looseObject({
          type: z.literal('json_schema'),
          json_schema: z.looseObject({
            name: formatName,
            schema: jsonSchema.optional(),
            strict: z.boolean().nullish(),
          }),
        }),
      ])
      .optional(),
  })
  .superRefine((request, ctx) => {
    // The real API's own rule: JSON mode must be asked for in words too.
    if (
      request.response_format?.type === 'json_object' &&
      !request.messages.some((m) => /json/i.test(JSON.stringify(m.content ?? '')))
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['messages'],
        message: `'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'`,
      });
    }
  });
export type ChatRequest = z.infer<typeof chatRequestSchema>;

const responsesInputItem = z.looseObject({
  type: z.string().optional(),
  role: z.enum(['user', 'assistant', 'system', 'developer']).optional(),
  content: z.union([z.string(), z.array(z.looseObject({ type: z.string() }))]).optional(),
});

/** `POST /v1/responses` */
export const responsesRequestSchema = z.looseObject({
  model: z.string().min(1),
  input: z.union([z.string(), z.array(responsesInputItem).min(1)]),
  instructions: z.string().nullish(),
  stream: z.boolean().nullish(),
  stream_options: streamOptions,
  background: z.boolean().nullish(),
  store: z.boolean().nullish(),
  reasoning: z
    .looseObject({
      effort: reasoningEffort.nullish(),
      summary: z.enum(['auto', 'concise', 'detailed']).nullish(),
    })
    .nullish(),
  max_output_tokens: positiveInt.nullish(),
  tools: z
    .array(
      z.looseObject({
        type: z.string(),
        name: z.string().optional(),
        parameters: jsonSchema.nullish(),
      }),
    )
    .optional(),
  tool_choice: z
    .union([
      z.enum(['none', 'auto', 'required']),
      z.looseObject({ type: z.string(), name: z.string().optional() }),
    ])
    .optional(),
  parallel_tool_calls: z.boolean().nullish(),
  text: z
    .looseObject({
      format: z
        .discriminatedUnion('type', [
          z.looseObject({ type: z.literal('text') }),
          z.looseObject({ type: z.literal('json_object') }),
          z.looseObject({
            type: z.literal('json_schema'),
            name: formatName,
            schema: jsonSchema,
            strict: z.boolean().nullish(),
          }),
        ])
        .optional(),
    })
    .nullish(),
});
export type ResponsesRequest = z.infer<typeof responsesRequestSchema>;

const anthropicBlock = z.looseObject({ type: z.string() });

/** Anthropic extended thinking: `budget_tokens` is at least 1,024 and below `max_tokens`. */
const thinkingDisplay = z.enum(['summarized', 'omitted']).nullish();
const anthropicThinking = z.discriminatedUnion('type', [
  z.looseObject({
    type: z.literal('enabled'),
    budget_tokens: z.number().int().min(1024),
    display: thinkingDisplay,
  }),
  z.looseObject({ type: z.literal('adaptive'), display: thinkingDisplay }),
  z.looseObject({ type: z.literal('between_tools') }),
  z.looseObject({ type: z.literal('disabled') }),
]);

/** `POST /v1/messages` (Anthropic requires `max_tokens`). */
export const anthropicRequestSchema = z
  .looseObject({
    model: z.string().min(1),
    max_tokens: positiveInt,
    messages: z
      .array(
        z.looseObject({
          role: z.enum(['user', 'assistant']),
          content: z.union([z.string(), z.array(anthropicBlock)]),
        }),
      )
      .min(1),
    system: z.union([z.string(), z.array(anthropicBlock)]).optional(),
    stream: z.boolean().optional(),
    thinking: anthropicThinking.optional(),
    tools: z
      .array(z.looseObject({ name: z.string().min(1), input_schema: jsonSchema.optional() }))
      .optional(),
    tool_choice: z
      .looseObject({
        type: z.enum(['auto', 'any', 'tool', 'none']),
        name: z.string().optional(),
        disable_parallel_tool_use: z.boolean().optional(),
      })
      .optional(),
    output_config: z
      .looseObject({
        format: z.looseObject({ type: z.literal('json_schema'), schema: jsonSchema }).nullish(),
      })
      .optional(),
  })
  .superRefine(checkThinkingTurns);
export type AnthropicRequest = z.infer<typeof anthropicRequestSchema>;

type AnthropicBody = {
  max_tokens: number;
  thinking?: { type: string; budget_tokens?: number };
  messages: { role: string; content: string | { type: string; [k: string]: unknown }[] }[];
};

/**
 * The API's rules for thinking: the budget fits under `max_tokens`; an assistant turn that called tools
 * is sent back starting with its thinking block, whose signature must be the one it came with.
 */
function checkThinkingTurns(req: AnthropicBody, ctx: z.RefinementCtx): void {
  const type = req.thinking?.type;
  if (type === undefined || type === 'disabled') return;
  if (type === 'enabled' && (req.thinking!.budget_tokens ?? 0) >= req.max_tokens) {
    ctx.addIssue({
      code: 'custom',
      path: ['thinking', 'budget_tokens'],
      message: '`max_tokens` must be greater than `thinking.budget_tokens`',
    });
    return;
  }
  req.messages.forEach((m, i) => {
    if (m.role !== 'assistant' || typeof m.content === 'string') return;
    const blocks = m.content;
    blocks.forEach((b, j) => {
      if (b.type === 'thinking' && b.signature !== signThinking(String(b.thinking ?? '')))
        ctx.addIssue({
          code: 'custom',
          path: ['messages', i, 'content', j, 'signature'],
          message: 'Invalid `signature` in `thinking` block: send thinking blocks back unchanged',
        });
      if (b.type === 'redacted_thinking' && !looksRedacted(b.data))
        ctx.addIssue({
          code: 'custom',
          path: ['messages', i, 'content', j, 'data'],
          message: 'Invalid `data` in `redacted_thinking` block: send it back unchanged',
        });
    });
    const callsTools = blocks.some((b) => b.type === 'tool_use');
    const first = blocks[0]?.type;
    if (
      callsTools &&
      i === req.messages.length - 2 &&
      first !== 'thinking' &&
      first !== 'redacted_thinking'
    )
      ctx.addIssue({
        code: 'custom',
        path: ['messages', i, 'content', 0, 'type'],
        message:
          'Expected `thinking` or `redacted_thinking`, but found `' +
          String(first) +
          '`. When `thinking` is enabled, a final `assistant` message must start with a thinking block',
      });
  });
}

/** `messages[0].role` from `['messages', 0, 'role']`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}

/**
 * Parses a request body that must be a JSON object; on failure, the message the mock answers with (400).
 */
export function parseJsonObject(
  text: string,
): { ok: true; value: Record<string, unknown> } | { ok: false; message: string } {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    // The parser's own words say where it broke off ("… at position 9 (line 1 column 10)").
    const where = `not valid JSON (${clip(String((error as Error).message), 120)})`;
    return {
      ok: false,
      message: `We could not parse the JSON body of your request: it is ${text.trim() ? where : 'empty'}. Send a JSON object with content-type: application/json.`,
    };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { ok: false, message: 'The request body must be a JSON object.' };
  return { ok: true, value: value as Record<string, unknown> };
}

export type Validation<T> = { ok: true; value: T } | { ok: false; param: string; message: string };

/** Validates `body` with `schema`; on failure reports the first issue's path and a readable message. */
export function validate<T>(
  schema: z.ZodType<T>,
  body: unknown,
  /** Where `body` sits in the request, for the message (`['requests', 3]`: one item of a list). */
  at: readonly PropertyKey[] = [],
): Validation<T> {
  const result = schema.safeParse(body);
  if (result.success) return { ok: true, value: result.data };
  const issue = result.error.issues[0]!;
  const param = formatPath([...at, ...issue.path]);
  const missing = issue.code === 'invalid_type' && /received undefined/.test(issue.message);
  const message = missing
    ? `Missing required parameter: '${param}'.`
    : `Invalid value for '${param || 'body'}': ${issue.message}.`;
  return { ok: false, param, message };
}
