/**
 * The inline Markdown that lab goals and hints may use (`lab.json`): `code`, **strong**, *emphasis* and
 * [links](https://...). Parsed into tokens rather than HTML, so both Astro and React render them as
 * elements and no lab text is ever injected as markup.
 */

export type InlineToken =
  | { kind: 'text'; text: string }
  | { kind: 'code'; text: string }
  | { kind: 'strong'; text: string }
  | { kind: 'em'; text: string }
  | { kind: 'link'; text: string; href: string };

const PATTERN = /`([^`]+)`|\*\*([^*]+)\*\*|\*([^*\s][^*]*)\*|\[([^\]]+)\]\(([^)\s]+)\)/g;

/** Only web and in-site links; anything else (`javascript:`) stays plain text. */
const SAFE_HREF = /^(https?:\/\/|\/|#|\.\.?\/)/;

/** Splits `text` into inline tokens. Unmatched markers stay as text. */
export function parseInline(text: string): InlineToken[] {
  const tokens: InlineToken[] = [];
  let last = 0;
  for (const match of text.matchAll(PATTERN)) {
    if (match.index > last) tokens.push({ kind: 'text', text: text.slice(last, match.index) });
    const [whole, code, strong, em, linkText, href] = match;
    if (code !== undefined) tokens.push({ kind: 'code', text: code });
    else if (strong !== undefined) tokens.push({ kind: 'strong', text: strong });
    else if (em !== undefined) tokens.push({ kind: 'em', text: em });
    else if (linkText !== undefined && href !== undefined && SAFE_HREF.test(href)) {
      tokens.push({ kind: 'link', text: linkText, href });
    } else tokens.push({ kind: 'text', text: whole });
    last = match.index + whole.length;
  }
  if (last < text.length) tokens.push({ kind: 'text', text: text.slice(last) });
  return tokens;
}
