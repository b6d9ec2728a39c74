/**
 * A `fetch` for sandboxes: requests to the mock's origin go to the handler in-process, anything else is
 * refused the way a browser refuses a blocked request (a rejected promise with a `TypeError`), so learner
 * code in a lab cannot reach the network.
 */
import type { MockHandler } from './handle.ts';

export interface MockFetchOptions {
  /** The mock's base URL, e.g. `http://mock.streamlab.local`; only its origin is used for routing. */
  baseUrl: string;
}

/**
 * Each answer's `Request`, kept as long as its body: Node links a Request's signal to the one the caller
 * gave only while that Request lives (nodejs/node#55428), so without this a garbage collection mid-stream
 * would leave the caller's abort unheard by the handler.
 */
const requestOf = new WeakMap<object, Request>();

/** A `fetch`-compatible function that serves `baseUrl`'s origin from `handler`. */
export function createMockFetch(handler: MockHandler, options: MockFetchOptions): typeof fetch {
  const origin = new URL(options.baseUrl).origin;
  const mockFetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    if (new URL(request.url).origin !== origin) {
      throw new TypeError(`network access is disabled in labs: ${request.url}`);
    }
    if (request.signal.aborted) throw request.signal.reason;
    const response = await handler(request);
    requestOf.set(response.body ?? response, request);
    return response;
  };
  return mockFetch as typeof fetch;
}
