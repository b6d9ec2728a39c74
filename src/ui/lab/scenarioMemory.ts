/**
 * The scenario a learner last picked for each lab, kept in localStorage (one small key per lab), so
 * a reload keeps it. Storage that is missing, full or holds a name that no longer exists is ignored.
 */
const key = (labId: string): string => `streamlab:scenario:${labId}`;

/** The saved scenario of a lab, if it is one of `known`. */
export function loadScenario(labId: string, known: readonly string[]): string | undefined {
  try {
    const saved = localStorage.getItem(key(labId));
    return saved !== null && known.includes(saved) ? saved : undefined;
  } catch {
    return undefined;
  }
}

export function saveScenario(labId: string, scenario: string): void {
  try {
    localStorage.setItem(key(labId), scenario);
  } catch {
    // No storage (private mode, quota): the choice lasts until the page is left.
  }
}
