/**
 * The Markdown of a JSDoc comment, as the SDKs write it, split into blocks for the completion and hover
 * popups: paragraphs, bullet lists and fenced code. Inline syntax (`code`, **strong**, *em*, links) is
 * left to `parseInline`. Pure, and never produces HTML: the popup builds elements from the blocks, so
 * doc text cannot inject markup. A full Markdown parser would be more than these comments need.
 */
import { parseInline, type InlineToken } from '../../lab/inline.ts';

export type DocBlock =
  | { kind: 'paragraph'; inline: InlineToken[] }
  | { kind: 'list'; items: InlineToken[][] }
  | { kind: 'code'; text: string };

const BULLET = /^\s*[-*]\s+/;

/** Splits documentation text into paragraphs, lists and fenced code blocks. */
export function parseDocMarkdown(text: string): DocBlock[] {
  const blocks: DocBlock[] = [];
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  let paragraph: string[] = [];
  let list: string[] = [];
  const flush = () => {
    if (paragraph.length > 0)
      blocks.push({ kind: 'paragraph', inline: parseInline(paragraph.join(' ')) });
    if (list.length > 0)
      blocks.push({ kind: 'list', items: list.map((item) => parseInline(item)) });
    paragraph = [];
    list = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trimStart().startsWith('```')) {
      flush();
      const code: string[] = [];
      for (i++; i < lines.length && !lines[i]!.trimStart().startsWith('```'); i++)
        code.push(lines[i]!);
      blocks.push({ kind: 'code', text: code.join('\n') });
    } else if (line.trim() === '') {
      flush();
    } else if (BULLET.test(line)) {
      if (paragraph.length > 0) flush();
      list.push(line.replace(BULLET, ''));
    } else if (list.length > 0 && /^\s+\S/.test(line)) {
      list[list.length - 1] += ` ${line.trim()}`; // a wrapped list item
    } else {
      if (list.length > 0) flush();
      paragraph.push(line.trim());
    }
  }
  flush();
  return blocks;
}
