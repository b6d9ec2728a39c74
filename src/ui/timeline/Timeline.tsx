import {
  memo,
  useCallback,
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
  type KeyboardEvent,
} from 'react';
import { centerView, fitView, panView, toX, zoomView, type View } from '../../timeline/scale.ts';
import type { Mark, MarkKind, TimelineModel } from '../../timeline/types.ts';
import { drawTimeline, hitTest, LAYOUT, readPalette } from './draw.ts';
import { placeMarks } from './placeMarks.ts';

/** Height of one row of mark buttons (26 px buttons and a gap). */
const MARK_ROW_PX = 28;

/** A shape per mark kind, so marks differ by more than color. */
export const MARK_GLYPH: Record<MarkKind, string> = {
  request: '▶',
  retry: '↻',
  headers: 'H',
  'first-byte': '●',
  'first-token': '★',
  'json-valid': '◆',
  'last-token': '▲',
  terminator: '■',
  error: '✕',
  abort: '⊘',
};

/** What each mark means, for the legend (every glyph of {@link MARK_GLYPH} is explained). */
export const MARK_MEANING: Record<MarkKind, string> = {
  request: 'request sent',
  retry: 'retry',
  headers: 'response headers',
  'first-byte': 'first byte',
  'first-token': 'first token',
  'json-valid': 'tool arguments are valid JSON',
  'last-token': 'last token',
  terminator: 'end of stream event',
  error: 'error',
  abort: 'aborted (stopped)',
};

export interface TimelineProps {
  model: TimelineModel;
  /** `model.version`, passed so a mutated model still re-renders. */
  version: number;
  /** Names the timeline for assistive technology ("Timeline: starter, default scenario"). */
  label: string;
  selected?: string;
  onSelect?: (id: string) => void;
  /** Controlled view (Compare shares one between two timelines). */
  view?: View;
  onViewChange?: (view: View) => void;
  /** Overrides the model's domain (Compare: the union of both runs). */
  domain?: { origin: number; end: number };
}

const ZOOM_STEP = 1.5;

/**
 * The timeline: axis, attempt bands, and the wire / events / output lanes on a canvas, with the marks
 * as focusable buttons above it. Keyboard: ←/→ move between marks, Home/End first/last mark, +/- zoom,
 * Shift+←/→ pan, 0 fits. Mouse: drag pans, Ctrl+wheel zooms, click selects a read or event. Touch:
 * drag pans, pinch zooms.
 */
export function Timeline({
  model,
  // Not read: it is a prop so that a mutated model still re-renders this component.
  version: _version,
  label,
  selected,
  onSelect,
  view: controlledView,
  onViewChange,
  domain: domainOverride,
}: TimelineProps) {
  const domain = domainOverride ?? model.domain;
  const wrapRef = useRef<HTMLDivElement>(null);
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const [width, setWidth] = useState(600);
  const [ownView, setOwnView] = useState<View>(() => fitView(domain));
  // While following, the view refits as a live run grows; any zoom or pan stops following.
  const [follow, setFollow] = useState(true);
  const [focusIndex, setFocusIndex] = useState(0);
  const [focused, setFocused] = useState(false);
  // Following a live run, the view is simply the fit of the current domain (no effect, no extra render).
  const view = controlledView ?? (follow ? fitView(domain) : ownView);
  const markRefs = useRef<(HTMLButtonElement | null)[]>([]);

  const setView = useCallback(
    (next: View, keepFollow = false) => {
      if (!keepFollow) setFollow(false);
      if (onViewChange) onViewChange(next);
      else setOwnView(next);
    },
    [onViewChange],
  );

  useLayoutEffect(() => {
    const el = wrapRef.current;
    if (!el) return;
    const observer = new ResizeObserver(([entry]) => {
      if (entry) setWidth(Math.max(100, Math.floor(entry.contentRect.width)));
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);

  const marks = model.marks;
  // Marks at (nearly) the same time go to rows of their own or are nudged apart (`placeMarks.ts`), so
  // each stays visible and clickable, also on a phone.
  const placement = placeMarks(
    marks.map((mark) => toX(mark.t, view, width)),
    width,
  );
  const markX = placement.x;
  const focusMark: Mark | undefined = marks[Math.min(focusIndex, marks.length - 1)];

  // Draw right after React commits a change (several changes in one frame are rare and cheap). The
  // palette is read from CSS once per theme: getComputedStyle on every frame would force a style pass.
  const palette = useRef<ReturnType<typeof readPalette> | null>(null);
  const [, setTheme] = useState('');
  useLayoutEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return;
    const ratio = window.devicePixelRatio || 1;
    const pw = Math.round(width * ratio);
    const ph = Math.round(LAYOUT.height * ratio);
    if (canvas.width !== pw || canvas.height !== ph) {
      canvas.width = pw;
      canvas.height = ph;
    }
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    palette.current ??= readPalette(canvas);
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    drawTimeline(
      ctx,
      model,
      view,
      width,
      palette.current,
      selected,
      focused ? focusMark : undefined,
    );
  });

  // Redraw when the theme changes (the palette comes from CSS custom properties).
  useEffect(() => {
    const observer = new MutationObserver(() => {
      palette.current = null;
      setTheme(document.documentElement.dataset.theme ?? '');
    });
    observer.observe(document.documentElement, {
      attributes: true,
      attributeFilter: ['data-theme'],
    });
    return () => observer.disconnect();
  }, []);

  const moveFocus = (index: number): void => {
    const i = Math.max(0, Math.min(marks.length - 1, index));
    setFocusIndex(i);
    const mark = marks[i];
    if (mark && (mark.t < view.start || mark.t > view.end))
      setView(centerView(view, mark.t, domain));
    markRefs.current[i]?.focus();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    const center = focusMark && focused ? focusMark.t : (view.start + view.end) / 2;
    const span = view.end - view.start;
    switch (event.key) {
      case 'ArrowRight':
      case 'ArrowLeft': {
        const dir = event.key === 'ArrowRight' ? 1 : -1;
        if (event.shiftKey) setView(panView(view, (dir * span) / 4, domain));
        else moveFocus(focusIndex + dir);
        break;
      }
      case 'Home':
        moveFocus(0);
        break;
      case 'End':
        moveFocus(marks.length - 1);
        break;
      case '+':
      case '=':
        setView(zoomView(view, ZOOM_STEP, center, domain));
        break;
      case '-':
      case '_':
        setView(zoomView(view, 1 / ZOOM_STEP, center, domain));
        break;
      case '0':
        setFollow(true);
        setView(fitView(domain), true);
        break;
      default:
        return;
    }
    event.preventDefault();
  };

  // Pointer gestures: one pointer drags (pans), two pinch (zoom); a press without movement selects.
  const pointers = useRef(new Map<number, { x: number; y: number }>());
  const gesture = useRef({ moved: false, startX: 0, startY: 0, lastDist: 0 });
  const viewRef = useRef(view);
  viewRef.current = view;

  const onPointerDown = (e: React.PointerEvent<HTMLDivElement>): void => {
    const rect = e.currentTarget.getBoundingClientRect();
    pointers.current.set(e.pointerId, { x: e.clientX - rect.left, y: e.clientY - rect.top });
    e.currentTarget.setPointerCapture(e.pointerId);
    gesture.current.moved = false;
    gesture.current.startX = e.clientX - rect.left;
    gesture.current.startY = e.clientY - rect.top;
    if (pointers.current.size === 2) {
      const [a, b] = [...pointers.current.values()];
      gesture.current.lastDist = Math.hypot(a!.x - b!.x, a!.y - b!.y);
    }
  };
  const onPointerMove = (e: React.PointerEvent<HTMLDivElement>): void => {
    const prev = pointers.current.get(e.pointerId);
    if (!prev) return;
    const rect = e.currentTarget.getBoundingClientRect();
    const now = { x: e.clientX - rect.left, y: e.clientY - rect.top };
    pointers.current.set(e.pointerId, now);
    const v = viewRef.current;
    if (pointers.current.size === 1) {
      const dx = now.x - prev.x;
      if (Math.abs(now.x - gesture.current.startX) > 3) gesture.current.moved = true;
      if (gesture.current.moved && dx !== 0)
        setView(panView(v, (-dx / width) * (v.end - v.start), domain));
    } else if (pointers.current.size === 2) {
      const [a, b] = [...pointers.current.values()];
      const dist = Math.hypot(a!.x - b!.x, a!.y - b!.y);
      if (gesture.current.lastDist > 0 && dist > 0) {
        const midX = (a!.x + b!.x) / 2;
        const at = v.start + (midX / width) * (v.end - v.start);
        setView(zoomView(v, dist / gesture.current.lastDist, at, domain));
      }
      gesture.current.lastDist = dist;
      gesture.current.moved = true;
    }
  };
  const onPointerUp = (e: React.PointerEvent<HTMLDivElement>): void => {
    const had = pointers.current.delete(e.pointerId);
    if (had && pointers.current.size === 0 && !gesture.current.moved && onSelect) {
      const id = hitTest(model, view, width, gesture.current.startX, gesture.current.startY);
      if (id) onSelect(id);
    }
  };

  // Ctrl/⌘+wheel zooms; a horizontal wheel pans; a plain vertical wheel scrolls the page as usual.
  useEffect(() => {
    const el = canvasRef.current?.parentElement;
    if (!el) return;
    const onWheel = (e: WheelEvent): void => {
      const v = viewRef.current;
      if (e.ctrlKey || e.metaKey) {
        e.preventDefault();
        const rect = el.getBoundingClientRect();
        const at = v.start + ((e.clientX - rect.left) / rect.width) * (v.end - v.start);
        setView(zoomView(v, Math.exp(-e.deltaY / 300), at, domain));
      } else if (Math.abs(e.deltaX) > Math.abs(e.deltaY)) {
        e.preventDefault();
        setView(panView(v, (e.deltaX / el.clientWidth) * (v.end - v.start), domain));
      }
    };
    el.addEventListener('wheel', onWheel, { passive: false });
    return () => el.removeEventListener('wheel', onWheel);
  }, [setView, domain.origin, domain.end]);

  const zoomButtons = (factor: number | 'fit') => () => {
    if (factor === 'fit') {
      setFollow(true);
      setView(fitView(domain), true);
    } else setView(zoomView(view, factor, (view.start + view.end) / 2, domain));
  };

  return (
    <div className="tl" role="group" aria-label={label} onKeyDown={onKeyDown}>
      <div className="tl-toolbar">
        <button type="button" onClick={zoomButtons(ZOOM_STEP)} aria-label="Zoom in">
          +
        </button>
        <button type="button" onClick={zoomButtons(1 / ZOOM_STEP)} aria-label="Zoom out">
          −
        </button>
        <button type="button" onClick={zoomButtons('fit')} aria-pressed={follow}>
          Fit
        </button>
        <span className="tl-hint">
          {Math.round(view.start - domain.origin)}–{Math.round(view.end - domain.origin)} ms · drag
          to pan, Ctrl+wheel or pinch to zoom, ←/→ marks, +/− zoom
        </span>
      </div>
      <div className="tl-body">
        <div className="tl-lane-names" aria-hidden="true">
          <span style={{ top: LAYOUT.bands.y + placement.rows * MARK_ROW_PX }}>Attempts</span>
          <span style={{ top: LAYOUT.wire.y + placement.rows * MARK_ROW_PX }}>Wire</span>
          <span style={{ top: LAYOUT.events.y + placement.rows * MARK_ROW_PX }}>Events</span>
          <span style={{ top: LAYOUT.output.y + placement.rows * MARK_ROW_PX }}>Output</span>
        </div>
        <div className="tl-plot" ref={wrapRef}>
          <div
            className="tl-marks"
            role="toolbar"
            aria-label="Marks"
            aria-orientation="horizontal"
            style={{ height: `${placement.rows * MARK_ROW_PX}px` }}
          >
            {marks.map((mark, i) => {
              const mx = markX[i]!;
              const raw = toX(mark.t, view, width);
              const visible = raw >= -1 && raw <= width + 1;
              const isFocus = i === Math.min(focusIndex, marks.length - 1);
              return (
                <button
                  key={mark.id}
                  ref={(el) => {
                    markRefs.current[i] = el;
                  }}
                  type="button"
                  className={`tl-mark tl-mark--${mark.kind}`}
                  style={{
                    left: `${Math.min(Math.max(mx, 0), width)}px`,
                    top: `${placement.row[i]! * MARK_ROW_PX}px`,
                    visibility: visible || isFocus ? 'visible' : 'hidden',
                  }}
                  tabIndex={isFocus ? 0 : -1}
                  aria-label={`${mark.label} at ${Math.round((mark.t - domain.origin) * 10) / 10} ms: ${mark.description}`}
                  title={mark.description}
                  onFocus={() => {
                    setFocusIndex(i);
                    setFocused(true);
                  }}
                  onBlur={() => setFocused(false)}
                >
                  <span aria-hidden="true">{MARK_GLYPH[mark.kind]}</span>
                </button>
              );
            })}
          </div>
          <div
            className="tl-canvas"
            onPointerDown={onPointerDown}
            onPointerMove={onPointerMove}
            onPointerUp={onPointerUp}
            onPointerCancel={onPointerUp}
          >
            <canvas
              ref={canvasRef}
              style={{ width: `${width}px`, height: `${LAYOUT.height}px` }}
              aria-hidden="true"
            />
          </div>
        </div>
      </div>
      {/* Only a focused mark is announced: the count changes with every mark of a live run. */}
      <p className="tl-readout">
        <span aria-live="polite">
          {focused && focusMark
            ? `${MARK_GLYPH[focusMark.kind]} ${focusMark.label}, ${Math.round((focusMark.t - domain.origin) * 10) / 10} ms — ${focusMark.description}`
            : ''}
        </span>
        {!(focused && focusMark) &&
          `${marks.length} marks. Focus a mark and use ←/→ to move between them; every read and event is in the Chunk timeline table.`}
      </p>
      <Legend />
    </div>
  );
}

/** What the shapes mean (static, so it never re-renders). */
const Legend = memo(function Legend() {
  return (
    <ul className="tl-legend" aria-label="Legend">
      <li>
        <span className="tl-key tl-key--bar" aria-hidden="true" /> read (height: bytes)
      </li>
      <li>
        <span className="tl-key tl-key--hollow" aria-hidden="true" /> read ends inside an event
      </li>
      <li>
        <span className="tl-key tl-key--cap" aria-hidden="true">
          ▼
        </span>{' '}
        read ends inside a character
      </li>
      <li>
        <span className="tl-key tl-key--tick" aria-hidden="true" /> event ·{' '}
        <span aria-hidden="true" className="tl-key tl-key--square" /> terminator ·{' '}
        <span aria-hidden="true">✕</span> error
      </li>
      <li>
        <span className="tl-key tl-key--line" aria-hidden="true" /> text length ·{' '}
        <span aria-hidden="true" className="tl-key--diamond">
          ◆
        </span>{' '}
        tool args valid JSON
      </li>
      <li>
        <span className="tl-key tl-key--hatch" aria-hidden="true" /> failed attempt
      </li>
      <li className="tl-legend__marks">
        Marks:{' '}
        {(Object.keys(MARK_GLYPH) as MarkKind[]).map((kind, i) => (
          <span key={kind} className="tl-legend__mark">
            {i > 0 && ' · '}
            <span aria-hidden="true" className="tl-key--glyph">
              {MARK_GLYPH[kind]}
            </span>{' '}
            {MARK_MEANING[kind]}
          </span>
        ))}
      </li>
    </ul>
  );
});
