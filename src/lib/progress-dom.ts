/**
 * Paints the learner's progress onto server-rendered lesson links: every element with
 * `data-lesson-slug` gets `data-state="visited|done"`, and its `[data-status]` child gets a text for
 * screen readers, and its `[data-lab-count]` child "1 of 2 labs" (labs whose current code passes, from
 * `data-lesson-labs`). Elements with `data-progress-count` show "N of M done". Re-paints on every change,
 * including changes from other tabs, so the course map is never stale.
 */
import { labPassedNow, progress, type ProgressState } from '../progress/store.ts';

const STATUS_TEXT = { visited: '(visited)', done: '(done)' } as const;

export function paintProgress(state: Readonly<ProgressState>, root: ParentNode = document): void {
  const links = root.querySelectorAll<HTMLElement>('[data-lesson-slug]');
  const slugs = new Set<string>();
  let done = 0;
  for (const el of links) {
    const slug = el.dataset.lessonSlug ?? '';
    const lesson = state.lessons[slug];
    if (lesson) el.dataset.state = lesson.state;
    else delete el.dataset.state;
    const labs = (el.dataset.lessonLabs ?? '').split(' ').filter(Boolean);
    const labCount = el.querySelector<HTMLElement>('[data-lab-count]');
    if (labCount && labs.length > 0) {
      const passing = labs.filter((id) => labPassedNow(state.labs[id])).length;
      labCount.textContent = `· ${passing} of ${labs.length} ${labs.length === 1 ? 'lab' : 'labs'}`;
    }
    const status = el.querySelector<HTMLElement>('[data-status]');
    if (status) status.textContent = lesson ? STATUS_TEXT[lesson.state] : '';
    if (!slugs.has(slug)) {
      slugs.add(slug);
      if (lesson?.state === 'done') done++;
    }
  }
  for (const el of root.querySelectorAll<HTMLElement>('[data-progress-count]')) {
    el.textContent = `${done} of ${slugs.size} lessons done`;
  }
  for (const el of root.querySelectorAll<HTMLElement>('[data-progress-bar]')) {
    el.style.setProperty('--done', String(slugs.size === 0 ? 0 : done / slugs.size));
  }
}

/** Paints now and after every progress change. Returns the unsubscribe function. */
export function watchProgress(root: ParentNode = document): () => void {
  paintProgress(progress.get(), root);
  return progress.subscribe((state) => paintProgress(state, root));
}
