/**
 * Can Node mode run here? WebContainers need a cross-origin isolated page (SharedArrayBuffer), a browser
 * that supports them (Chromium-based browsers and Firefox; Safari only partly), and the network: they load
 * from StackBlitz's servers. Each reason has a message that says what it needs, in the learner's words.
 */
export type Unavailable = 'not-isolated' | 'unsupported' | 'offline' | 'timeout' | 'failed';

export interface NodeModeProblem {
  reason: Unavailable;
  message: string;
}

/** How long a boot may take before Node mode gives up (the lab stays on the browser engine). */
export const BOOT_TIMEOUT_MS = 15_000;

export const MESSAGES: Record<Unavailable, string> = {
  'not-isolated':
    'Node mode (real Node in a WebContainer) needs the site served cross-origin isolated (headers Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp or credentialless); this host does not send them.',
  unsupported:
    'Node mode needs a browser that runs WebContainers (Chrome, Edge or Firefox on a desktop); this one lacks SharedArrayBuffer or WebAssembly.',
  offline:
    'Node mode needs the network: WebContainers load from StackBlitz’s servers, and this browser is offline.',
  timeout: `Node mode did not start within ${BOOT_TIMEOUT_MS / 1000} s (StackBlitz’s servers may be unreachable from here).`,
  failed: 'Node mode could not start.',
};

export interface SupportEnvironment {
  crossOriginIsolated?: boolean;
  SharedArrayBuffer?: unknown;
  WebAssembly?: unknown;
  navigator?: { onLine?: boolean };
}

/** Why Node mode cannot start here, checked without loading anything; `undefined` if it may. */
export function nodeModeProblem(env: SupportEnvironment = globalThis): NodeModeProblem | undefined {
  const problem = (reason: Unavailable): NodeModeProblem => ({ reason, message: MESSAGES[reason] });
  if (typeof env.WebAssembly === 'undefined') return problem('unsupported');
  if (env.crossOriginIsolated !== true) return problem('not-isolated');
  if (typeof env.SharedArrayBuffer === 'undefined') return problem('unsupported');
  if (env.navigator?.onLine === false) return problem('offline');
  return undefined;
}
