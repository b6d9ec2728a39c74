import { describe, expect, it } from 'vitest';
import { loadWorkerSource } from './source.ts';

function counter(answers: Response[]) {
  let calls = 0;
  const fetchText = (() => Promise.resolve(answers[calls++]!)) as unknown as typeof fetch;
  return { fetchText, calls: () => calls };
}

describe('loadWorkerSource', () => {
  it('fetches the bundle once for every engine on the page', async () => {
    const net = counter([new Response('boot()'), new Response('boot()')]);
    const [a, b] = await Promise.all([
      loadWorkerSource('/a.js', net.fetchText),
      loadWorkerSource('/a.js', net.fetchText),
    ]);
    expect(await loadWorkerSource('/a.js', net.fetchText)).toBe(a);
    expect(a).toBe(b);
    expect(a).toBe('"use strict";\nboot()');
    expect(net.calls()).toBe(1);
  });

  it('names the script on an HTTP error and tries again next time', async () => {
    const net = counter([new Response('', { status: 404 }), new Response('ok()')]);
    await expect(loadWorkerSource('/b.js', net.fetchText)).rejects.toThrow(
      'the lab worker script /b.js answered HTTP 404',
    );
    expect(await loadWorkerSource('/b.js', net.fetchText)).toBe('"use strict";\nok()');
    expect(net.calls()).toBe(2);
  });
});
