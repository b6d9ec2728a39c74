/** Helpers for building recordings by hand in tests (and in the inspector). */
import type { Attempt, RunRecording } from '../lab/run/recording.ts';
import { toBase64 } from './bytes.ts';

const encoder = new TextEncoder();

/** A read entry from text or bytes. */
export function readOf(t: number, content: string | Uint8Array): Attempt['reads'][number] {
  const bytes = typeof content === 'string' ? encoder.encode(content) : content;
  return { t, bytes: toBase64(bytes), size: bytes.length };
}

/** An empty finished-or-live recording with the given attempts. */
export function recordingOf(attempts: Attempt[], extra: Partial<RunRecording> = {}): RunRecording {
  return {
    version: 1,
    id: 'test-run',
    scenario: 'default',
    engine: 'test',
    startedAt: '2026-01-01T00:00:00.000Z',
    attempts,
    console: [],
    checks: [],
    ...extra,
  };
}
