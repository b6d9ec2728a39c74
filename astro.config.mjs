// @ts-check
import { defineConfig } from 'astro/config';
import expressiveCode from 'astro-expressive-code';
import mdx from '@astrojs/mdx';
import react from '@astrojs/react';
import githubLight from '@shikijs/themes/github-light';
import githubDark from '@shikijs/themes/github-dark';
import { editorTypes } from './src/node/editorTypes.ts';
import { containerPrograms } from './src/node/containerPrograms.ts';
import { relativeUrls, renderBuiltUrl } from './src/node/relative-urls.ts';
import { solutionsGate } from './src/node/solutions.ts';
import { visibleChecksModule } from './src/node/visibleChecks.ts';

/**
 * The site is plain static files that work at any path: pages get relative URLs after the build and
 * bundles resolve theirs from their own URL (src/node/relative-urls.ts). `BASE_PATH` (e.g. `/course/`)
 * is the build's own base: the dev server's path, the 404 page's links, `data-build-base`.
 * `build.format: 'directory'` + `trailingSlash: 'always'` gives `/lessons/x/index.html`, which every
 * static host serves for `/lessons/x/` without rewrite rules.
 */
const base = process.env.BASE_PATH ?? '/';

/** What Node mode needs from the server (see README, "Node mode"). */
const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  base,
  trailingSlash: 'always',
  build: { format: 'directory' },
  // No request may leave the site's origin: no prefetch from third parties, no telemetry in the page.
  prefetch: false,
  integrations: [
    // Expressive Code must come before MDX so it owns fenced code blocks in .mdx files.
    expressiveCode({
      // The GitHub themes renamed to our theme names: Expressive Code's default selector is
      // `[data-theme='<name>']`, so code blocks follow the site's `data-theme` toggle on <html>.
      // (Plain objects, not a selector function: options must stay JSON-serializable for <Code>.)
      themes: [
        { ...githubLight, name: 'light' },
        { ...githubDark, name: 'dark' },
      ],
      // The inline head script always sets data-theme, so no media query: one source of truth.
      useDarkModeMediaQuery: false,
      styleOverrides: {
        borderRadius: 'var(--radius)',
        codeFontFamily: 'var(--mono)',
        uiFontFamily: 'inherit',
        codeFontSize: '0.875rem',
      },
    }),
    mdx(),
    react(),
    // Last: makes every page's URLs relative once the build is done, so dist/ works at any path.
    relativeUrls(),
  ],
  vite: {
    plugins: [editorTypes(), containerPrograms(), solutionsGate(), visibleChecksModule()],
    // Node mode (WebContainers) needs a cross-origin isolated page; `astro dev` and `astro preview` send
    // the headers. Every resource the site loads is its own, so require-corp blocks nothing.
    server: { headers: ISOLATION_HEADERS },
    preview: { headers: ISOLATION_HEADERS },
    // Worker bundles get their own plugin list: the editor's TypeScript worker imports the types module.
    worker: { plugins: () => [editorTypes()] },
    build: { assetsInlineLimit: 2048 },
    // URLs inside JS and CSS bundles resolve from the bundle's own URL, not from the base path.
    experimental: { renderBuiltUrl },
  },
});
