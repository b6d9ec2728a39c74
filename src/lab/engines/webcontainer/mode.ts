/**
 * Node mode for the whole page, framework-free: one state shared by every lab on the page (one
 * WebContainer per page), with `get` / `subscribe` for the UI. Turning it on checks where it can run
 * (`support.ts`), then boots the engine within `BOOT_TIMEOUT_MS`; on any failure the state says which
 * failure it was and labs keep the browser engine. Never an endless spinner: every path ends in `on` or
 * `unavailable`.
 */
import { BOOT_TIMEOUT_MS, MESSAGES, nodeModeProblem, type NodeModeProblem } from './support.ts';
import type { WebContainerEngine } from './engine.ts';

export type NodeModeState =
  | { status: 'off' }
  | { status: 'booting' }
  | { status: 'on'; engine: WebContainerEngine }
  | ({ status: 'unavailable' } & NodeModeProblem);

export interface NodeModeOptions {
  /** Makes the engine (the real one loads `@webcontainer/api` and the bundled programs lazily). */
  createEngine: () => Promise<WebContainerEngine>;
  timeoutMs?: number;
  /** Where the support check looks (default `globalThis`). */
  env?: Parameters<typeof nodeModeProblem>[0];
}

export interface NodeMode {
  get(): NodeModeState;
  subscribe(listener: () => void): () => void;
  /** Why it cannot run here, known before trying (the switch is not offered for `not-isolated`). */
  problem(): NodeModeProblem | undefined;
  turnOn(): Promise<NodeModeState>;
  turnOff(): void;
}

export function createNodeMode(options: NodeModeOptions): NodeMode {
  let state: NodeModeState = { status: 'off' };
  let engine: WebContainerEngine | undefined;
  const listeners = new Set<() => void>();
  const set = (next: NodeModeState): NodeModeState => {
    state = next;
    for (const listener of listeners) listener();
    return state;
  };
  const problem = (): NodeModeProblem | undefined => nodeModeProblem(options.env);

  return {
    get: () => state,
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    problem,
    async turnOn() {
      if (state.status === 'on' || state.status === 'booting') return state;
      const known = problem();
      if (known) return set({ status: 'unavailable', ...known });
      set({ status: 'booting' });
      const ms = options.timeoutMs ?? BOOT_TIMEOUT_MS;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timeout = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), ms);
      });
      try {
        engine ??= await options.createEngine();
        const started = await Promise.race([engine.ready().then(() => 'ready' as const), timeout]);
        if (started === 'timeout') {
          // The boot may still finish later; the engine is kept, and a later turnOn finds it ready.
          return set({ status: 'unavailable', reason: 'timeout', message: MESSAGES.timeout });
        }
        return set({ status: 'on', engine });
      } catch (error) {
        const detail = error instanceof Error ? error.message : String(error);
        return set({
          status: 'unavailable',
          reason: 'failed',
          message: `${MESSAGES.failed} ${detail}`,
        });
      } finally {
        clearTimeout(timer);
      }
    },
    turnOff() {
      if (state.status === 'on' || state.status === 'unavailable') set({ status: 'off' });
    },
  };
}
