/**
 * The browser engine (`LabEngine` kind `worker`), the default one. It keeps a hidden sandbox frame
 * (`public/sandbox.html`: `sandbox="allow-scripts"` without `allow-same-origin`, so an opaque origin, and
 * a CSP with `connect-src 'none'`) that hosts the workers running lab code. The page fetches the worker
 * bundle once (a plain static file under the site's base path) and posts its text into the frame, which
 * starts workers from a blob: URL it creates itself — the only kind of URL an opaque-origin frame may start
 * a worker from. The frame keeps one spare worker booted and hands the page a control port to it, so a
 * Run goes from the page straight to the worker (not through the frame's thread) and starts at once; the
 * page then tells the frame which run claimed the spare, for Stop, the time limit and crashes.
 *
 * Each run gets its own worker (fresh globals, nothing left over from the last run) and a MessageChannel
 * straight to the page. Stop and the time limit terminate that worker; the frame itself never runs lab
 * code, so it stays responsive, and if it ever does not answer the page replaces it.
 */
import { siteUrl } from '../../../lib/url.ts';
import type { LabBundle, LabEngine, RunHandle, RunRequest } from '../engine.ts';
import type { WorkerPrepareMessage } from './entry.ts';
import type { RunMessage } from '../../run/messages.ts';
import { startSession } from '../session.ts';
import type { SandboxRunRequest } from '../../run/execute.ts';
import workerUrl from './entry.ts?worker&url';
import { loadWorkerSource } from './source.ts';
import { spareQueue, type Spare } from './spares.ts';

export interface WorkerEngineOptions {
  /** URL of the sandbox frame page (default `<base>/sandbox.html`). */
  sandboxUrl?: string;
  /** URL of the worker bundle (default: the one Vite built from `entry.ts`). */
  workerUrl?: string;
  /** Where the hidden frame is attached (default `document.body`). */
  container?: HTMLElement;
}

/** The worker's answer to the host's probe at the time limit (`engines/session.ts`). */
interface ProbeReply {
  type: 'probe-reply';
  timers: number;
}

/** Messages between the page and the sandbox frame (`public/sandbox.html`). */
type ToFrame =
  | { type: 'streamlab:init'; source: string }
  | { type: 'streamlab:claim'; runId: string; spare: number }
  | { type: 'streamlab:stop'; runId: string };
type FromFrame =
  | { type: 'streamlab:ready' }
  | { type: 'streamlab:spare'; spare: number }
  | { type: 'streamlab:crash'; runId: string; message: string };

interface Frame {
  element: HTMLIFrameElement;
  post(message: ToFrame, transfer?: Transferable[]): void;
  ready: Promise<void>;
  /** The spare worker, once the frame has booted one (after init, and after each run's Stop). */
  takeSpare(): Promise<Spare>;
  /** The booted spare, taken now; `undefined` if none is booted yet. */
  takeSpareNow(): Spare | undefined;
  /** The booted spare no run has taken yet, if any. */
  peekSpare(): Spare | undefined;
  crashListeners: Map<string, (message: string) => void>;
  dispose(): void;
}

const FRAME_READY_TIMEOUT_MS = 15_000;

let warnedDev = false;

export function createWorkerEngine(options: WorkerEngineOptions = {}): LabEngine {
  const sandboxUrl = options.sandboxUrl ?? siteUrl('sandbox.html');
  const scriptUrl = options.workerUrl ?? workerUrl;
  let frame: Frame | undefined;
  let current: RunHandle | undefined;
  let disposed = false;
  /** The files `prepare` was last given, posted to each spare as the frame boots it. */
  let prepared: WorkerPrepareMessage | undefined;

  const workerSource = (): Promise<string> => loadWorkerSource(scriptUrl);

  const createFrame = (): Frame => {
    const element = document.createElement('iframe');
    element.setAttribute('sandbox', 'allow-scripts');
    element.setAttribute('aria-hidden', 'true');
    element.tabIndex = -1;
    element.title = 'Lab sandbox';
    element.hidden = true;
    element.src = sandboxUrl;
    const crashListeners = new Map<string, (message: string) => void>();
    let markReady!: () => void;
    let failReady!: (error: Error) => void;
    const ready = new Promise<void>((resolve, reject) => {
      markReady = resolve;
      failReady = reject;
    });
    const spares = spareQueue();
    const onMessage = (event: MessageEvent<FromFrame>): void => {
      // The frame's origin is opaque ("null"), so it is recognised by its window, not its origin.
      if (event.source !== element.contentWindow) return;
      const data = event.data;
      if (data?.type === 'streamlab:ready') markReady();
      else if (data?.type === 'streamlab:spare' && event.ports[0]) {
        const spare: Spare = { id: Number(data.spare), port: event.ports[0] };
        if (prepared) spare.port.postMessage(prepared);
        spares.offer(spare);
      } else if (data?.type === 'streamlab:crash') crashListeners.get(data.runId)?.(data.message);
    };
    window.addEventListener('message', onMessage);
    const post = (message: ToFrame, transfer: Transferable[] = []): void =>
      element.contentWindow?.postMessage(message, '*', transfer);
    element.addEventListener('load', () => {
      workerSource().then(
        (text) => post({ type: 'streamlab:init', source: text }),
        (error: Error) => failReady(error),
      );
    });
    const timer = setTimeout(
      () =>
        failReady(
          new Error(
            `the lab sandbox (${sandboxUrl}) did not start within ${FRAME_READY_TIMEOUT_MS / 1000} s`,
          ),
        ),
      FRAME_READY_TIMEOUT_MS,
    );
    void ready.then(
      () => clearTimeout(timer),
      () => clearTimeout(timer),
    );
    (options.container ?? document.body).append(element);
    return {
      element,
      post,
      ready,
      takeSpare: spares.take,
      takeSpareNow: spares.takeNow,
      peekSpare: spares.peek,
      crashListeners,
      dispose() {
        window.removeEventListener('message', onMessage);
        element.remove();
      },
    };
  };

  const ensureFrame = async (): Promise<Frame> => {
    if (disposed) throw new Error('This lab engine was disposed');
    frame ??= createFrame();
    const f = frame;
    try {
      await f.ready;
    } catch (error) {
      if (frame === f) {
        f.dispose();
        frame = undefined;
      }
      throw error;
    }
    return f;
  };

  /**
   * `astro dev` serves the worker as an ES module (Vite bundles it as one classic script only in a build),
   * and an opaque-origin frame cannot start a module worker from the site. So in dev only, the worker is
   * started straight from the page: same code, same messages, but without the frame's opaque origin and
   * CSP. Builds always use the sandbox frame.
   */
  const devDirect = import.meta.env.DEV && options.workerUrl === undefined;
  const startDirect = (
    sandboxRequest: SandboxRunRequest,
    channel: MessageChannel,
    crash: (message: string) => void,
  ): { terminate(): void } => {
    if (!warnedDev) {
      warnedDev = true;
      console.warn('streamlab (dev): lab code runs in a page worker without the sandbox frame.');
    }
    const worker = new Worker(scriptUrl, { type: 'module', name: 'streamlab-lab' });
    worker.addEventListener('error', (event) => crash(event.message || 'the lab worker crashed'));
    worker.postMessage({ type: 'run', request: sandboxRequest }, [channel.port2]);
    return {
      terminate() {
        worker.terminate();
        channel.port1.onmessage = null;
        channel.port1.close();
      },
    };
  };

  return {
    kind: 'worker',
    ready: async () => {
      if (!devDirect) await ensureFrame();
    },
    prepare(lab: LabBundle, code: string, fileName = `${lab.id}.ts`) {
      // The same file names the run compiles them under (`run/execute.ts`), so the spare's compiled
      // output is found at Run.
      prepared = {
        type: 'prepare',
        files: [
          { fileName, source: code },
          // A page's bundle has no driver until its run files are fetched (`withRunFiles`).
          ...(lab.files.driver
            ? [{ fileName: `labs/${lab.id}/driver.ts`, source: lab.files.driver }]
            : []),
        ],
      };
      frame?.peekSpare()?.port.postMessage(prepared);
    },
    run(request: RunRequest, onMessage: (message: RunMessage) => void): RunHandle {
      if (disposed) throw new Error('This lab engine was disposed');
      current?.stop();
      const handle = startSession({
        engine: 'worker',
        request,
        onMessage,
        async start(sandboxRequest, deliver, crash) {
          const channel = new MessageChannel();
          const probes: Array<(state: { timers: number }) => void> = [];
          channel.port1.onmessage = (event: MessageEvent<RunMessage[] | ProbeReply>) => {
            const data = event.data;
            if (!Array.isArray(data)) {
              if (data?.type === 'probe-reply')
                for (const answer of probes.splice(0)) answer({ timers: Number(data.timers) || 0 });
              return;
            }
            for (const message of data) deliver(message);
          };
          const probe = (): Promise<{ timers: number }> =>
            new Promise((resolve) => {
              probes.push(resolve);
              channel.port1.postMessage({ type: 'probe' });
            });
          if (devDirect) return { ...startDirect(sandboxRequest, channel, crash), probe };
          // A booted spare takes the run at once, with no await before the post: the run leaves for the
          // worker before the page renders the Run's start (a frame exists once it has a spare).
          const booted = frame?.takeSpareNow();
          const f = booted ? frame! : await ensureFrame();
          const taken = booted ?? (await f.takeSpare());
          f.crashListeners.set(sandboxRequest.runId, crash);
          taken.port.postMessage({ type: 'run', request: sandboxRequest }, [channel.port2]);
          f.post({ type: 'streamlab:claim', runId: sandboxRequest.runId, spare: taken.id });
          return {
            probe,
            terminate() {
              f.crashListeners.delete(sandboxRequest.runId);
              f.post({ type: 'streamlab:stop', runId: sandboxRequest.runId });
              channel.port1.onmessage = null;
              channel.port1.close();
            },
          };
        },
      });
      current = handle;
      return handle;
    },
    dispose() {
      disposed = true;
      current?.stop();
      frame?.dispose();
      frame = undefined;
    },
  };
}
