import { describe, expect, it } from 'vitest';
import { parseDocMarkdown } from './doc-markdown.ts';

describe('parseDocMarkdown', () => {
  it('renders the Markdown of an SDK doc comment as blocks, with inline code and links', () => {
    const doc = [
      'Waits for the stream to end and returns its latest',
      'accumulated `Response`.',
      '',
      'It rejects on:',
      '- network errors,',
      '* an abort, with',
      '  `APIUserAbortError`.',
      '',
      '```ts',
      'const r = await stream.finalResponse();',
      '```',
      'See [the guide](https://example.org/guide).',
    ].join('\n');
    expect(parseDocMarkdown(doc)).toEqual([
      {
        kind: 'paragraph',
        inline: [
          { kind: 'text', text: 'Waits for the stream to end and returns its latest accumulated ' },
          { kind: 'code', text: 'Response' },
          { kind: 'text', text: '.' },
        ],
      },
      { kind: 'paragraph', inline: [{ kind: 'text', text: 'It rejects on:' }] },
      {
        kind: 'list',
        items: [
          [{ kind: 'text', text: 'network errors,' }],
          [
            { kind: 'text', text: 'an abort, with ' },
            { kind: 'code', text: 'APIUserAbortError' },
            { kind: 'text', text: '.' },
          ],
        ],
      },
      { kind: 'code', text: 'const r = await stream.finalResponse();' },
      {
        kind: 'paragraph',
        inline: [
          { kind: 'text', text: 'See ' },
          { kind: 'link', text: 'the guide', href: 'https://example.org/guide' },
          { kind: 'text', text: '.' },
        ],
      },
    ]);
  });

  it('keeps markup as text, and an unclosed fence as code to the end', () => {
    const hostile = '<img src=x onerror=alert(1)> [x](javascript:alert(1))';
    const [block] = parseDocMarkdown(hostile);
    expect(block?.kind).toBe('paragraph');
    const tokens = block?.kind === 'paragraph' ? block.inline : [];
    expect(tokens.every((t) => t.kind === 'text')).toBe(true);
    expect(tokens.map((t) => t.text).join('')).toBe(hostile);
    expect(parseDocMarkdown('```\na\nb')).toEqual([{ kind: 'code', text: 'a\nb' }]);
    expect(parseDocMarkdown('')).toEqual([]);
  });
});
