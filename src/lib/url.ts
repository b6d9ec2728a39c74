/**
 * Prefixes a site-internal path with the build's base path (`BASE_PATH`, e.g. `/course/`), for links
 * and assets written into pages at build time: `withBase('lessons/x/')` -> `/course/lessons/x/`. The
 * build then makes them relative to each page (src/node/relative-urls.ts), so the same `dist/` works at
 * any path.
 */
export const withBase = (p: string) =>
  import.meta.env.BASE_URL.replace(/\/$/, '') + '/' + p.replace(/^\//, '');

/**
 * A site-internal URL for page scripts at run time, resolved from where the page really is:
 * `siteUrl('sandbox.html')` -> `https://host/wherever/it/is/sandbox.html`. Every page carries its root
 * relative to itself (`<html data-root="../../">`, written by BaseLayout); outside such a page (dev
 * server, tests) the build's base is used.
 */
export function siteUrl(p: string, doc: Document | undefined = globalThis.document): string {
  const root = doc?.documentElement.dataset.root ?? import.meta.env.BASE_URL;
  const rootUrl = new URL(root, doc?.baseURI ?? 'http://localhost/');
  return new URL(p.replace(/^\//, ''), rootUrl).href;
}
