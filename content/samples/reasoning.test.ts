/**
 * Lesson 9's samples (reasoning models and an agent loop) against the mock over real HTTP, with the
 * official SDKs and the AI SDK. Each test marks its sample with `cover('<file>', module)`; the coverage
 * test in `samples.test.ts` reads this file too.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMockHandler, type RequestLog } from '../../src/mock/core/index.ts';
import { serveMock, type MockServer } from '../../src/mock/node/serve.ts';
import * as agentLoop from './09-reasoning/agent-loop.ts';
import * as aiSdkAgent from './09-reasoning/ai-sdk-agent.ts';
import * as reasoningSummary from './09-reasoning/reasoning-summary.ts';
import * as thinkingStream from './09-reasoning/thinking-stream.ts';

let mock: MockServer;
const logs: RequestLog[] = [];
const cover = <T>(file: string, module: T): T => (void file, module);

function useMock(scenario = 'default', knobs = 'ttft_ms=0,tps=5000'): void {
  const prefix = `${mock.url}/scenarios/${scenario}/knobs/${knobs}`;
  process.env.OPENAI_BASE_URL = `${prefix}/v1`;
  process.env.ANTHROPIC_BASE_URL = prefix;
}

beforeAll(async () => {
  mock = await serveMock(createMockHandler({ onLog: (e) => logs.push(e) }), { port: 0 });
  process.env.OPENAI_API_KEY = 'sk-streamlab-test';
  process.env.ANTHROPIC_API_KEY = 'sk-ant-streamlab-test';
});
afterAll(async () => {
  await mock.close();
});

describe('09 reasoning models and an agent loop', () => {
  it('thinking-stream: thinking and answer apart, the signature kept, thinking billed', async () => {
    const { run } = cover('09-reasoning/thinking-stream.ts', thinkingStream);
    useMock();
    const r = await run('Should I stream a 20-second answer?');
    expect(r.thinking).toContain('Should I stream');
    expect(r.answer).not.toContain(r.thinking.slice(0, 20));
    expect(r.signature.length).toBeGreaterThan(20);
    expect(r.stopReason).toBe('end_turn');
    expect(r.outputTokens).toBeGreaterThan(r.answer.length / 8 + 10);
  });

  it('reasoning-summary: the summary before the answer, reasoning tokens counted; incomplete is an error', async () => {
    const { run } = cover('09-reasoning/reasoning-summary.ts', reasoningSummary);
    useMock();
    const r = await run();
    expect(r.summary.length).toBeGreaterThan(20);
    expect(r.answer.length).toBeGreaterThan(20);
    expect(r.reasoningTokens).toBeGreaterThan(0);
    expect(r.outputTokens).toBeGreaterThan(r.reasoningTokens);
  });

  it('agent-loop: thinking, tool progress and answer apart; the tool result reaches the answer', async () => {
    const { run } = cover('09-reasoning/agent-loop.ts', agentLoop);
    useMock();
    const events: agentLoop.AgentEvent[] = [];
    await run('What is the weather in Paris?', (e) => events.push(e));
    const types = events.map((e) => e.type);
    expect(types[0]).toBe('thinking');
    expect(types).toContain('tool-start');
    expect(types.indexOf('tool-result')).toBeGreaterThan(types.indexOf('tool-start'));
    expect(types.at(-1)).toBe('done');
    const answer = events.flatMap((e) => (e.type === 'delta' ? [e.text] : [])).join('');
    expect(answer).toContain('light rain');
    expect(events.find((e) => e.type === 'tool-start')).toMatchObject({ input: { city: 'Paris' } });
  });

  it('agent-loop: in the redacted-thinking scenario the opaque block goes back and the loop finishes', async () => {
    const { run } = cover('09-reasoning/agent-loop.ts', agentLoop);
    useMock('redacted-thinking');
    const events: agentLoop.AgentEvent[] = [];
    const message = await run('What is the weather in Paris?', (e) => events.push(e));
    expect(message.stop_reason).toBe('end_turn');
    expect(events.some((e) => e.type === 'thinking')).toBe(false);
  });

  it('ai-sdk-agent: streamText runs the tool loop with reasoning parts', async () => {
    const { run } = cover('09-reasoning/ai-sdk-agent.ts', aiSdkAgent);
    useMock();
    const r = await run('What is the weather in Paris?');
    expect(r.reasoning.length).toBeGreaterThan(20);
    expect(r.parts).toContain('tool-call');
    expect(r.parts).toContain('tool-result');
    expect(r.steps).toBe(2);
    expect(r.text).toContain('light rain');
  });
});
