import { parseInline } from './inline.ts';

/** Renders a lab goal or hint written in inline Markdown (`code`, **strong**, *em*, [links](...)). */
export function InlineText({ text }: { text: string }) {
  return (
    <>
      {parseInline(text).map((token, i) => {
        switch (token.kind) {
          case 'code':
            return <code key={i}>{token.text}</code>;
          case 'strong':
            return <strong key={i}>{token.text}</strong>;
          case 'em':
            return <em key={i}>{token.text}</em>;
          case 'link':
            return (
              <a key={i} href={token.href}>
                {token.text}
              </a>
            );
          default:
            return <span key={i}>{token.text}</span>;
        }
      })}
    </>
  );
}
