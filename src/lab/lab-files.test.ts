import { describe, expect, it } from 'vitest';
import type { LabBundle } from './catalog.ts';
import { fetchLabFile, LabFileError, withRunFiles } from './lab-files.ts';

const ROOT = 'https://example.test/training/streamlab/';

/** A fetch that answers from a table of URLs and records what was asked. */
function fakeFetch(files: Record<string, string>) {
  const asked: string[] = [];
  const impl = (async (url: string) => {
    asked.push(url);
    const body = files[url];
    return body === undefined ? new Response('no', { status: 404 }) : new Response(body);
  }) as unknown as typeof fetch;
  return { impl, asked };
}

const bundle = (checks: string, driver = 'DRIVER'): LabBundle =>
  ({
    id: 'sse-reader',
    definition: {},
    files: { starter: '', solution: '', driver, checks, buggy: {} },
  }) as unknown as LabBundle;

describe('lab files fetched by the page', () => {
  it('resolves under the site root it is given (any path, a folder copy)', async () => {
    const { impl, asked } = fakeFetch({ [`${ROOT}lab-files/sse-reader/solution.txt`]: 'SOLUTION' });
    expect(await fetchLabFile('sse-reader', 'solution', ROOT, impl)).toBe('SOLUTION');
    expect(asked).toEqual([`${ROOT}lab-files/sse-reader/solution.txt`]);
  });

  it('a missing file is an error naming the lab file, the URL and the status', async () => {
    const { impl } = fakeFetch({});
    const error = await fetchLabFile('sse-reader', 'checks', ROOT, impl).catch((e: Error) => e);
    expect(error).toBeInstanceOf(LabFileError);
    expect((error as Error).message).toBe(
      `Could not load labs/sse-reader/checks.ts from ${ROOT}lab-files/sse-reader/checks.txt: HTTP 404. The site's files may be incomplete: rebuild or copy dist/ again.`,
    );
  });

  it('a network failure says so too', async () => {
    const impl = (async () => {
      throw new TypeError('Failed to fetch');
    }) as unknown as typeof fetch;
    await expect(fetchLabFile('x', 'checks', ROOT, impl)).rejects.toThrow(
      /Could not load labs\/x\/checks\.ts from .*: Failed to fetch/,
    );
  });

  it('withRunFiles fetches the checks once when the page left them out, and keeps given checks', async () => {
    const { impl, asked } = fakeFetch({ [`${ROOT}lab-files/sse-reader/checks.txt`]: 'CHECKS' });
    const empty = bundle('');
    const [a, b] = await Promise.all([
      withRunFiles(empty, ROOT, impl),
      withRunFiles(empty, ROOT, impl),
    ]);
    expect(a.files.checks).toBe('CHECKS');
    expect(b).toBe(a);
    expect(asked).toHaveLength(1);
    // Run asks for the visible checks only: a file of its own, fetched once too.
    const { impl: visibleImpl, asked: visibleAsked } = fakeFetch({
      [`${ROOT}lab-files/sse-reader/checks-visible.txt`]: 'VISIBLE',
    });
    const visible = await withRunFiles(empty, ROOT, visibleImpl, 'visible');
    expect(visible.files.checks).toBe('VISIBLE');
    expect(await withRunFiles(empty, ROOT, visibleImpl, 'visible')).toBe(visible);
    expect(visibleAsked).toEqual([`${ROOT}lab-files/sse-reader/checks-visible.txt`]);
    const inline = bundle('INLINE');
    expect(await withRunFiles(inline, ROOT, impl)).toBe(inline);
    expect(asked).toHaveLength(1);
  });

  it('withRunFiles tries again after a failure', async () => {
    const files: Record<string, string> = {};
    const { impl, asked } = fakeFetch(files);
    const empty = bundle('');
    await expect(withRunFiles(empty, ROOT, impl)).rejects.toThrow(/HTTP 404/);
    files[`${ROOT}lab-files/sse-reader/checks.txt`] = 'CHECKS';
    expect((await withRunFiles(empty, ROOT, impl)).files.checks).toBe('CHECKS');
    expect(asked).toHaveLength(2);
  });

  it('withRunFiles fetches the driver the page left out, once for both kinds of checks', async () => {
    const { impl, asked } = fakeFetch({
      [`${ROOT}lab-files/sse-reader/checks.txt`]: 'CHECKS',
      [`${ROOT}lab-files/sse-reader/checks-visible.txt`]: 'VISIBLE',
      [`${ROOT}lab-files/sse-reader/driver.txt`]: 'FETCHED DRIVER',
    });
    const page = bundle('', '');
    const visible = await withRunFiles(page, ROOT, impl, 'visible');
    const all = await withRunFiles(page, ROOT, impl, 'all');
    expect(visible.files).toMatchObject({ checks: 'VISIBLE', driver: 'FETCHED DRIVER' });
    expect(all.files).toMatchObject({ checks: 'CHECKS', driver: 'FETCHED DRIVER' });
    expect(asked.filter((url) => url.endsWith('driver.txt'))).toHaveLength(1);
    // A bundle with its checks but not its driver fetches only the driver.
    const { impl: only, asked: onlyAsked } = fakeFetch({
      [`${ROOT}lab-files/sse-reader/driver.txt`]: 'D',
    });
    expect((await withRunFiles(bundle('INLINE', ''), ROOT, only)).files).toMatchObject({
      checks: 'INLINE',
      driver: 'D',
    });
    expect(onlyAsked).toEqual([`${ROOT}lab-files/sse-reader/driver.txt`]);
  });

  it('a missing driver is an error naming labs/<id>/driver.ts, and is tried again', async () => {
    const files: Record<string, string> = { [`${ROOT}lab-files/sse-reader/checks.txt`]: 'CHECKS' };
    const { impl } = fakeFetch(files);
    const page = bundle('', '');
    await expect(withRunFiles(page, ROOT, impl)).rejects.toThrow(
      /labs\/sse-reader\/driver\.ts .*HTTP 404/,
    );
    files[`${ROOT}lab-files/sse-reader/driver.txt`] = 'DRIVER';
    expect((await withRunFiles(page, ROOT, impl)).files.driver).toBe('DRIVER');
  });
});
