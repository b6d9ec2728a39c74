import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { countChecks, formatRecording, gradeFile } from './cli.ts';
import { loadLab } from './load.ts';
import { verifyLab } from './verify.ts';
import { describeTimeLimit, runTimeLimitMs } from '../run/limits.ts';
import { labDownload } from '../../progress/handin.ts';

const run = promisify(execFile);
const CLI = fileURLToPath(new URL('../../cli/streamlab.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

describe('grader', () => {
  it('skipping waits changes nothing a check sees: same statuses as in real time, on the timing labs', async () => {
    const cases: [string, string][] = [
      ['measure-ttft', 'buggy/ttft-at-headers.ts'],
      ['resilient-stream', 'buggy/no-idle-timeout.ts'],
    ];
    // A real-time grading is mostly waiting (stalls, slow first tokens, back-offs; 10 to 14 s here): the
    // four gradings (two labs, with the warp and in real time) run side by side, so the waits overlap.
    const graded = await Promise.all(
      cases.map(async ([id, file]) => {
        const lab = await loadLab(id);
        const code = lab.files.buggy[file.slice('buggy/'.length)]!;
        const statuses = async (realTime: boolean) =>
          (await gradeFile(lab, code, file, { realTime })).checks.map(
            (c) => `${c.id}: ${c.status}`,
          );
        const [warped, real] = await Promise.all([statuses(false), statuses(true)]);
        return { name: `${id}/${file}`, warped, real };
      }),
    );
    for (const { name, warped, real } of graded) {
      expect(warped, name).toEqual(real);
      expect(warped.length).toBeGreaterThan(3);
    }
  }, 120_000);

  // `grade --all` (in npm test) verifies every lab and every buggy file; here one lab, with three of its
  // buggy files, proves verifyLab through gradeFile.
  it('verifies labs/resumable-relay: solution passes, starter and buggy files fail with their messages', async () => {
    const lab = await loadLab('resumable-relay');
    const declared = Object.keys(lab.definition.buggy).sort();
    expect(declared.length).toBeGreaterThan(2);
    expect(Object.keys(lab.files.buggy).sort()).toEqual(declared);
    const some = Object.fromEntries(Object.entries(lab.definition.buggy).slice(0, 3));
    const problems = await verifyLab(
      { ...lab, definition: { ...lab.definition, buggy: some } },
      { grade: (code, fileName, run) => gradeFile(lab, code, fileName, run) },
    );
    expect(problems).toEqual([]);
  }, 120_000);

  it('names each buggy file whose failure does not match lab.json', async () => {
    const lab = await loadLab('sse-reader');
    const swapped = {
      ...lab,
      definition: {
        ...lab.definition,
        buggy: {
          'no-done.ts': { bug: 'x', fails: ['whole-text'], message: 'whatever' },
        },
      },
    };
    // Only the buggy file is regraded for real; the solution and starter outcomes are canned.
    const problems = await verifyLab(swapped, {
      grade: async (code, fileName) => {
        if (fileName.includes('buggy/no-done')) return gradeFile(lab, code, fileName);
        return {
          version: 1,
          id: 'r',
          scenario: 'default',
          engine: 'node',
          startedAt: '',
          attempts: [],
          console: [],
          outcome: 'ok',
          checks: fileName.endsWith('solution.ts')
            ? [
                {
                  id: 'whole-text',
                  name: 'x',
                  hidden: false,
                  scenario: 'default',
                  status: 'pass',
                  durationMs: 1,
                },
              ]
            : [
                {
                  id: 'whole-text',
                  name: 'x',
                  hidden: false,
                  scenario: 'default',
                  status: 'fail',
                  durationMs: 1,
                },
              ],
        };
      },
    });
    expect(problems).toEqual([
      expect.stringMatching(
        /^buggy\/no-done\.ts should fail check 'whole-text' \(x\), but passed it$/,
      ),
    ]);
  }, 30_000);

  it('stops an endless loop at the time limit with a clear message', async () => {
    const lab = await loadLab('sse-reader');
    const recording = await gradeFile(
      lab,
      'export async function streamText(response: Response, onText: (t: string) => void) {\n  while (true) {}\n}\n',
      'loop.ts',
      { timeout: 1_000, visibleOnly: true },
    );
    expect(recording.outcome).toBe('timeout');
    expect(recording.error?.message).toMatch(/^Stopped after the 1 s time limit: busy\./);
    expect(formatRecording(recording).passed).toBe(false);
  }, 20_000);

  it('a promise that never settles ends as the page ends it: at the time limit, waiting, naming what was pending', async () => {
    const lab = await loadLab('sse-reader');
    const recording = await gradeFile(
      lab,
      'export async function streamText(response: Response) {\n  await new Promise(() => {});\n  return "";\n}\n',
      'never.ts',
      { visibleOnly: true },
    );
    expect(recording.outcome).toBe('timeout');
    // What the page says once its probe finds the worker idle with the driver's response unread.
    expect(recording.error?.message).toBe(
      describeTimeLimit(runTimeLimitMs(lab.definition, 'default'), undefined, {
        kind: 'waiting',
        streams: 1,
        timers: 0,
      }),
    );
    expect(recording.console.map((c) => c.text).join('\n')).not.toMatch(/Warning|exited early/);
  }, 30_000);

  it('reports a syntax error in the learner file as file:line:col', async () => {
    const lab = await loadLab('sse-reader');
    const recording = await gradeFile(
      lab,
      'export async function streamText(r: Response) {\n  const x = ;\n}\n',
      'learner.ts',
    );
    expect(recording.outcome).toBe('error');
    expect(recording.error).toMatchObject({
      name: 'SyntaxError',
      file: 'learner.ts',
      line: 2,
      column: 13,
    });
    expect(formatRecording(recording).lines[0]).toBe('error: learner.ts:2:13: Unexpected token');
  }, 20_000);

  it('reports a missing export, and a runtime error at its line', async () => {
    const lab = await loadLab('sse-reader');
    const missing = await gradeFile(lab, 'export const nothing = 1;\n', 'learner.ts', {
      visibleOnly: true,
    });
    expect(missing.error?.message).toMatch(/must export 'streamText'/);
    const thrown = await gradeFile(
      lab,
      'export async function streamText(r: Response): Promise<string> {\n  const body: any = null;\n  return body.text;\n}\n',
      'learner.ts',
      { visibleOnly: true },
    );
    expect(thrown.outcome).toBe('error');
    expect(thrown.error).toMatchObject({ name: 'TypeError', file: 'learner.ts', line: 3 });
    expect(thrown.checks.every((c) => c.status === 'error')).toBe(true);
    expect(thrown.checks[0]!.message).toMatch(
      /your code threw TypeError: .* \(learner\.ts:3:\d+\)/,
    );
  }, 20_000);

  it('lets learner code use the OpenAI and Anthropic SDKs with the mock from process.env', async () => {
    const lab = await loadLab('sse-reader');
    const code = [
      "import OpenAI from 'openai';",
      "import Anthropic from '@anthropic-ai/sdk';",
      'export async function streamText(_r: Response, onText: (t: string) => void): Promise<string> {',
      "  const stream = await new OpenAI().chat.completions.create({ model: 'gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'hi' }] });",
      "  let text = '';",
      '  for await (const chunk of stream) { const p = chunk.choices[0]?.delta?.content; if (p) { text += p; onText(p); } }',
      "  const said = await new Anthropic().messages.stream({ model: 'claude-haiku-4-5', max_tokens: 50, messages: [{ role: 'user', content: 'hi' }] }).finalText();",
      "  console.log('anthropic:', said.length > 0);",
      '  return text;',
      '}',
    ].join('\n');
    const recording = await gradeFile(lab, code, 'sdk.ts', { visibleOnly: true, scenario: 'fast' });
    expect(recording.error).toBeUndefined();
    expect(recording.outcome).toBe('ok');
    expect(recording.attempts.map((a) => a.provider)).toEqual(
      expect.arrayContaining(['openai-chat', 'anthropic']),
    );
    expect(recording.console.map((c) => c.text)).toContain('anthropic: true');
  }, 20_000);

  it('counts visible and hidden checks by loading checks.ts', async () => {
    const lab = await loadLab('sse-reader');
    expect(await countChecks(lab)).toEqual({ visible: 3, hidden: 13 });
  });
});

describe('streamlab grade (CLI)', () => {
  it('--list --json prints the labs with id, title, lesson, url, files and check counts', async () => {
    // Another lab being broken makes the command fail (exit 1) but still list the valid ones.
    const { stdout } = await run(process.execPath, [CLI, 'grade', '--list', '--json'], {
      cwd: ROOT,
    }).catch((error: { stdout: string }) => error);
    const labs = JSON.parse(stdout) as unknown[];
    expect(labs).toContainEqual({
      id: 'sse-reader',
      title: expect.any(String),
      lesson: 'server-sent-events',
      url: '/lessons/server-sent-events/',
      starter: 'labs/sse-reader/starter.ts',
      solution: 'labs/sse-reader/solution.ts',
      checks: { visible: 3, hidden: 13 },
    });
  });

  it('exits 0 on a passing file (a lab\'s "Download my work" file), 1 on a failing one, 2 on bad usage', async () => {
    // The passing file is the solution as the lab's download saves it: header comment, then the code.
    const lab = await loadLab('sse-reader');
    const download = labDownload(
      { id: lab.id, title: lab.definition.title },
      lab.files.solution,
      0,
    );
    const downloaded = join(await mkdtemp(join(tmpdir(), 'download-')), download.name);
    await writeFile(downloaded, download.text);
    // Three separate processes: run at once.
    const [pass, fail, usage] = await Promise.all([
      run(process.execPath, [CLI, 'grade', 'sse-reader', downloaded], { cwd: ROOT }),
      run(process.execPath, [CLI, 'grade', 'sse-reader', 'labs/sse-reader/buggy/no-done.ts'], {
        cwd: ROOT,
      }).catch((error: { code: number; stdout: string }) => error),
      run(process.execPath, [CLI, 'grade', 'nope-lab', 'x.ts'], { cwd: ROOT }).catch(
        (error: { code: number; stderr: string }) => error,
      ),
    ]);
    expect(pass.stdout).toMatch(/PASS {2}split-event \(hidden\)/);
    expect(pass.stdout).toMatch(/All 16 checks passed\./);
    expect(fail).toMatchObject({ code: 1 });
    expect((fail as { stdout: string }).stdout).toMatch(
      /FAIL {2}stops-at-done \(hidden\): Stops at data: \[DONE\] — With a connection left open after \[DONE\]/,
    );
    expect(usage).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/no lab 'nope-lab' in labs\//),
    });
  }, 60_000);
});
