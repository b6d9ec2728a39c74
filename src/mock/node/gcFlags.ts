/**
 * The V8 setting the mock server runs with: a young generation capped at 1 MB per semi-space
 * (`--max-semi-space-size=1`; V8 grows it to 16 MB under load by default).
 *
 * Why: a streaming server's objects live as long as their stream (seconds), so every young collection
 * copies the streams that began since the one before. With the default 16 MB those collections came
 * every few hundred milliseconds at a thousand streams and each paused the server 20–45 ms, on a quiet
 * machine: every event due in the pause was late by it, and that set the p99 lateness. At 1 MB they come
 * more often and pause under 10 ms, at about the same CPU (README, "The mock at 1,000 streams").
 *
 * The setting only takes effect when the process starts, so `streamlab mock` restarts itself in place
 * with it (`process.execve`: same process id, same terminal and signals) unless the flag is already
 * given, on the command line or in NODE_OPTIONS (a value of your own wins). Where `process.execve` is
 * missing (Windows), the mock runs with V8's default.
 */

export const MOCK_NODE_FLAGS: readonly string[] = ['--max-semi-space-size=1'];

/** Whether `execArgv` or `nodeOptions` already sets the young generation's size. */
export function setsSemiSpace(execArgv: readonly string[], nodeOptions = ''): boolean {
  const given = [...execArgv, ...nodeOptions.split(/\s+/)];
  return given.some((arg) => /^--max[-_]semi[-_]space[-_]size\b/.test(arg));
}

/**
 * Restarts this process in place with `MOCK_NODE_FLAGS` when it was not started with them (call it
 * before anything is printed or served). Returns only when no restart happens: the flag is set already,
 * or this Node cannot restart in place.
 */
export function relaunchWithMockFlags(proc: NodeJS.Process = process): void {
  if (setsSemiSpace(proc.execArgv, proc.env.NODE_OPTIONS)) return;
  const execve = (proc as { execve?: (file: string, args: string[], env: object) => never }).execve;
  if (typeof execve !== 'function' || proc.platform === 'win32') return;
  const args = [proc.execPath, ...MOCK_NODE_FLAGS, ...proc.execArgv, ...proc.argv.slice(1)];
  execve.call(proc, proc.execPath, args, proc.env);
}
