/**
 * The 404 page, at any path. A host serves `404.html` at whatever URL was missing, at any depth, so its
 * URLs cannot be relative to its own address. They are made relative to the site root instead, under a
 * `<base>` that says where the root is: the build's base as built (right without JavaScript, and
 * wherever the build's own base is served), corrected before anything loads by a small script that
 * finds the real root when the same `dist/` was put at another path: the folder whose `favicon.svg` is
 * the site's own (a host that answers every miss with the 404 page, or another site's icon, does not
 * match), asked with synchronous requests so the page's styles and scripts load from the right place. Same-page links (`#main`) keep the page's own
 * address.
 */
export const NOT_FOUND_FILE = '404.html';

/**
 * Runs first in `<head>`, before any URL in the page is resolved. The missing URL's folders are asked
 * from the deepest up (the nearest copy of the site wins, even where the same build is also served
 * higher up); a folder is the root when its `favicon.svg` is the site's own, byte for byte. The
 * folders above the root answer 404: expected, and invisible to the reader.
 */
const findRoot = (favicon: string): string => `(function () {
  var base = document.querySelector('base[data-site-root]');
  if (!base) return;
  var own = ${JSON.stringify(favicon)};
  var isRoot = function (root) {
    try {
      var probe = new XMLHttpRequest();
      probe.open('GET', root + 'favicon.svg', false);
      probe.send();
      return probe.status === 200 && probe.responseText === own;
    } catch (e) {
      return false;
    }
  };
  var folders = location.pathname.split('/').slice(0, -1);
  for (var i = folders.length; i > 0; i--) {
    var root = folders.slice(0, i).join('/') + '/';
    if (isRoot(root)) {
      base.href = root;
      break;
    }
  }
  document.addEventListener('DOMContentLoaded', function () {
    var links = document.querySelectorAll('a[href^="#"]');
    for (var j = 0; j < links.length; j++)
      links[j].href = location.pathname + location.search + links[j].getAttribute('href');
  });
})();`;

/**
 * The 404 page made to work at any path (see above): `relative` is the page with its URLs already made
 * relative to the site root (`relativizeHtml(html, '404.html', base)`), `base` the build's base.
 */
export function notFoundPage(relative: string, base: string, favicon: string): string {
  const head = /<head[^>]*>/i.exec(relative);
  if (!head) throw new Error(`${NOT_FOUND_FILE}: no <head> to put the site root in`);
  const at = head.index + head[0].length;
  const inject = `<base href="${base}" data-site-root><script>${findRoot(favicon)}</script>`;
  return relative.slice(0, at) + inject + relative.slice(at);
}
