/**
 * What the Node host answers to a request its HTTP parser refused before the handler could see it (Node's
 * server `clientError` event), written raw to the socket since there is no response object yet: 408 for a
 * request not received in time, 431 with an API-shaped JSON error for headers over Node's size limit,
 * and 400 with one naming what the parser could not read (a bad chunk size in the body, say). Each comes
 * with one line for the log.
 */
import { maxHeaderSize } from 'node:http';
import { errorBody, type Flavor } from '../core/index.ts';

export interface ClientErrorAnswer {
  /** The whole raw HTTP/1.1 response, `connection: close`. */
  response: string;
  /** Why, for the log. */
  reason: string;
}

type ParserError = NodeJS.ErrnoException & { rawPacket?: Buffer };

/** The API the refused request was for, guessed from the start of what arrived (`/v1/messages`, `anthropic-version`). */
function flavorOf(raw: Buffer | undefined): Flavor {
  const head = raw?.subarray(0, 4096).toString('latin1') ?? '';
  const path = /^\S+ (\S+)/.exec(head)?.[1] ?? '';
  return path.includes('/v1/messages') || /\r\nanthropic-version:/i.test(head)
    ? 'anthropic'
    : 'openai';
}

function raw(status: string, body = '', type = ''): string {
  const headers = [`HTTP/1.1 ${status}`, 'connection: close'];
  if (type) headers.push(`content-type: ${type}`, 'access-control-allow-origin: *');
  headers.push(`content-length: ${Buffer.byteLength(body)}`);
  return `${headers.join('\r\n')}\r\n\r\n${body}`;
}

/** The answer to `error`, a `clientError` from Node's HTTP parser or its request timeouts. */
export function clientErrorAnswer(error: ParserError, limit = maxHeaderSize): ClientErrorAnswer {
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT')
    return {
      response: raw('408 Request Timeout'),
      reason: 'request not received in time (header or body timeout)',
    };
  if (error.code === 'HPE_HEADER_OVERFLOW') {
    const kb = Math.round(limit / 1024);
    const message = `The request's headers are larger than the ${kb} KB this server accepts; send less in them (a long cookie, run id or knob list?).`;
    return {
      response: raw(
        '431 Request Header Fields Too Large',
        JSON.stringify(errorBody(flavorOf(error.rawPacket), { status: 431, message })),
        'application/json',
      ),
      reason: `request headers over ${kb} KB: answered 431 (HPE_HEADER_OVERFLOW)`,
    };
  }
  const what = (error.message ?? '').replace(/^Parse Error: /, '') || 'it is not HTTP/1.1';
  const code = error.code ?? 'parse error';
  return {
    response: raw(
      '400 Bad Request',
      JSON.stringify(
        errorBody(flavorOf(error.rawPacket), {
          status: 400,
          message: `The request could not be read as HTTP/1.1: ${what} (${code}).`,
        }),
      ),
      'application/json',
    ),
    reason: `bad request: ${code}`,
  };
}
