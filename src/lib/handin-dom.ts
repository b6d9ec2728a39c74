/**
 * "Download my work": on the course map, one zip of the learner's code for every lab they touched; in
 * a lab, that lab's code as `<lab-id>.ts` (`src/progress/handin.ts` makes both). Both are what
 * `streamlab grade` takes. The course map's button says how many labs the zip holds and is disabled
 * while there are none; it follows progress changes, other tabs' included.
 */
import { buildHandIn, handInFileName, handInLabs, labDownload } from '../progress/handin.ts';
import { progress } from '../progress/store.ts';
import { saveDownload } from './download.ts';

/** Saves one lab's code as `<lab-id>.ts`, with its header comment (see `labDownload`). */
export function downloadLab(id: string, title: string, code: string, now = Date.now()): void {
  const { name, text } = labDownload({ id, title }, code, now);
  saveDownload(text, name, 'text/plain');
}

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
    saveDownload(zip as BlobPart, handInFileName(at), 'application/zip');
  });
  paint();
  return progress.subscribe(paint);
}
