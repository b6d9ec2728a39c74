/**
 * The learner's scope built ahead of its run (`prepareLearnerScope`, what a spare worker does). Lockdown
 * freezes the whole realm, so these run in a worker thread of their own, never in the test runner's.
 */
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';

const script = `
const { lockDownRealm } = await import(${JSON.stringify(new URL('./lockdown.ts', import.meta.url).href)});
const { prepareLearnerScope } = await import(${JSON.stringify(new URL('./compartment.ts', import.meta.url).href)});
lockDownRealm();
const logged = [];
const fetched = [];
const bind = prepareLearnerScope();
const errors = [];
const scope = bind({
  fetch: async (input) => { fetched.push(String(input)); return new Response('ok'); },
  console: { log: (...a) => logged.push(a.join(' ')), info() {}, warn() {}, error() {}, debug() {} },
  env: { OPENAI_BASE_URL: 'http://mock/v1' },
});
try { bind({ fetch, console: {}, env: {} }); } catch (error) { errors.push(String(error.message)); }
scope.evaluate("console.log('hello', typeof self, typeof postMessage, process.env.OPENAI_BASE_URL); process.env.X = '1'");
const text = await scope.evaluate("fetch('http://mock/v1/models').then((r) => r.text())");
const other = prepareLearnerScope()({ fetch, console: { log() {} }, env: { A: 'a' } });
const env = other.evaluate('JSON.stringify(process.env)');
(await import('node:worker_threads')).parentPort.postMessage({ logged, fetched, errors, text, env });
`;

function inThread(): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(script, { eval: true, type: 'module' } as never);
    worker.once('message', (m) => {
      resolve(m as Record<string, unknown>);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

describe('prepareLearnerScope', () => {
  it('is built before its run and then bound, once, to the run’s fetch, console and env', async () => {
    const result = await inThread();
    expect(result.logged).toEqual(['hello undefined undefined http://mock/v1']);
    expect(result.fetched).toEqual(['http://mock/v1/models']);
    expect(result.text).toBe('ok');
    expect(result.errors).toEqual(['a learner scope serves one run']);
    // Each run's process.env is its own copy: another scope never sees what learner code set.
    expect(result.env).toBe('{"A":"a"}');
  });
});
