/**
 * CORS for browsers calling the mock directly (SDKs with `dangerouslyAllowBrowser`, raw fetch). Any
 * origin; the preflight echoes `Access-Control-Request-Headers`, because Stainless SDKs send many
 * `x-stainless-*` headers plus `anthropic-*` ones; the rate-limit and retry headers are exposed so
 * learner code can read them.
 */
export const EXPOSED_HEADERS = [
  'retry-after',
  'retry-after-ms',
  'x-ratelimit-limit-requests',
  'x-ratelimit-remaining-requests',
  'x-ratelimit-reset-requests',
  'x-ratelimit-limit-tokens',
  'x-ratelimit-remaining-tokens',
  'x-ratelimit-reset-tokens',
  'anthropic-ratelimit-requests-limit',
  'anthropic-ratelimit-requests-remaining',
  'anthropic-ratelimit-requests-reset',
  'x-request-id',
  'request-id',
  'x-should-retry',
  'x-streamlab-scenario',
  'x-streamlab-run',
  'x-streamlab-attempt',
].join(', ');

const DEFAULT_ALLOWED =
  'authorization, content-type, x-api-key, anthropic-version, anthropic-beta, anthropic-dangerous-direct-browser-access, openai-organization, openai-project, x-stainless-lang, x-stainless-package-version, x-stainless-os, x-stainless-arch, x-stainless-runtime, x-stainless-runtime-version, x-stainless-retry-count, x-stainless-timeout, x-stainless-helper-method, x-streamlab-run, x-streamlab-knobs';

/** Adds the CORS headers every answer carries. */
export function withCors(headers: Headers): Headers {
  headers.set('access-control-allow-origin', '*');
  headers.set('access-control-expose-headers', EXPOSED_HEADERS);
  return headers;
}

/** The answer to an `OPTIONS` preflight. */
export function preflight(request: Request): Response {
  const headers = withCors(new Headers());
  headers.set('access-control-allow-methods', 'GET, POST, OPTIONS');
  headers.set(
    'access-control-allow-headers',
    request.headers.get('access-control-request-headers') || DEFAULT_ALLOWED,
  );
  headers.set('access-control-max-age', '600');
  headers.set('vary', 'Access-Control-Request-Headers');
  return new Response(null, { status: 204, headers });
}
