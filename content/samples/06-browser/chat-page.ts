import { streamChat } from './read-chat-stream.ts';
import { createTextRenderer } from './render-text.ts';

/**
 * Wires a minimal chat page: a form with a text field, a Stop button, an output element and a status
 * line (give it aria-live="polite" so screen readers hear "Stopped" or "Done", not every token).
 */
export function mountChat(
  form: HTMLFormElement,
  stop: HTMLButtonElement,
  output: HTMLElement,
  status: HTMLElement,
) {
  let controller: AbortController | undefined;
  stop.disabled = true;
  stop.addEventListener('click', () => controller?.abort());

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const prompt = String(new FormData(form).get('prompt') ?? '').trim();
    if (!prompt) return;
    controller?.abort(); // a new question cancels the previous answer
    controller = new AbortController();
    const renderer = createTextRenderer(output);
    output.setAttribute('aria-busy', 'true');
    status.textContent = 'Answering…';
    stop.disabled = false;

    const outcome = await streamChat('/api/chat', [{ role: 'user', content: prompt }], {
      signal: controller.signal,
      onText: renderer.append,
    });

    renderer.flush();
    output.setAttribute('aria-busy', 'false');
    stop.disabled = true;
    status.textContent =
      outcome.status === 'complete'
        ? 'Done.'
        : outcome.status === 'stopped'
          ? 'Stopped. The answer above is partial.'
          : `The answer is incomplete: ${outcome.error ?? 'the connection was lost'}.`;
  });
}
