import { beforeAll, describe, expect, it } from 'vitest';
import { collectEditorTypes } from '../../../node/editorTypes.ts';
import { createLabLanguageService, type LabLanguageService } from './service.ts';

let service: LabLanguageService;
let typeFiles: Record<string, string>;

beforeAll(() => {
  typeFiles = collectEditorTypes(process.cwd());
  service = createLabLanguageService(typeFiles);
});

const FILE = '/lab.ts';

/** Sets the file to `code` with `|` marking the cursor; returns the cursor offset. */
function withCursor(code: string): number {
  const pos = code.indexOf('|');
  service.setFile({ fileName: FILE, text: code.replace('|', '') });
  return pos;
}

describe('collected editor types', () => {
  it('ships the standard library and both SDKs, but not Node typings', () => {
    expect(typeFiles['/lib.dom.d.ts']).toContain('interface Response');
    expect(typeFiles['/node_modules/openai/package.json']).toContain('"name":"openai"');
    expect(
      Object.keys(typeFiles).some((k) => k.startsWith('/node_modules/@anthropic-ai/sdk/')),
    ).toBe(true);
    expect(Object.keys(typeFiles).some((k) => k.includes('/@types/node/'))).toBe(false);
  });
});

describe('lab language service', () => {
  it('completes the members of a fetch response body', () => {
    const pos = withCursor(
      `export async function go(response: Response) {\n  const reader = response.body!.|\n}`,
    );
    const result = service.completions({ fileName: FILE, pos });
    const labels = result?.options.map((o) => o.label) ?? [];
    expect(labels).toContain('getReader');
    expect(labels).toContain('pipeThrough');
    expect(result?.from).toBe(pos);
  });

  it('completes OpenAI SDK members', () => {
    const pos = withCursor(
      `import OpenAI from 'openai';\nconst client = new OpenAI();\nclient.chat.|`,
    );
    const labels = service.completions({ fileName: FILE, pos })?.options.map((o) => o.label);
    expect(labels).toContain('completions');
  });

  it('completes Anthropic SDK members', () => {
    const pos = withCursor(
      `import Anthropic from '@anthropic-ai/sdk';\nconst client = new Anthropic();\nclient.messages.|`,
    );
    const labels = service.completions({ fileName: FILE, pos })?.options.map((o) => o.label);
    expect(labels).toContain('stream');
    expect(labels).toContain('create');
  });

  it('reports type errors at their position', () => {
    const code = `const decoder = new TextDecoder();\ndecoder.decodee(new Uint8Array());\n`;
    service.setFile({ fileName: FILE, text: code });
    const diagnostics = service.diagnostics({ fileName: FILE });
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]!.code).toBe(2551);
    expect(code.slice(diagnostics[0]!.from, diagnostics[0]!.to)).toBe('decodee');
    expect(diagnostics[0]!.message).toMatch(/decode/);
  });

  it('has no diagnostics for valid streaming code', () => {
    service.setFile({
      fileName: FILE,
      text: `export async function read(response: Response): Promise<string> {\n  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();\n  let text = '';\n  for (;;) {\n    const { done, value } = await reader.read();\n    if (done) return text;\n    text += value;\n  }\n}\n`,
    });
    expect(service.diagnostics({ fileName: FILE })).toEqual([]);
  });

  it('describes the symbol under the cursor', () => {
    const pos = withCursor(`declare const r: Response;\nr.bo|dy;`);
    const hover = service.hover({ fileName: FILE, pos });
    expect(hover?.signature).toContain('ReadableStream<Uint8Array');
  });

  it('gives details for a completion', () => {
    const pos = withCursor(`declare const r: Response;\nr.|`);
    const detail = service.completionDetail({ fileName: FILE, pos, name: 'json' });
    expect(detail?.signature).toContain('Promise<any>');
  });

  it('keeps files apart: top-level names in one lab file do not clash with another', () => {
    service.setFile({ fileName: '/a.ts', text: 'const shared = 1;\n' });
    service.setFile({ fileName: '/b.ts', text: 'const shared = 2;\n' });
    expect(service.diagnostics({ fileName: '/a.ts' })).toEqual([]);
    expect(service.diagnostics({ fileName: '/b.ts' })).toEqual([]);
  });
});
