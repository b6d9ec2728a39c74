import { describe, expect, it } from 'vitest';
import { parseInline } from './inline.ts';

describe('parseInline', () => {
  it('splits code, strong, emphasis and links out of text', () => {
    expect(
      parseInline(
        'Read `response.body` **fully**, *then* see [the spec](https://html.spec.whatwg.org/).',
      ),
    ).toEqual([
      { kind: 'text', text: 'Read ' },
      { kind: 'code', text: 'response.body' },
      { kind: 'text', text: ' ' },
      { kind: 'strong', text: 'fully' },
      { kind: 'text', text: ', ' },
      { kind: 'em', text: 'then' },
      { kind: 'text', text: ' see ' },
      { kind: 'link', text: 'the spec', href: 'https://html.spec.whatwg.org/' },
      { kind: 'text', text: '.' },
    ]);
  });

  it('keeps markers inside code literal', () => {
    expect(parseInline('`a * b * c`')).toEqual([{ kind: 'code', text: 'a * b * c' }]);
  });

  it('refuses unsafe link targets', () => {
    expect(parseInline('[x](javascript:alert(1))')).toEqual([
      { kind: 'text', text: '[x](javascript:alert(1)' },
      { kind: 'text', text: ')' },
    ]);
  });

  it('returns plain text unchanged', () => {
    expect(parseInline('2 * 3 is six')).toEqual([{ kind: 'text', text: '2 * 3 is six' }]);
  });
});
