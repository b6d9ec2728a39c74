/**
 * The page side of the language service: spawns the worker on first use and turns requests into
 * promises. Imported only through a dynamic `import()` (see `loadTypeAware` in `../labEditor.ts`), so
 * neither this file nor the worker's URL is part of the lab's initial JavaScript.
 */
import type { TsRequestMessage, TsRequests, TsResponseMessage } from './protocol.ts';

export interface TsClient {
  request<M extends keyof TsRequests>(
    method: M,
    args: TsRequests[M]['args'],
  ): Promise<TsRequests[M]['result']>;
  dispose(): void;
}

/** Spawns the language-service worker. Requests are answered in order. */
export function createTsClient(): TsClient {
  const worker = new Worker(new URL('./ts.worker.ts', import.meta.url), {
    type: 'module',
    name: 'streamlab-typescript',
  });
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  worker.addEventListener('message', (event: MessageEvent<TsResponseMessage>) => {
    const message = event.data;
    const waiter = pending.get(message.id);
    if (!waiter) return;
    pending.delete(message.id);
    if (message.ok) waiter.resolve(message.result);
    else waiter.reject(new Error(`TypeScript worker: ${message.error}`));
  });
  worker.addEventListener('error', (event) => {
    const error = new Error(`TypeScript worker failed: ${event.message || 'could not load'}`);
    for (const waiter of pending.values()) waiter.reject(error);
    pending.clear();
  });
  return {
    request(method, args) {
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        const message: TsRequestMessage = { id, method, args };
        worker.postMessage(message);
      });
    },
    dispose() {
      worker.terminate();
      for (const waiter of pending.values()) waiter.reject(new Error('TypeScript worker stopped'));
      pending.clear();
    },
  };
}
