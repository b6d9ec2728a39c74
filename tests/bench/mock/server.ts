/**
 * Child process for the mock bench: serves the mock on a free loopback port, prints `{"port":N}` on
 * stdout and answers the bench's IPC (tests/bench/mock/control.ts), so the load generator never shares
 * a process with the server.
 */
import { createMockHandler } from '../../../src/mock/core/index.ts';
import { serveMock } from '../../../src/mock/node/serve.ts';
import { answerBench } from './control.ts';

const server = await serveMock(createMockHandler(), { port: 0, host: '127.0.0.1' });
server.server.maxConnections = 10_000;
process.stdout.write(JSON.stringify({ port: server.port }) + '\n');
answerBench(() => server.close());
