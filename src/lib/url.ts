/**
 * Prefixes a site-internal path with the build's base path (`BASE_PATH`, e.g. `/course/`), so links and
 * assets work when the site is deployed under a sub-path. `withBase('lessons/x/')` -> `/course/lessons/x/`.
 */
export const withBase = (p: string) =>
  import.meta.env.BASE_URL.replace(/\/$/, '') + '/' + p.replace(/^\//, '');
