/**
 * Renders streamed text into an element without layout thrash: pieces are buffered and written once
 * per animation frame into a single Text node (no innerHTML, so model output cannot inject markup),
 * and the view follows the text only if the reader was already at the bottom.
 */
export function createTextRenderer(output: HTMLElement, scroller: HTMLElement = output) {
  const node = document.createTextNode('');
  output.replaceChildren(node);
  let pending = '';
  let frame = 0;

  function flush(): void {
    frame = 0;
    if (!pending) return;
    // Read layout before writing, once per frame: one reflow, not one per token.
    const atBottom = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 8;
    node.appendData(pending);
    pending = '';
    if (atBottom) scroller.scrollTop = scroller.scrollHeight;
  }

  return {
    /** Queues a piece of text; it appears on the next frame. */
    append(piece: string): void {
      pending += piece;
      frame ||= requestAnimationFrame(flush);
    },
    /** Writes anything still queued now (call it when the stream ends). */
    flush(): void {
      if (frame) cancelAnimationFrame(frame);
      flush();
    },
  };
}
