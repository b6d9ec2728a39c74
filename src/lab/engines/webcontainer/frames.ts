/**
 * Reads the runner's framed lines (`\x1e<token><json>\n`, see `src/node/container/runner.ts`) out of a
 * process's terminal output, which arrives in arbitrary string chunks and may turn `\n` into `\r\n`.
 * Lines that are not frames with the run's token (anything else the process printed) go to `onOther`.
 */
import type { RunMessage } from '../../run/messages.ts';

const MESSAGE_TYPES = new Set([
  'run-start',
  'phase',
  'attempt-start',
  'headers',
  'read',
  'event',
  'attempt-end',
  'console',
  'check',
  'done',
]);

export interface FrameReader {
  push(chunk: string): void;
  /** Whatever is left after the output ended (an unterminated line). */
  end(): void;
}

export function createFrameReader(
  token: string,
  onMessage: (message: RunMessage) => void,
  onOther: (line: string) => void = () => {},
): FrameReader {
  const prefix = `\x1e${token}`;
  let buffer = '';
  const line = (raw: string): void => {
    const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (!text.startsWith(prefix)) {
      if (text !== '') onOther(text);
      return;
    }
    let message: unknown;
    try {
      message = JSON.parse(text.slice(prefix.length));
    } catch {
      onOther(text);
      return;
    }
    const type = (message as { type?: unknown } | null)?.type;
    if (typeof type === 'string' && MESSAGE_TYPES.has(type)) onMessage(message as RunMessage);
    else onOther(text);
  };
  return {
    push(chunk) {
      buffer += chunk;
      let newline = buffer.indexOf('\n');
      while (newline !== -1) {
        line(buffer.slice(0, newline));
        buffer = buffer.slice(newline + 1);
        newline = buffer.indexOf('\n');
      }
    },
    end() {
      if (buffer) line(buffer);
      buffer = '';
    },
  };
}
