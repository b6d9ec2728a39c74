/**
 * Hand-written SSE for checks: the legal corners of the format that no real server in the mock produces
 * by default (`data:` without its space, a field line without a colon, an unknown field), built from the
 * events of a real mock answer so the expected text is known.
 */
import type { ReferenceEvent } from './streams.ts';

/** How `writeSse` writes each event. */
export interface SseVariant {
  /** Write `data:<payload>` without the optional space. */
  noSpace?: boolean;
  /** Lines put before each event's data: `id` (a field without a colon), `: note`, `foo: bar`. */
  extraLines?: readonly string[];
  /** Line ending (default LF). */
  eol?: '\n' | '\r\n' | '\r';
}

/** The events as SSE text, each ended by a blank line. */
export function writeSse(events: readonly ReferenceEvent[], variant: SseVariant = {}): string {
  const eol = variant.eol ?? '\n';
  const data = variant.noSpace ? 'data:' : 'data: ';
  return events
    .map((event) => {
      const lines = [...(variant.extraLines ?? [])];
      if (event.type !== 'message') lines.push(`event: ${event.type}`);
      for (const line of event.data.split('\n')) lines.push(data + line);
      return lines.join(eol) + eol + eol;
    })
    .join('');
}

/** A 200 `text/event-stream` Response whose body is `text`, in reads of `readSize` bytes (default whole). */
export function sseResponse(text: string, readSize = Infinity): Response {
  const bytes = new TextEncoder().encode(text);
  let at = 0;
  const body = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        if (at >= bytes.length) return controller.close();
        const end = Math.min(bytes.length, at + readSize);
        controller.enqueue(bytes.slice(at, end));
        at = end;
      },
    },
    { highWaterMark: 0 },
  );
  return new Response(body, { headers: { 'content-type': 'text/event-stream' } });
}
