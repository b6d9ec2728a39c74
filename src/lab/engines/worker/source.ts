/**
 * The lab worker's script text, fetched once per page: every lab island on a page has its own engine
 * and sandbox frame, but they all boot the same 1.7 MB bundle, so they share one download (a page with
 * two labs fetched it twice). A failed fetch is forgotten, so the next engine tries again.
 */
const sources = new Map<string, Promise<string>>();

export function loadWorkerSource(
  scriptUrl: string,
  fetchText: typeof fetch = fetch,
): Promise<string> {
  let source = sources.get(scriptUrl);
  if (source) return source;
  source = fetchText(scriptUrl).then((response) => {
    if (!response.ok)
      throw new Error(`the lab worker script ${scriptUrl} answered HTTP ${response.status}`);
    // The bundle is one classic script, sloppy at its top level; the lockdown (`ses`) runs only in
    // strict code, and every module in it is strict-clean (they are ES modules or strict CommonJS).
    return response.text().then((text) => `"use strict";\n${text}`);
  });
  sources.set(scriptUrl, source);
  source.catch(() => {
    if (sources.get(scriptUrl) === source) sources.delete(scriptUrl);
  });
  return source;
}
