/**
 * Child process for the mock bench: serves the mock on a free loopback port, prints `{"port":N}` on
 * stdout, answers IPC `'rss'` / `'cpu'` with its peak RSS / CPU time used, and exits on `'stop'` (or when the parent
 * goes away), so the load generator never shares a process with the server.
 */
import { createMockHandler } from '../../../src/mock/core/index.ts';
import { serveMock } from '../../../src/mock/node/serve.ts';

const server = await serveMock(createMockHandler(), { port: 0, host: '127.0.0.1' });
server.server.maxConnections = 10_000;
process.stdout.write(JSON.stringify({ port: server.port }) + '\n');
process.on('message', (msg) => {
  if (msg === 'rss') process.send?.({ maxRssBytes: process.resourceUsage().maxRSS * 1024 });
  if (msg === 'cpu') {
    const { user, system } = process.cpuUsage();
    process.send?.({ cpuMicros: user + system });
  }
  if (msg === 'stop') void server.close().then(() => process.exit(0));
});
process.on('disconnect', () => process.exit(0));
