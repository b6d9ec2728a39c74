/**
 * The IPC every bench server child answers: `'rss'` / `'cpu'` with its peak RSS / CPU time used,
 * `'stop'` by closing and exiting; it also exits when the parent goes away.
 */
export function answerBench(close: () => Promise<unknown>): void {
  process.on('message', (msg) => {
    if (msg === 'rss') process.send?.({ maxRssBytes: process.resourceUsage().maxRSS * 1024 });
    if (msg === 'cpu') {
      const { user, system } = process.cpuUsage();
      process.send?.({ cpuMicros: user + system });
    }
    if (msg === 'stop') void close().then(() => process.exit(0));
  });
  process.on('disconnect', () => process.exit(0));
}
