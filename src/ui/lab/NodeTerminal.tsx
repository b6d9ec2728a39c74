import { useEffect, useRef, useState } from 'react';
import type { WebContainerEngine } from '../../lab/engines/webcontainer/engine.ts';

export interface NodeTerminalProps {
  engine: WebContainerEngine;
}

/**
 * A terminal on the container's shell (xterm.js, loaded only in Node mode): `curl -N` against the mock,
 * `node` on the learner's file, `npm run mock`. The shell lives as long as the panel.
 */
export function NodeTerminal({ engine }: NodeTerminalProps) {
  const host = useRef<HTMLDivElement>(null);
  const [problem, setProblem] = useState<string | undefined>(undefined);

  useEffect(() => {
    const element = host.current;
    if (!element) return;
    let disposed = false;
    let cleanup = (): void => {};
    void (async () => {
      const [{ Terminal }, { FitAddon }, { SHELL_GREETING }, { default: css }] = await Promise.all([
        import('@xterm/xterm'),
        import('@xterm/addon-fit'),
        import('../../lab/engines/webcontainer/engine.ts'),
        // As text, added when the terminal opens: a plain CSS import would make every lab page link it.
        import('@xterm/xterm/css/xterm.css?inline'),
      ]);
      if (disposed) return;
      addStyleOnce('streamlab-xterm-css', css);
      const styles = getComputedStyle(document.documentElement);
      const terminal = new Terminal({
        convertEol: true,
        fontSize: 13,
        fontFamily: styles.getPropertyValue('--mono') || 'monospace',
        theme: {
          background: styles.getPropertyValue('--surface-2').trim() || '#f0eee8',
          foreground: styles.getPropertyValue('--fg').trim() || '#1d1f24',
          cursor: styles.getPropertyValue('--accent').trim() || '#3443c4',
        },
      });
      const fit = new FitAddon();
      terminal.loadAddon(fit);
      terminal.open(element);
      fit.fit();
      terminal.write(`${SHELL_GREETING}\r\n`);
      const shell = await engine.openShell({ cols: terminal.cols, rows: terminal.rows });
      if (disposed) {
        shell.kill();
        terminal.dispose();
        return;
      }
      const input = shell.input.getWriter();
      const typed = terminal.onData((data) => void input.write(data).catch(() => {}));
      void shell.output.pipeTo(new WritableStream({ write: (chunk) => terminal.write(chunk) }));
      void shell.exit.then((code) =>
        terminal.write(`\r\n[the shell exited with code ${code}]\r\n`),
      );
      const resize = new ResizeObserver(() => {
        fit.fit();
        shell.resize({ cols: terminal.cols, rows: terminal.rows });
      });
      resize.observe(element);
      cleanup = () => {
        resize.disconnect();
        typed.dispose();
        shell.kill();
        terminal.dispose();
      };
    })().catch((error: unknown) =>
      setProblem(
        `The terminal could not start: ${error instanceof Error ? error.message : String(error)}`,
      ),
    );
    return () => {
      disposed = true;
      cleanup();
    };
  }, [engine]);

  return (
    <section className="lab-terminal" aria-label="Terminal">
      <h3 className="lab-panel__title">Terminal</h3>
      {problem ? (
        <p role="alert">{problem}</p>
      ) : (
        <div ref={host} className="lab-terminal__screen" />
      )}
    </section>
  );
}

/** Adds a `<style>` with this id to the document's head, once. */
function addStyleOnce(id: string, css: string): void {
  if (document.getElementById(id)) return;
  const style = document.createElement('style');
  style.id = id;
  style.textContent = css;
  document.head.append(style);
}
