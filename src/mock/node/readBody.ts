/**
 * Reads a response body chunk by chunk for the Node host: straight from the transport's pull source
 * when the body has one (`takeBodySource`: no `ReadableStream` pull, enqueue and read per event, which
 * at a thousand streams is a quarter of the server's time), or through the stream's reader otherwise.
 */
import { takeBodySource, type BodyPlan } from '../core/index.ts';

export interface BodyReader {
  /** The next chunk, or `undefined` at the end (and once cancelled). */
  read(): Promise<Uint8Array | undefined>;
  cancel(reason: unknown): void;
  /** Whether the transport's source is read directly (the fast path). */
  readonly direct: boolean;
  /** A plain body's whole schedule, for a host that pushes frames when due (`pushBody.ts`). */
  readonly plan?: BodyPlan | undefined;
}

export function readBody(body: ReadableStream<Uint8Array>): BodyReader {
  const source = takeBodySource(body);
  if (source) {
    return {
      direct: true,
      plan: source.plan,
      read: () => source.read(),
      cancel: (reason) => source.cancel(reason),
    };
  }
  const reader = body.getReader();
  return {
    direct: false,
    read: () => reader.read().then((r) => (r.done ? undefined : r.value)),
    cancel(reason) {
      reader.cancel(reason).catch(() => {});
    },
  };
}
