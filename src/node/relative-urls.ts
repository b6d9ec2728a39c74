/**
 * One build, any path: after `astro build`, every site-internal URL in the pages becomes relative to
 * the page (`/course/_astro/x.css` -> `../../_astro/x.css` in `lessons/x/index.html`), and every URL
 * inside the JavaScript and CSS bundles is resolved from the bundle's own URL (Vite's
 * `renderBuiltUrl` with `relative: true`). The same `dist/` then works at `/`, under any sub-path,
 * and copied into a folder of another site, without rebuilding. `BASE_PATH` still sets the build's
 * base: it is what `data-build-base` on `<html>` records, where `404.html` looks first for the site
 * root (it is served at any depth: `not-found-page.ts`), and what the dev server uses.
 *
 * Page scripts that need a site URL at run time use `siteUrl()` from src/lib/url.ts, which reads the
 * page's own relative root (`<html data-root="../../">`).
 */
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NOT_FOUND_FILE, notFoundPage } from './not-found-page.ts';

/** Attributes whose whole value is one URL (or, for `srcset`, a list of them). */
const URL_ATTRIBUTES = [
  'href',
  'src',
  'srcset',
  'poster',
  'action',
  'component-url',
  'renderer-url',
  'before-hydration-url',
  'data-root',
  'data-pagefind-url',
];
const ATTRIBUTE = new RegExp(`(\\s(?:${URL_ATTRIBUTES.join('|')})=")([^"]*)(")`, 'g');
/** An island's serialized props: asset URLs (`?url` imports, e.g. recorded runs) inside its JSON. */
const PROPS = /(\sprops=")([^"]*)(")/g;
/** Tags, with the raw text of scripts and styles skipped whole (it may contain `<` and quotes). */
const TAG_OR_RAW = /<(script|style)\b[^>]*>[\s\S]*?<\/\1\s*>|<[a-zA-Z][^>]*>/g;
const RAW_OPEN = /^<(?:script|style)\b[^>]*>/;

/** `../` once per folder between the page and the site root: `lessons/x/index.html` -> `../../`. */
export function rootPrefix(pageFile: string): string {
  const depth = pageFile.split('/').length - 1;
  return '../'.repeat(depth);
}

/**
 * One URL made relative: a value under `base` (`/course/lessons/x/` with base `/course/`) becomes
 * `prefix + rest`; anything else (other sites, `//host`, `#x`, `mailto:`, already relative) is kept.
 */
export function relativeUrl(value: string, base: string, prefix: string): string {
  if (!value.startsWith(base) || value.startsWith('//')) return value;
  const rest = value.slice(base.length);
  return prefix + rest || './';
}

function rewriteTag(tag: string, base: string, prefix: string): string {
  return tag
    .replace(ATTRIBUTE, (_all, start: string, value: string, end: string) => {
      const rewritten = start.includes('srcset')
        ? value
            .split(',')
            .map((part) =>
              part.replace(
                /^(\s*)(\S+)/,
                (_m, s: string, url: string) => s + relativeUrl(url, base, prefix),
              ),
            )
            .join(',')
        : relativeUrl(value, base, prefix);
      return start + rewritten + end;
    })
    .replace(PROPS, (_all, start: string, value: string, end: string) => {
      const quoted = `&quot;${base}_astro/`;
      return start + value.replaceAll(quoted, `&quot;${prefix}_astro/`) + end;
    });
}

/**
 * Rewrites one page's HTML. `pageFile` is its path inside the build folder (`lessons/x/index.html`),
 * `base` the build's base (`/` or `/course/`). Only markup is touched: text, code blocks, scripts
 * and styles are left byte for byte.
 */
export function relativizeHtml(html: string, pageFile: string, base: string): string {
  const prefix = rootPrefix(pageFile);
  return html.replace(TAG_OR_RAW, (match) => {
    const raw = RAW_OPEN.exec(match);
    if (raw) return rewriteTag(raw[0], base, prefix) + match.slice(raw[0].length);
    return rewriteTag(match, base, prefix);
  });
}

/** Rewrites every page of a build folder in place; returns how many it changed. */
export async function relativizeBuild(dir: string, base: string): Promise<number> {
  let changed = 0;
  const walk = async (folder: string): Promise<void> => {
    for (const entry of await readdir(folder, { withFileTypes: true })) {
      const full = join(folder, entry.name);
      if (entry.isDirectory()) {
        if (entry.name !== '_astro' && entry.name !== 'pagefind') await walk(full);
        continue;
      }
      if (!entry.name.endsWith('.html')) continue;
      const pageFile = relative(dir, full).split(sep).join('/');
      const html = await readFile(full, 'utf8');
      // The 404 page is served at whatever URL was missing, at any depth: it finds the root itself.
      const relativeHtml = relativizeHtml(html, pageFile, base);
      const rewritten =
        pageFile === NOT_FOUND_FILE
          ? notFoundPage(relativeHtml, base, await readFile(join(dir, 'favicon.svg'), 'utf8'))
          : relativeHtml;
      if (rewritten !== html) {
        await writeFile(full, rewritten);
        changed++;
      }
    }
  };
  await walk(dir);
  return changed;
}

/**
 * Vite's hook for URLs it writes into bundles: in the browser's JavaScript and CSS, relative to the
 * file that holds them (`new URL('x.js', import.meta.url)`, `url(x.woff2)`). The server-side render
 * keeps the default (base-absolute), which the page rewrite above then makes relative.
 */
export function renderBuiltUrl(
  _filename: string,
  context: { hostType: 'js' | 'css' | 'html'; ssr: boolean },
): { relative: true } | undefined {
  if (context.ssr || context.hostType === 'html') return undefined;
  return { relative: true };
}

/** The subset of Astro's integration shape we use (kept local so this file needs no `astro` import). */
interface IntegrationLike {
  name: string;
  hooks: {
    'astro:config:done': (options: { config: { base: string } }) => void;
    'astro:build:done': (options: {
      dir: URL;
      logger: { info(message: string): void };
    }) => Promise<void>;
  };
}

/** The Astro integration: rewrites the built pages once the build is done. */
export function relativeUrls(): IntegrationLike {
  let base = '/';
  return {
    name: 'streamlab-relative-urls',
    hooks: {
      'astro:config:done': ({ config }) => {
        base = config.base.endsWith('/') ? config.base : `${config.base}/`;
      },
      'astro:build:done': async ({ dir, logger }) => {
        const count = await relativizeBuild(fileURLToPath(dir), base);
        logger.info(
          `made the URLs of ${count} pages relative (built for ${base}, works at any path)`,
        );
      },
    },
  };
}
