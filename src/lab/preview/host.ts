/**
 * Everything the preview panel loads lazily, in one chunk: the transpiler, the mock and the backend. The
 * learner's file is compiled in the page (sucrase, as the lab worker does) and runs in the frame.
 */
import { realClock } from '../../mock/core/clock.ts';
import { createMockHandler } from '../../mock/core/index.ts';
import { transpile } from '../run/transpile.ts';
import { createChatBackend } from './backend.ts';
import { bridgePreview, type PreviewStateMessage } from './bridge.ts';
import { previewDocument } from './page.ts';

export interface PreviewSource {
  code: string;
  fileName: string;
  theme: 'light' | 'dark';
  prompt: string;
}

/** The frame's `srcdoc`, or a syntax error positioned in the learner's file (thrown). */
export function buildPreview(source: PreviewSource): string {
  const { code } = transpile(source.code, source.fileName);
  return previewDocument({ ...source, compiled: code });
}

/** Connects `frame` to a fresh mock under `scenario`; returns the disconnect function. */
export function connectPreview(
  frame: HTMLIFrameElement,
  scenario: string,
  onState: (state: PreviewStateMessage) => void,
): () => void {
  const backend = createChatBackend(createMockHandler({ clock: realClock }), scenario);
  return bridgePreview(frame, backend, onState);
}
