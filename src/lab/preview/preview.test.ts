import { describe, expect, it } from 'vitest';
import { createMockHandler } from '../../mock/core/index.ts';
import { createVirtualClock } from '../../mock/core/clock.ts';
import { transpile } from '../run/transpile.ts';
import { createChatBackend } from './backend.ts';
import { asFetchMessage, asStateMessage } from './bridge.ts';
import { previewDocument, PREVIEW_FETCH } from './page.ts';

const ask = (body: unknown) =>
  new Request('http://app.streamlab.local/api/chat', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
const question = { messages: [{ role: 'user', content: 'Why a backend?' }] };

async function events(response: Response): Promise<Array<{ type: string; text?: string }>> {
  const text = await response.text();
  return text
    .split('\n\n')
    .filter(Boolean)
    .map((block) => JSON.parse(block.split('\n')[1]!.slice(6)) as { type: string });
}

describe('preview backend', () => {
  /** The backend's answer under `scenario`, read to its end on a virtual clock (no waiting). */
  const answer = async (scenario: string, body: unknown) => {
    const clock = createVirtualClock();
    const backend = createChatBackend(createMockHandler({ clock }), scenario);
    const pending = backend(ask(body)).then(async (response) => ({
      response,
      all: response.ok ? await events(response) : [],
    }));
    await clock.runAll();
    return pending;
  };

  it('forwards the mock as delta events ending in done', async () => {
    const { response, all } = await answer('default', question);
    expect(response.headers.get('content-type')).toBe('text/event-stream');
    expect(all.at(-1)).toEqual({ type: 'done', finishReason: 'stop' });
    expect(all.filter((e) => e.type === 'delta').length).toBeGreaterThan(3);
  });

  it('turns a provider error into an error event', async () => {
    const { all } = await answer('overloaded', question);
    expect(all.at(-1)?.type).toBe('error');
    expect(all.some((e) => e.type === 'done')).toBe(false);
  });

  it('answers bad requests with a clear JSON error', async () => {
    const { response: missing } = await answer('default', {});
    expect(missing.status).toBe(400);
    expect(await missing.json()).toEqual({ error: expect.stringContaining('messages') });
    const backend = createChatBackend(createMockHandler({ clock: createVirtualClock() }), 'fast');
    const elsewhere = await backend(new Request('http://app.streamlab.local/api/other'));
    expect(elsewhere.status).toBe(404);
  });
});

describe('preview bridge messages', () => {
  const good = {
    type: PREVIEW_FETCH,
    url: 'http://app.streamlab.local/api/chat',
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  };
  it('accepts exactly the fetch shape and nothing else', () => {
    expect(asFetchMessage(good)).toBe(good);
    expect(asFetchMessage({ ...good, method: 'CONNECT' })).toBeUndefined();
    expect(asFetchMessage({ ...good, url: 'not a url' })).toBeUndefined();
    expect(asFetchMessage({ ...good, headers: { a: 1 } })).toBeUndefined();
    expect(asFetchMessage({ ...good, body: 'x'.repeat(1_000_001) })).toBeUndefined();
    expect(asFetchMessage('streamlab-preview:fetch')).toBeUndefined();
    expect(
      asStateMessage({ type: 'streamlab-preview:state', state: 'done', detail: 'x' }),
    ).toBeTruthy();
    expect(
      asStateMessage({ type: 'streamlab-preview:state', state: 'eval', detail: 'x' }),
    ).toBeUndefined();
  });
});

describe('preview page', () => {
  it('embeds the compiled code so it cannot close its script element', () => {
    const code = transpile(
      "export const streamToPage = () => '</script><script>alert(1)</script>';",
      'ui-frontend.ts',
    ).code;
    const html = previewDocument({
      compiled: code,
      fileName: 'ui-frontend.ts',
      theme: 'dark',
      prompt: '<b>hi</b>',
    });
    expect(html).not.toContain("'</script>");
    expect(html).toContain('&lt;b&gt;hi&lt;/b&gt;');
    expect(html).toContain("connect-src 'none'");
  });
});
