import { describe, expect, it } from 'vitest';
import { builtins } from './builtins.ts';
import { LAB_MODULES, labModuleFor } from './imports.ts';
import { ModuleLoader } from './modules.ts';

describe('lab imports', () => {
  it('has a sandbox module for every listed specifier', async () => {
    for (const name of LAB_MODULES) {
      const loaded = (await builtins[name]!()) as Record<string, unknown>;
      expect(Object.keys(loaded).length, name).toBeGreaterThan(1);
    }
  });

  it('maps subpaths of a known package to a module the sandbox has', () => {
    expect(labModuleFor('eventsource-parser/stream')).toBe('eventsource-parser/stream');
    expect(labModuleFor('openai/resources/chat/completions')).toBe('openai');
    expect(labModuleFor('@anthropic-ai/sdk/resources/messages')).toBe('@anthropic-ai/sdk');
    expect(labModuleFor('openai-fake')).toBe('openai-fake');
    expect(labModuleFor('node:fs')).toBe('node:fs');
  });

  it("runs the lesson's EventSourceParserStream import", async () => {
    const modules: Record<string, unknown> = {};
    const loader = new ModuleLoader({
      builtins: modules,
      learner: {
        fileName: 'learner.ts',
        source: `import { EventSourceParserStream } from 'eventsource-parser/stream';
import type { ChatCompletionChunk } from 'openai/resources/chat/completions';
export async function first(body: ReadableStream<Uint8Array>): Promise<string> {
  const events = body.pipeThrough(new TextDecoderStream()).pipeThrough(new EventSourceParserStream());
  const { value } = await events.getReader().read();
  const chunk = JSON.parse(value!.data) as ChatCompletionChunk;
  return chunk.id;
}`,
      },
      files: {},
    });
    loader.compileAll();
    for (const name of loader.requiredBuiltins()) modules[name] = await builtins[name]!();
    expect(Object.keys(modules)).toEqual(['eventsource-parser/stream']);
    const first = loader.learner().first as (body: ReadableStream<Uint8Array>) => Promise<string>;
    const body = new Response('data: {"id":"chatcmpl-1"}\n\n').body!;
    expect(await first(body)).toBe('chatcmpl-1');
  });
});
