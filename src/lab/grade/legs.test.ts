import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { toSandboxRequest } from '../engines/session.ts';
import type { RunMessage } from '../run/messages.ts';
import type { ThreadData } from './thread.ts';
import { loadLab } from './load.ts';

/** Runs one sandbox leg in the grader's worker thread, as the Node engine does; resolves with its messages. */
function runLeg(data: ThreadData): Promise<RunMessage[]> {
  const worker = new Worker(new URL('./thread.ts', import.meta.url), { workerData: data });
  const messages: RunMessage[] = [];
  return new Promise((resolve, reject) => {
    worker.on('message', (message: RunMessage) => {
      messages.push(message);
      if (message.type === 'done') void worker.terminate().then(() => resolve(messages));
    });
    worker.on('error', reject);
  });
}

// The host's side (stopping a hung check, starting the next leg) is tested with a stand-in sandbox in
// `engines/legs.test.ts`; this is the sandbox's side, for real: what a later leg runs and reports.
describe("a later leg of a run, in the grader's sandbox", () => {
  it('skips the driver, reports the stopped check failed with the host message, and runs the rest', async () => {
    const lab = await loadLab('sse-reader');
    const request = toSandboxRequest(
      { lab, code: lab.files.solution, mode: 'check' },
      'run-legs-test',
      'node',
      new Date(0).toISOString(),
    );
    const message = "Stopped after the 22.3 s time limit in check 'one-byte-reads': busy. (...)";
    const messages = await runLeg({
      request: {
        ...request,
        only: ['one-byte-reads', 'crlf'],
        resume: { check: 'one-byte-reads', message },
      },
      warp: true,
    });
    const checks = messages.flatMap((m) => (m.type === 'check' ? [m.result] : []));
    expect(checks.map((c) => `${c.id}: ${c.status}`)).toEqual([
      'one-byte-reads: fail',
      'crlf: pass',
    ]);
    expect(checks[0]).toMatchObject({ message, hidden: true, scenario: 'one-byte-reads' });
    // Neither the driver nor the stopped check ran again: the only requests are the next check's.
    const attempts = messages.flatMap((m) => (m.type === 'attempt-start' ? [m] : []));
    expect(attempts.length).toBeGreaterThan(0);
    expect(attempts.every((a) => a.check === 'crlf')).toBe(true);
    const announced = messages.flatMap((m) => (m.type === 'phase' && m.check ? [m.check] : []));
    expect(announced).toEqual(['crlf']);
    expect(messages.some((m) => m.type === 'driver-end')).toBe(false);
    expect(messages.at(-1)).toMatchObject({ type: 'done', outcome: 'ok' });
  }, 20_000);

  it("a first leg reports how the driver ended before the checks run, as 'done' will", async () => {
    const lab = await loadLab('sse-reader');
    const code =
      'export async function streamText(): Promise<string> {\n  throw new TypeError("boom");\n}\n';
    const request = toSandboxRequest(
      { lab, code, mode: 'check', only: ['crlf'] },
      'run-driver-end-test',
      'node',
      new Date(0).toISOString(),
    );
    const messages = await runLeg({ request, warp: true });
    const at = messages.findIndex((m) => m.type === 'driver-end');
    const driverEnd = messages[at];
    expect(driverEnd).toMatchObject({
      type: 'driver-end',
      outcome: 'error',
      error: { name: 'TypeError', message: 'boom', line: 2 },
    });
    // Before the first check starts, so a host that loses this sandbox to a hung check still has it.
    expect(messages.findIndex((m) => m.type === 'phase' && m.check)).toBeGreaterThan(at);
    const done = messages.at(-1);
    expect(done).toMatchObject({ type: 'done', outcome: 'error' });
    expect(done?.type === 'done' && done.error).toEqual(
      driverEnd?.type === 'driver-end' && driverEnd.error,
    );
  }, 20_000);
});
