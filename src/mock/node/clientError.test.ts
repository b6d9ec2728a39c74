/**
 * Requests Node's HTTP parser refuses before the handler sees them: headers over the size limit get a
 * 431 with the API's JSON error (Anthropic-shaped for /v1/messages) and one log line, not a bare close.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMockHandler } from '../core/index.ts';
import { clientErrorAnswer } from './clientError.ts';
import { serveMock, type MockServer, type Rejection } from './serve.ts';

/** Sends `head` raw and resolves with everything the server wrote before closing. */
function rawRequest(port: number, head: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    socket.on('data', (data) => (answer += data.toString('latin1')));
    socket.on('close', () => resolve(answer));
    socket.on('error', (error) => (answer ? resolve(answer) : reject(error)));
    socket.write(head);
  });
}

const big = (path: string, extra = '') =>
  `POST ${path} HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n${extra}x-big: ${'a'.repeat(60 * 1024)}\r\n\r\n{}`;

describe('requests the HTTP parser refuses', () => {
  let server: MockServer;
  const rejections: Rejection[] = [];
  beforeAll(async () => {
    server = await serveMock(createMockHandler(), { port: 0, onReject: (r) => rejections.push(r) });
  });
  afterAll(() => server.close());

  it('answers a 60 KB header with 431 and an OpenAI-shaped error, logged once', async () => {
    const answer = await rawRequest(server.port, big('/v1/chat/completions'));
    expect(answer).toMatch(/^HTTP\/1\.1 431 Request Header Fields Too Large\r\n/);
    const body = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as {
      error: { message: string; type: string };
    };
    expect(body.error.type).toBe('invalid_request_error');
    expect(body.error.message).toMatch(/headers are larger than the 16 KB/);
    expect(rejections).toEqual([
      {
        client: '127.0.0.1',
        reason: 'request headers over 16 KB: answered 431 (HPE_HEADER_OVERFLOW)',
      },
    ]);
  });

  it('shapes it as Anthropic for /v1/messages or an anthropic-version header', async () => {
    for (const head of [big('/v1/messages'), big('/x', 'anthropic-version: 2023-06-01\r\n')]) {
      const answer = await rawRequest(server.port, head);
      expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4))).toMatchObject({
        type: 'error',
        error: { type: 'invalid_request_error' },
      });
    }
  });

  it('answers a body whose chunked framing breaks after its headers were read: a 400 naming it, not a bare close', async () => {
    const answer = await rawRequest(
      server.port,
      'POST /v1/chat/completions HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\n' +
        'transfer-encoding: chunked\r\n\r\nzz\r\n{}\r\n0\r\n\r\n',
    );
    expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    const body = JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)) as {
      error: { message: string };
    };
    expect(body.error.message).toBe(
      'The request could not be read as HTTP/1.1: Invalid character in chunk size (HPE_INVALID_CHUNK_SIZE).',
    );
    expect(rejections.at(-1)).toEqual({
      client: '127.0.0.1',
      reason: 'bad request: HPE_INVALID_CHUNK_SIZE',
    });
  });

  it('keeps 408 for a timeout, with an empty body, and 400 with a JSON error for other parse errors', () => {
    const timeout = clientErrorAnswer(
      Object.assign(new Error('t'), { code: 'ERR_HTTP_REQUEST_TIMEOUT' }),
    );
    expect(timeout.response).toMatch(
      /^HTTP\/1\.1 408 Request Timeout\r\n.*content-length: 0\r\n\r\n$/s,
    );
    const bad = clientErrorAnswer(
      Object.assign(new Error('Parse Error: Invalid method encountered'), {
        code: 'HPE_INVALID_METHOD',
      }),
    );
    expect(bad).toMatchObject({ reason: 'bad request: HPE_INVALID_METHOD' });
    expect(bad.response).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(bad.response).toContain(
      '"The request could not be read as HTTP/1.1: Invalid method encountered (HPE_INVALID_METHOD)."',
    );
  });
});
