import { describe, expect, it } from 'vitest';
import { EDITOR_TYPES_MODULE, editorTypes } from './editorTypes.ts';

describe('editorTypes Vite plugin', () => {
  it('resolves only its virtual module and serves the declarations as a default export', () => {
    const plugin = editorTypes(process.cwd());
    expect(plugin.resolveId('react')).toBeUndefined();
    const id = plugin.resolveId(EDITOR_TYPES_MODULE);
    expect(id).toBe('\0' + EDITOR_TYPES_MODULE);
    expect(plugin.load('/some/other.ts')).toBeUndefined();
    const code = plugin.load(id!)!;
    expect(code.startsWith('export default {')).toBe(true);
    const files = JSON.parse(code.slice('export default '.length, -1)) as Record<string, string>;
    expect(Object.keys(files)).toContain('/lib.es2022.d.ts');
    expect(Object.keys(files)).toContain('/node_modules/@anthropic-ai/sdk/package.json');
  });
});
