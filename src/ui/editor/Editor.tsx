import { useEffect, useRef, useState } from 'react';
import { createLabEditor, type LabEditor } from './labEditor.ts';

export interface EditorProps {
  /** The code the editor opens with (the learner's saved code, or the starter). */
  initialCode: string;
  /** The learner's file name (`sse-reader.ts`). */
  fileName: string;
  /** Accessible name of the editing area. */
  label: string;
  /** Id of the element that explains the editor's keys. */
  describedBy?: string;
  onChange?: (code: string) => void;
  /** Ctrl/Cmd+Enter. */
  onRun?: () => void;
  /** Receives the editor once it exists (and `null` when it is destroyed). */
  onReady?: (editor: LabEditor | null) => void;
}

/**
 * The lab's code editor. On the server (and before hydration) it renders the code as a plain `<pre>`,
 * readable without JavaScript; in the browser, CodeMirror takes the `<pre>`'s place.
 */
export function Editor(props: EditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const latest = useRef(props);
  latest.current = props;
  const [mounted, setMounted] = useState(false);

  useEffect(() => {
    if (!host.current) return;
    const editor = createLabEditor({
      parent: host.current,
      doc: latest.current.initialCode,
      fileName: latest.current.fileName,
      label: latest.current.label,
      ...(latest.current.describedBy ? { describedBy: latest.current.describedBy } : {}),
      onChange: (code) => latest.current.onChange?.(code),
      onRun: () => latest.current.onRun?.(),
    });
    setMounted(true);
    latest.current.onReady?.(editor);
    return () => {
      latest.current.onReady?.(null);
      editor.destroy();
    };
    // The editor is created once; later prop changes reach it through `latest`.
  }, []);

  return (
    <div className="lab-editor">
      {!mounted && (
        <pre className="lab-editor__static" aria-label={props.label} tabIndex={0}>
          <code>{props.initialCode}</code>
        </pre>
      )}
      <div ref={host} className="lab-editor__host" />
    </div>
  );
}
