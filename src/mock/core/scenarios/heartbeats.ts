import type { Scenario } from './scenario.ts';

/** Keep-alive comments, as proxies and some providers send them. */
export const heartbeats: Scenario = {
  name: 'heartbeats',
  description:
    'Same text as default, with SSE comment lines (": heartbeat") between events and every 500 ms of waiting.',
  knobs: { heartbeat: 1, heartbeat_ms: 500, ttft_ms: 1200 },
  reply: 'default',
};
