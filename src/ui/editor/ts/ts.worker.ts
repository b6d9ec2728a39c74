/**
 * The language-service worker: loads TypeScript and the shipped declarations (all in this worker's own
 * bundle, so none of it weighs on the page), then answers `TsRequestMessage`s one at a time. Running in
 * a worker keeps type checking off the main thread, so typing never stutters.
 */
import typeFiles from 'virtual:streamlab/editor-types';
import { createLabLanguageService } from './service.ts';
import type { TsMethod, TsRequestMessage, TsResponseMessage } from './protocol.ts';

const service = createLabLanguageService(typeFiles);

self.addEventListener('message', (event: MessageEvent<TsRequestMessage>) => {
  const { id, method, args } = event.data;
  let response: TsResponseMessage;
  try {
    const handler = service[method as TsMethod] as (a: unknown) => unknown;
    response = { id, ok: true, result: handler(args) };
  } catch (error) {
    response = { id, ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  self.postMessage(response);
});
