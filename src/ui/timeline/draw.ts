/**
 * Canvas drawing of the timeline lanes. Canvas rather than SVG because a live run can hold thousands
 * of reads and events: each frame draws only what is in view (binary search on time), with no DOM
 * nodes per item. Everything drawn here is also in the "Chunk timeline" table and the marks overlay,
 * which are what keyboard and screen-reader users use; the canvas is `aria-hidden`.
 */
import { lowerBound, ticks, toX, type View } from '../../timeline/scale.ts';
import type { Mark, TimelineModel } from '../../timeline/types.ts';

/** Lane geometry in CSS pixels, shared with hit-testing. */
export const LAYOUT = {
  axis: { y: 0, h: 20 },
  bands: { y: 22, h: 16 },
  wire: { y: 42, h: 52 },
  events: { y: 98, h: 30 },
  output: { y: 132, h: 52 },
  height: 188,
} as const;

export interface Palette {
  bg: string;
  fg: string;
  muted: string;
  surface: string;
  surface2: string;
  border: string;
  accent: string;
  ok: string;
  warn: string;
  danger: string;
  mono: string;
}

/** Reads the design tokens from the element's computed style, so both themes draw right. */
export function readPalette(el: Element): Palette {
  const cs = getComputedStyle(el);
  const v = (name: string, fallback: string): string =>
    cs.getPropertyValue(name).trim() || fallback;
  return {
    bg: v('--bg', '#fff'),
    fg: v('--fg', '#111'),
    muted: v('--muted', '#555'),
    surface: v('--surface', '#fff'),
    surface2: v('--surface-2', '#eee'),
    border: v('--border', '#ccc'),
    accent: v('--accent', '#3443c4'),
    ok: v('--ok', '#17703a'),
    warn: v('--warn', '#8a5a00'),
    danger: v('--danger', '#b42323'),
    mono: v('--mono', 'monospace'),
  };
}

const EVENT_CLASS = (type: string, data: string): 'terminator' | 'error' | 'other' => {
  if (type === 'error' || data.startsWith('{"error"')) return 'error';
  if (data === '[DONE]' || type === 'message_stop' || type === 'response.completed')
    return 'terminator';
  return 'other';
};

/** Draws one frame. `width` is in CSS pixels; the context is already scaled for the device ratio. */
export function drawTimeline(
  ctx: CanvasRenderingContext2D,
  model: TimelineModel,
  view: View,
  width: number,
  palette: Palette,
  selected: string | undefined,
  focusedMark: Mark | undefined,
): void {
  const { wire, events, output } = model.lanes;
  const origin = model.domain.origin;
  const x = (t: number): number => toX(t, view, width);
  ctx.clearRect(0, 0, width, LAYOUT.height);

  // Lane backgrounds.
  ctx.fillStyle = palette.surface2;
  for (const lane of [LAYOUT.wire, LAYOUT.events, LAYOUT.output])
    ctx.fillRect(0, lane.y, width, lane.h);

  // Axis: ticks in ms from the request.
  ctx.font = `11px ${palette.mono}`;
  ctx.textBaseline = 'top';
  ctx.strokeStyle = palette.border;
  ctx.fillStyle = palette.muted;
  ctx.lineWidth = 1;
  ctx.beginPath();
  for (const rel of ticks(view, origin, Math.max(2, Math.floor(width / 90)))) {
    const tx = Math.round(x(origin + rel)) + 0.5;
    ctx.moveTo(tx, LAYOUT.axis.h - 4);
    ctx.lineTo(tx, LAYOUT.height);
    const label = rel >= 10_000 ? `${rel / 1000}s` : `${rel}ms`;
    ctx.fillText(label, Math.min(Math.max(tx + 2, 0), width - ctx.measureText(label).width), 2);
  }
  ctx.stroke();

  // Bands: one per attempt; retries are hatched so they differ by pattern, not color alone.
  for (const band of model.bands) {
    const x0 = x(band.tStart);
    const x1 = Math.max(x(band.tEnd), x0 + 2);
    if (x1 < 0 || x0 > width) continue;
    const failed = band.end === 'error' || band.end === 'cancelled' || (band.status ?? 200) >= 400;
    ctx.fillStyle = failed ? palette.danger : palette.accent;
    ctx.globalAlpha = 0.18;
    ctx.fillRect(x0, LAYOUT.bands.y, x1 - x0, LAYOUT.bands.h);
    ctx.globalAlpha = 1;
    ctx.strokeStyle = failed ? palette.danger : palette.accent;
    ctx.strokeRect(x0 + 0.5, LAYOUT.bands.y + 0.5, x1 - x0 - 1, LAYOUT.bands.h - 1);
    if (failed) {
      ctx.save();
      ctx.beginPath();
      ctx.rect(x0, LAYOUT.bands.y, x1 - x0, LAYOUT.bands.h);
      ctx.clip();
      ctx.beginPath();
      for (let hx = x0 - LAYOUT.bands.h; hx < x1; hx += 6) {
        ctx.moveTo(hx, LAYOUT.bands.y + LAYOUT.bands.h);
        ctx.lineTo(hx + LAYOUT.bands.h, LAYOUT.bands.y);
      }
      ctx.stroke();
      ctx.restore();
    }
    const text = band.label + (band.status ? ` · ${band.status}` : '');
    if (ctx.measureText(text).width < x1 - x0 - 6) {
      ctx.fillStyle = palette.fg;
      ctx.fillText(text, Math.max(x0, 0) + 3, LAYOUT.bands.y + 2);
    }
  }

  // Wire: one bar per read, height by sqrt(bytes); hollow when the read ends inside an event, with a
  // small cap when it ends inside a character.
  const first = lowerBound(wire, view.start);
  const last = lowerBound(wire, view.end + 1e-9);
  let maxSize = 1;
  for (let i = 0; i < wire.length; i += Math.max(1, Math.floor(wire.length / 512))) {
    maxSize = Math.max(maxSize, wire[i]!.size);
  }
  const base = LAYOUT.wire.y + LAYOUT.wire.h;
  ctx.fillStyle = palette.accent;
  ctx.strokeStyle = palette.accent;
  const hollow: number[] = [];
  const caps: number[] = [];
  let lastPx = -10;
  for (let i = first; i < last; i++) {
    const r = wire[i]!;
    const rx = x(r.t);
    const h = Math.max(3, Math.sqrt(Math.min(r.size, maxSize) / maxSize) * (LAYOUT.wire.h - 8));
    // Many reads on one pixel: draw the tallest only once per pixel column.
    if (rx - lastPx < 1 && !r.insideEvent && !r.insideChar) continue;
    lastPx = rx;
    if (r.insideEvent) hollow.push(rx, h);
    else ctx.fillRect(rx - 1.5, base - h, 3, h);
    if (r.insideChar) caps.push(rx, h);
  }
  ctx.lineWidth = 1.5;
  for (let i = 0; i < hollow.length; i += 2) {
    ctx.strokeRect(hollow[i]! - 1.5, base - hollow[i + 1]!, 3, hollow[i + 1]!);
  }
  ctx.fillStyle = palette.warn;
  for (let i = 0; i < caps.length; i += 2) {
    const cx = caps[i]!;
    const top = base - caps[i + 1]! - 2;
    ctx.beginPath();
    ctx.moveTo(cx - 4, top - 6);
    ctx.lineTo(cx + 4, top - 6);
    ctx.lineTo(cx, top);
    ctx.fill();
  }

  // Events: a tick per event; terminators as squares, errors as crosses.
  const ef = lowerBound(events, view.start);
  const el = lowerBound(events, view.end + 1e-9);
  const mid = LAYOUT.events.y + LAYOUT.events.h / 2;
  ctx.strokeStyle = palette.fg;
  ctx.lineWidth = 1;
  ctx.beginPath();
  lastPx = -10;
  const special: { x: number; kind: 'terminator' | 'error' }[] = [];
  for (let i = ef; i < el; i++) {
    const e = events[i]!;
    const ex = x(e.t);
    const kind = EVENT_CLASS(e.type, e.data);
    if (kind !== 'other') special.push({ x: ex, kind });
    if (ex - lastPx < 1) continue;
    lastPx = ex;
    ctx.moveTo(Math.round(ex) + 0.5, mid - 8);
    ctx.lineTo(Math.round(ex) + 0.5, mid + 8);
  }
  ctx.stroke();
  for (const s of special) {
    if (s.kind === 'terminator') {
      ctx.fillStyle = palette.ok;
      ctx.fillRect(s.x - 5, mid - 5, 10, 10);
    } else {
      ctx.strokeStyle = palette.danger;
      ctx.lineWidth = 2.5;
      ctx.beginPath();
      ctx.moveTo(s.x - 5, mid - 5);
      ctx.lineTo(s.x + 5, mid + 5);
      ctx.moveTo(s.x + 5, mid - 5);
      ctx.lineTo(s.x - 5, mid + 5);
      ctx.stroke();
    }
  }

  // Output: text length as a step line per attempt; tool-argument fragments as small ticks, with a
  // diamond where the arguments first parse as JSON.
  let maxLength = 1;
  for (const o of output) {
    maxLength = Math.max(maxLength, o.text.length);
    for (const tool of o.tools) maxLength = Math.max(maxLength, tool.args.length);
  }
  const ob = LAYOUT.output.y + LAYOUT.output.h - 3;
  const scaleY = (len: number): number => ob - (len / maxLength) * (LAYOUT.output.h - 8);
  ctx.lineWidth = 2;
  for (const o of output) {
    if (o.steps.length > 0) {
      ctx.strokeStyle = palette.ok;
      ctx.beginPath();
      const steps = o.steps;
      const sf = Math.max(0, lowerBound(steps, view.start) - 1);
      const sl = Math.min(steps.length, lowerBound(steps, view.end + 1e-9) + 1);
      let prevY = sf === 0 ? ob : scaleY(steps[sf - 1]!.length);
      ctx.moveTo(Math.max(x(steps[sf]!.t), -1), prevY);
      for (let i = sf; i < sl; i++) {
        const sx = x(steps[i]!.t);
        const sy = scaleY(steps[i]!.length);
        ctx.lineTo(sx, prevY);
        ctx.lineTo(sx, sy);
        prevY = sy;
      }
      const band = model.bands[o.attempt];
      ctx.lineTo(Math.min(x(band ? band.tEnd : view.end), width + 1), prevY);
      ctx.stroke();
    }
    ctx.lineWidth = 1.5;
    for (const tool of o.tools) {
      ctx.strokeStyle = palette.warn;
      ctx.setLineDash([3, 2]);
      ctx.beginPath();
      let ty = ob;
      for (const f of tool.fragments) {
        const fx = x(f.t);
        ctx.lineTo(fx, ty);
        ty = scaleY(f.length);
        ctx.lineTo(fx, ty);
      }
      ctx.stroke();
      ctx.setLineDash([]);
      if (tool.validAt) {
        const vx = x(tool.validAt.t);
        const vy = scaleY(tool.args.length) - 1;
        ctx.fillStyle = palette.warn;
        ctx.beginPath();
        ctx.moveTo(vx, vy - 6);
        ctx.lineTo(vx + 6, vy);
        ctx.lineTo(vx, vy + 6);
        ctx.lineTo(vx - 6, vy);
        ctx.closePath();
        ctx.fill();
      }
    }
    ctx.lineWidth = 2;
  }

  // Key marks as vertical guides; the focused mark and the selected item stand out.
  ctx.lineWidth = 1;
  for (const mark of model.marks) {
    if (mark.kind !== 'first-token' && mark !== focusedMark) continue;
    const mx = Math.round(x(mark.t)) + 0.5;
    if (mx < 0 || mx > width) continue;
    ctx.strokeStyle = mark === focusedMark ? palette.fg : palette.ok;
    ctx.setLineDash(mark === focusedMark ? [] : [4, 3]);
    ctx.beginPath();
    ctx.moveTo(mx, LAYOUT.bands.y);
    ctx.lineTo(mx, LAYOUT.height);
    ctx.stroke();
  }
  ctx.setLineDash([]);
  if (selected) {
    const item = selected.startsWith('r')
      ? wire.find((r) => r.id === selected)
      : events.find((e) => e.id === selected);
    if (item) {
      const sx = Math.round(x(item.t)) + 0.5;
      ctx.strokeStyle = palette.danger;
      ctx.lineWidth = 2;
      ctx.strokeRect(
        sx - 5,
        selected.startsWith('r') ? LAYOUT.wire.y + 1 : LAYOUT.events.y + 1,
        10,
        (selected.startsWith('r') ? LAYOUT.wire.h : LAYOUT.events.h) - 2,
      );
    }
  }
}

/** The read or event nearest to `px` in the lane under `py`, within `slop` pixels. */
export function hitTest(
  model: TimelineModel,
  view: View,
  width: number,
  px: number,
  py: number,
  slop = 8,
): string | undefined {
  const inLane = (lane: { y: number; h: number }): boolean => py >= lane.y && py <= lane.y + lane.h;
  const items: readonly { t: number; id: string }[] | undefined = inLane(LAYOUT.wire)
    ? model.lanes.wire
    : inLane(LAYOUT.events)
      ? model.lanes.events
      : undefined;
  if (!items || items.length === 0) return undefined;
  const t = view.start + (px / width) * (view.end - view.start);
  const i = lowerBound(items, t);
  let best: { id: string; d: number } | undefined;
  for (const j of [i - 1, i, i + 1]) {
    const item = items[j];
    if (!item) continue;
    const d = Math.abs(toX(item.t, view, width) - px);
    if (d <= slop && (!best || d < best.d)) best = { id: item.id, d };
  }
  return best?.id;
}
