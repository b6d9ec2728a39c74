/**
 * The mock's request log, one line per request: time, client, method and path, scenario and knobs, run
 * id, status, outcome (with its reason) and timings. `text` for a terminal, `json` (one object a line)
 * for tools. Connections the host refused get a line too.
 */
import type { RequestLog } from '../core/index.ts';
import type { Rejection } from './serve.ts';

export type LogFormat = 'text' | 'json';

/** One request as a text line. */
export function formatLog(e: RequestLog, at: Date = new Date()): string {
  const parts = [
    at.toISOString().slice(11, 23),
    e.client ?? '-',
    e.method.padEnd(4),
    e.path,
    `scenario=${e.scenario ?? '-'}`,
  ];
  if (e.knobs) parts.push(`knobs=${e.knobs}`);
  if (e.runId !== undefined) parts.push(`run=${JSON.stringify(e.runId)}`);
  if (e.attempt !== undefined) parts.push(`attempt=${e.attempt}`);
  parts.push(`status=${e.status}`, e.outcome === 'json' ? 'json' : e.outcome);
  if (e.events) parts.push(`events=${e.events}`);
  if (e.bytes) parts.push(`bytes=${e.bytes}`);
  if (e.ttftMs !== undefined) parts.push(`ttft=${Math.round(e.ttftMs)}ms`);
  parts.push(`${Math.round(e.durationMs)}ms`);
  if (e.reason) parts.push(`reason=${JSON.stringify(e.reason)}`);
  return parts.join(' ');
}

/** One request as a JSON line (every field, times in ms). */
export function formatLogJson(e: RequestLog, at: Date = new Date()): string {
  return JSON.stringify({
    time: at.toISOString(),
    ...e,
    durationMs: Math.round(e.durationMs * 10) / 10,
    ...(e.ttftMs === undefined ? {} : { ttftMs: Math.round(e.ttftMs * 10) / 10 }),
  });
}

/** A refused connection or request. */
export function formatRejection(r: Rejection, format: LogFormat, at: Date = new Date()): string {
  if (format === 'json')
    return JSON.stringify({
      time: at.toISOString(),
      client: r.client,
      outcome: 'rejected',
      reason: r.reason,
    });
  return `${at.toISOString().slice(11, 23)} ${r.client} rejected reason=${JSON.stringify(r.reason)}`;
}
