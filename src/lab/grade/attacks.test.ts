/**
 * The attack suite, through the grader: learner files that try to forge the verdict (patch what the
 * checks use, reach the thread's port or `process`, print a verdict, exit, throw hostile values). Each
 * keeps the starter's `streamText` of labs/sse-reader, so the honest verdict is the starter's: every
 * attack must leave exactly that verdict, and each attack must have been refused inside the sandbox.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { LabBundle } from '../catalog.ts';
import type { RunRecording } from '../run/recording.ts';
import { gradeFile } from './cli.ts';
import { loadLab } from './load.ts';

let lab: LabBundle;
let honest: string[];

const statuses = (recording: RunRecording): string[] =>
  recording.checks.map((c) => `${c.id}: ${c.status}`);
const consoleText = (recording: RunRecording): string =>
  recording.console.map((e) => e.text).join('\n');

/** The starter with `prelude` run when the module loads; each attack logs `ATTACK-WORKED` if it was not refused. */
const attacked = (prelude: string): string => `${prelude}\n${lab.files.starter}`;

/** Runs each named attack, logging whether it was refused (threw) or not. */
const attempts = (list: Record<string, string>): string =>
  [
    'const attacks: Array<[string, () => unknown]> = [',
    ...Object.entries(list).map(
      ([name, body]) => `  [${JSON.stringify(name)}, () => { ${body} }],`,
    ),
    '];',
    'for (const [name, attack] of attacks) {',
    '  try { attack(); console.log(`ATTACK-WORKED ${name}`); } catch { console.log(`refused ${name}`); }',
    '}',
  ].join('\n');

/** A generous time limit: these runs are about trust, not time, and CI machines can be slow. */
async function grade(code: string): Promise<RunRecording> {
  return gradeFile(lab, code, 'attack.ts', { timeout: 30_000 });
}

describe('attacks on the grader leave the verdict to the honest checks', () => {
  beforeAll(async () => {
    lab = await loadLab('sse-reader');
    const baseline = await grade(lab.files.starter);
    honest = statuses(baseline);
    expect(honest.length).toBeGreaterThan(5);
    // The starter passes no check (it reads nothing; even "stops at [DONE]" wants the body cancelled), so
    // any pass an attack reports would be forged.
    expect(honest.filter((s) => s.endsWith(': pass'))).toEqual([]);
  }, 60_000);

  it('patching Promise, Array, JSON, Function, Object, Symbol.asyncIterator and Web prototypes', async () => {
    const list = {
      'Promise.race': `(Promise as any).race = () => Promise.resolve();`,
      'Promise.prototype.then': `(Promise.prototype as any).then = function () { return this; };`,
      'Promise (defineProperty)': `Object.defineProperty(Promise, 'race', { value: () => Promise.resolve() });`,
      'Array.prototype.every': `Array.prototype.every = () => true;`,
      'Array.prototype.filter': `(Array.prototype as any).filter = () => [];`,
      'JSON.parse': `JSON.parse = () => ({});`,
      'JSON.stringify': `JSON.stringify = () => '""';`,
      'Function.prototype.call': `(Function.prototype as any).call = () => undefined;`,
      'Function constructor': `(function () {}).constructor('return globalThis')();`,
      'Object.prototype': `(Object.prototype as any).status = 'pass';`,
      'Symbol.asyncIterator': `Object.defineProperty(Symbol, 'asyncIterator', { value: Symbol('x') });`,
      'Response.prototype.text': `Response.prototype.text = async () => 'forged';`,
      'Response.prototype.body': `Object.defineProperty(Response.prototype, 'body', { get: () => null });`,
      'ReadableStream.prototype.getReader': `(ReadableStream.prototype as any).getReader = () => ({});`,
      'ReadableStream asyncIterator': `(ReadableStream.prototype as any)[Symbol.asyncIterator] = () => ({});`,
      'TextDecoder.prototype.decode': `TextDecoder.prototype.decode = () => '';`,
      'Error.prototype.message': `(Error.prototype as any).message = 'forged';`,
    };
    const recording = await grade(attacked(attempts(list)));
    const log = consoleText(recording);
    expect(log).not.toContain('ATTACK-WORKED');
    for (const name of Object.keys(list)) expect(log).toContain(`refused ${name}`);
    expect(recording.outcome).toBe('ok');
    expect(statuses(recording)).toEqual(honest);
  }, 60_000);

  it('reaching process, parentPort, postMessage or the host global; printing a verdict; exiting', async () => {
    const forged = JSON.stringify({
      type: 'check',
      result: { id: 'whole-text', name: 'x', hidden: false, scenario: 'default', status: 'pass' },
    });
    const prelude = [
      `const g = globalThis as any;`,
      `console.log('probe', typeof g.process?.exit, typeof g.process?.getBuiltinModule, typeof g.postMessage, typeof g.self, typeof g.require, typeof g.Buffer, typeof g.setImmediate);`,
      attempts({
        getBuiltinModule: `g.process.getBuiltinModule('node:worker_threads').parentPort.postMessage(${forged});`,
        'process.binding': `g.process.binding('fs');`,
        postMessage: `g.postMessage(${forged});`,
        'eval to the host': `(0, eval)('process').exit(0);`,
        'Function to the host': `new Function('return process')().exit(0);`,
        'process.exit': `g.process.exit(0);`,
        'console.constructor': `(console.log as any).constructor('return process')().exit(0);`,
      }),
      `console.log('PASS  whole-text: Returns the whole answer');`,
      `console.log('All 9 checks passed.');`,
    ].join('\n');
    const recording = await grade(attacked(prelude));
    const log = consoleText(recording);
    expect(log).toContain(
      'probe undefined undefined undefined undefined undefined undefined undefined',
    );
    expect(log).not.toContain('ATTACK-WORKED');
    expect(log.match(/refused /g)?.length).toBe(7);
    expect(recording.outcome).toBe('ok');
    expect(statuses(recording)).toEqual(honest);
  }, 60_000);

  it('a dynamic import of node:worker_threads is refused with a clear error', async () => {
    const prelude = `import('node:worker_threads').then((m) => console.log('ATTACK-WORKED', typeof m), (e) => console.log('refused import:', String(e)));`;
    const recording = await grade(attacked(prelude));
    const log = consoleText(recording);
    expect(log).not.toContain('ATTACK-WORKED');
    expect(log).toContain("refused import: Error: attack.ts: cannot import 'node:worker_threads'");
    expect(statuses(recording)).toEqual(honest);
  }, 60_000);

  it('throwing and logging Proxies, throwing getters and hostile toString', async () => {
    const code = `
const trap = () => { throw new Error('trap'); };
const hostile = [
  new Proxy({}, { get: trap, has: trap, getPrototypeOf: trap, ownKeys: trap, getOwnPropertyDescriptor: trap }),
  Object.defineProperties({}, { message: { get: trap }, name: { get: trap }, stack: { get: trap } }),
  { toString: trap, valueOf: trap, [Symbol.toPrimitive]: trap, toJSON: trap },
  Object.create(null),
];
let calls = 0;
for (const value of hostile) console.log('hostile', value);
export async function streamText(response: Response, onText: (t: string) => void): Promise<string> {
  const value = hostile[calls++ % hostile.length];
  setTimeout(() => { throw value; }, 0);
  Promise.reject(value);
  throw value;
}`;
    const recording = await grade(code);
    // The driver's call threw the Proxy: a run error that says so, and every check still ran.
    expect(recording.outcome).toBe('error');
    expect(recording.error?.message).toBe('Uncaught a value that cannot be shown');
    expect(recording.checks.map((c) => c.id)).toEqual(honest.map((s) => s.split(':')[0]));
    // A function that always rejects passes only the check that accepts a rejection (a stream cut
    // without [DONE] may be rejected); nothing else.
    expect(recording.checks.filter((c) => c.status === 'pass').map((c) => c.id)).toEqual([
      'ends-without-done',
    ]);
    expect(recording.checks.filter((c) => c.status === 'error').length).toBeGreaterThan(4);
    expect(consoleText(recording)).toContain('hostile');
  }, 60_000);
});
