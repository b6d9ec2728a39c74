/**
 * Provider-shaped error answers. OpenAI bodies are `{"error":{"message","type","param","code"}}` (all four
 * keys present, `param`/`code` may be null); Anthropic bodies are
 * `{"type":"error","error":{"type","message"},"request_id"}` with the error type fixed by the status.
 */
export type Flavor = 'openai' | 'anthropic';

const ANTHROPIC_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  405: 'invalid_request_error',
  413: 'request_too_large',
  415: 'invalid_request_error',
  429: 'rate_limit_error',
  431: 'invalid_request_error',
  500: 'api_error',
  503: 'api_error',
  529: 'overloaded_error',
};

const OPENAI_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'invalid_request_error',
  404: 'invalid_request_error',
  405: 'invalid_request_error',
  413: 'invalid_request_error',
  415: 'invalid_request_error',
  429: 'rate_limit_exceeded',
  431: 'invalid_request_error',
  500: 'server_error',
  503: 'server_error',
};

export interface ErrorSpec {
  status: number;
  message: string;
  /** OpenAI `param`: the request field at fault (a path like `messages[0].role`). */
  param?: string | null;
  /** OpenAI `code`. */
  code?: string | null;
  /** Overrides the type derived from the status. */
  type?: string;
  headers?: Record<string, string>;
  requestId?: string;
}

/** The JSON body of an error, shaped for `flavor`. */
export function errorBody(flavor: Flavor, spec: ErrorSpec): unknown {
  if (flavor === 'anthropic') {
    return {
      type: 'error',
      error: {
        type: spec.type ?? ANTHROPIC_TYPES[spec.status] ?? 'api_error',
        message: spec.message,
      },
      request_id: spec.requestId ?? null,
    };
  }
  return {
    error: {
      message: spec.message,
      type: spec.type ?? OPENAI_TYPES[spec.status] ?? 'server_error',
      param: spec.param ?? null,
      code: spec.code ?? null,
    },
  };
}

/** A complete error `Response`, JSON body shaped for `flavor`. */
export function errorResponse(flavor: Flavor, spec: ErrorSpec): Response {
  const headers = new Headers(spec.headers);
  headers.set('content-type', 'application/json');
  if (spec.requestId)
    headers.set(flavor === 'anthropic' ? 'request-id' : 'x-request-id', spec.requestId);
  return new Response(JSON.stringify(errorBody(flavor, spec)), { status: spec.status, headers });
}
