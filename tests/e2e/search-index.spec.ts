/**
 * The search index holds the lessons' prose, not their code: code blocks, labs, recorded runs and
 * the SSE inspector are left out (`--exclude-selectors` in the build script), so a nonsense word
 * finds nothing and excerpts read as sentences.
 */
import { expect, test, type Page } from '@playwright/test';

async function search(page: Page, query: string) {
  return page.evaluate(async (q) => {
    const url = new URL('pagefind/pagefind.js', document.baseURI).href;
    const pf = (await import(/* @vite-ignore */ url)) as {
      init(): Promise<void>;
      search(q: string): Promise<{ results: Array<{ data(): Promise<{ excerpt: string }> }> }>;
    };
    await pf.init();
    const found = await pf.search(q);
    return Promise.all(found.results.map(async (r) => (await r.data()).excerpt));
  }, query);
}

test('a nonsense word finds nothing; excerpts come from prose, not code or lab chrome', async ({
  page,
}) => {
  await page.goto('./');
  expect(await search(page, 'xyzzy')).toEqual([]);
  const excerpts = await search(page, 'reader');
  expect(excerpts.length).toBeGreaterThan(0);
  for (const excerpt of excerpts) {
    expect(excerpt).not.toMatch(/getReader\(\)|const |=>|All reads|Run all checks/);
  }
});
