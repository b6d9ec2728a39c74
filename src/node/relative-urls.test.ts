import { describe, expect, it } from 'vitest';
import { NOT_FOUND_FILE, notFoundPage } from './not-found-page.ts';
import { relativeUrl, relativizeHtml, renderBuiltUrl, rootPrefix } from './relative-urls.ts';

describe('relative URLs for a build that works at any path', () => {
  it('counts the folders between a page and the site root', () => {
    expect(rootPrefix('index.html')).toBe('');
    expect(rootPrefix('lessons/x/index.html')).toBe('../../');
  });

  it('rewrites only URLs under the base', () => {
    expect(relativeUrl('/', '/', '')).toBe('./');
    expect(relativeUrl('/', '/', '../../')).toBe('../../');
    expect(relativeUrl('/_astro/a.css', '/', '../../')).toBe('../../_astro/a.css');
    expect(relativeUrl('/course/lessons/x/#y', '/course/', '../')).toBe('../lessons/x/#y');
    expect(relativeUrl('/elsewhere/', '/course/', '../')).toBe('/elsewhere/');
    expect(relativeUrl('//cdn.example/x.js', '/', '../')).toBe('//cdn.example/x.js');
    expect(relativeUrl('https://example.org/', '/', '../')).toBe('https://example.org/');
    expect(relativeUrl('#top', '/', '../')).toBe('#top');
  });

  it('rewrites URL attributes and island asset props, and leaves text, code and scripts alone', () => {
    const html = [
      '<html lang="en" data-root="/course/" data-build-base="/course/">',
      '<link rel="stylesheet" href="/course/_astro/a.css">',
      '<script type="module" src="/course/_astro/b.js"></script>',
      '<script>const u = "/course/x"; if (a<b) { x = `<a href="/course/y">`; }</script>',
      '<style>.x{background:url(/course/_astro/i.svg)}</style>',
      '<astro-island component-url="/course/_astro/I.js" renderer-url="/course/_astro/c.js"',
      ' props="{&quot;src&quot;:[0,&quot;/course/_astro/run.json&quot;],&quot;p&quot;:[0,&quot;/course/v1&quot;]}">',
      '</astro-island>',
      '<pre data-code="/course/not-a-url"><code>href="/course/z"</code></pre>',
      '<a href="/course/lessons/x/">x</a> <img srcset="/course/a.png 1x, /course/b.png 2x">',
    ].join('\n');
    const out = relativizeHtml(html, 'lessons/x/index.html', '/course/');
    expect(out).toContain('data-root="../../"');
    expect(out).toContain('data-build-base="/course/"');
    expect(out).toContain('href="../../_astro/a.css"');
    expect(out).toContain('src="../../_astro/b.js"');
    expect(out).toContain('const u = "/course/x"; if (a<b) { x = `<a href="/course/y">`; }');
    expect(out).toContain('url(/course/_astro/i.svg)');
    expect(out).toContain('component-url="../../_astro/I.js" renderer-url="../../_astro/c.js"');
    expect(out).toContain('&quot;../../_astro/run.json&quot;');
    expect(out).toContain('&quot;/course/v1&quot;');
    expect(out).toContain('data-code="/course/not-a-url"><code>href="/course/z"</code>');
    expect(out).toContain('href="../../lessons/x/"');
    expect(out).toContain('srcset="../../a.png 1x, ../../b.png 2x"');
  });

  it('makes bundle URLs relative in the browser only', () => {
    expect(renderBuiltUrl('a.js', { hostType: 'js', ssr: false })).toEqual({ relative: true });
    expect(renderBuiltUrl('a.css', { hostType: 'css', ssr: false })).toEqual({ relative: true });
    expect(renderBuiltUrl('a.json', { hostType: 'js', ssr: true })).toBeUndefined();
    expect(renderBuiltUrl('a.js', { hostType: 'html', ssr: false })).toBeUndefined();
  });
});

describe('the 404 page', () => {
  it('gets root-relative URLs under a <base> of the build base, and the script that finds the real root', () => {
    const built =
      '<!doctype html><html data-root="/course/"><head><meta charset="utf-8"><link rel="stylesheet" href="/course/_astro/a.css"></head>' +
      '<body><a href="#main">Skip</a><a href="/course/">home</a><a href="/course/lessons/x/">x</a></body></html>';
    const page = notFoundPage(
      relativizeHtml(built, NOT_FOUND_FILE, '/course/'),
      '/course/',
      '<svg id="own"></svg>',
    );
    expect(page).toContain('<head><base href="/course/" data-site-root><script>');
    expect(page.indexOf('<base')).toBeLessThan(page.indexOf('<meta charset'));
    expect(page).toContain('href="_astro/a.css"');
    expect(page).toContain('<a href="./">home</a><a href="lessons/x/">x</a>');
    expect(page).toContain('<a href="#main">');
    expect(page).toContain("root + 'favicon.svg'");
    expect(page).toContain('var own = "<svg id=\\"own\\"></svg>"');
    expect(() => notFoundPage('<p>no head</p>', '/', '')).toThrow(/404\.html: no <head>/);
  });
});
