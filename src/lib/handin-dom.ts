/**
 * The "Download my work" button on the course map: saves one zip of the learner's code for every lab
 * they touched (`src/progress/handin.ts`), ready for `streamlab grade`. The button says how many labs
 * it holds and is disabled while there are none; it follows progress changes, other tabs' included.
 */
import { buildHandIn, handInFileName, handInLabs } from '../progress/handin.ts';
import { progress } from '../progress/store.ts';

export function wireHandIn(button: HTMLButtonElement, now: () => number = Date.now): () => void {
  const paint = () => {
    const n = handInLabs(progress.get()).length;
    button.disabled = n === 0;
    button.textContent =
      n === 0
        ? 'Download my work (no lab code yet)'
        : `Download my work (${n} ${n === 1 ? 'lab' : 'labs'}, .zip)`;
  };
  button.addEventListener('click', () => {
    const at = now();
    const { zip } = buildHandIn(progress.get(), at);
    const url = URL.createObjectURL(new Blob([zip as BlobPart], { type: 'application/zip' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = handInFileName(at);
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 0);
  });
  paint();
  return progress.subscribe(paint);
}
