/**
 * Server-Sent Events for streamlab: an incremental WHATWG-conformant parser (callback core and a
 * byte-accepting `TransformStream`), an encoder the mock server writes with, and typed errors.
 */
export { createSseParser } from './parse.ts';
export { SseParserStream, type SseParserStreamOptions } from './stream.ts';
export {
  encodeSseEvent,
  encodeSseComment,
  type SseEncodeOptions,
  type SseEventInit,
} from './encode.ts';
export {
  SseParseError,
  SseParserStateError,
  SseEncodeError,
  type SseParseErrorType,
  type SseEncodeErrorType,
} from './errors.ts';
export type { SseEvent, SseParser, SseParserCallbacks, SseParserOptions } from './types.ts';
