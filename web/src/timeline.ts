// The timeline: a histogram of event counts (by day, or by week or month when the span is long),
// stacked by event type, drawn on a canvas, with a brush: drag to pick a date range, click a bar to
// pick its bin, double-click or "Clear" to drop it. It always shows every event the server returned;
// the brush only dims what lies outside it.
import { dateOfDay, dayOf, type Dataset } from './dataset.js';
import { el, fmtInt } from './dom.js';
import { TYPE_COLOURS, TYPE_NAMES } from './types.js';

type Unit = 'day' | 'week' | 'month';

interface Bins {
  unit: Unit;
  /** First day of each bin, and the day after its last. */
  start: number[];
  end: number[];
  /** counts[b * NT + t]: events of type t in bin b. */
  counts: Uint32Array;
  totals: Uint32Array;
  max: number;
}

const NT = TYPE_COLOURS.length;
const PAD = { left: 40, right: 10, top: 8, bottom: 20 };
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

function monthStart(day: number): number {
  const d = new Date(day * 86_400_000);
  return Math.floor(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1) / 86_400_000);
}

function nextMonth(day: number): number {
  const d = new Date(day * 86_400_000);
  return Math.floor(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) / 86_400_000);
}

function binBounds(minDay: number, maxDay: number): { unit: Unit; start: number[]; end: number[] } {
  const span = maxDay - minDay + 1;
  const unit: Unit = span <= 120 ? 'day' : span <= 3 * 365 ? 'week' : 'month';
  const start: number[] = [];
  const end: number[] = [];
  if (unit === 'month') {
    for (let d = monthStart(minDay); d <= maxDay; d = nextMonth(d)) {
      start.push(d);
      end.push(nextMonth(d));
    }
  } else {
    const step = unit === 'day' ? 1 : 7;
    // Weeks start on Monday (1970-01-01 was a Thursday: day 4 is a Monday).
    const first = unit === 'day' ? minDay : minDay - ((((minDay - 4) % 7) + 7) % 7);
    // A span of one day still gets a few bins either side, so the bar is not the full width.
    const pad = span < 7 && unit === 'day' ? 3 : 0;
    for (let d = first - pad; d <= maxDay + pad; d += step) {
      start.push(d);
      end.push(d + step);
    }
  }
  return { unit, start, end };
}

function computeBins(data: Dataset): Bins | null {
  if (!Number.isFinite(data.minDay)) return null;
  const { unit, start, end } = binBounds(data.minDay, data.maxDay);
  const counts = new Uint32Array(start.length * NT);
  const totals = new Uint32Array(start.length);
  const first = start[0]!;
  let monthIndex: Map<number, number> | null = null;
  if (unit === 'month') monthIndex = new Map(start.map((s, b) => [s, b]));
  const width = unit === 'day' ? 1 : 7;
  for (let i = 0; i < data.n; i++) {
    const day = data.day[i]!;
    if (Number.isNaN(day)) continue;
    const b = monthIndex ? monthIndex.get(monthStart(day))! : Math.floor((day - first) / width);
    counts[b * NT + data.type[i]!]!++;
    totals[b]!++;
  }
  let max = 0;
  for (const t of totals) if (t > max) max = t;
  return { unit, start, end, counts, totals, max };
}

/** An axis label; the year is added to the first label and wherever it changes. */
function label(day: number, unit: Unit, previousYear: number | null): string {
  const d = new Date(day * 86_400_000);
  const m = MONTHS[d.getUTCMonth()]!;
  const year = d.getUTCFullYear();
  if (unit === 'month') return year !== previousYear ? `${m} ${year}` : m;
  return year !== previousYear ? `${d.getUTCDate()} ${m} ${year}` : `${d.getUTCDate()} ${m}`;
}

export class Timeline {
  readonly element: HTMLElement;
  private readonly canvas: HTMLCanvasElement;
  private readonly plot: HTMLElement;
  private readonly caption: HTMLElement;
  private readonly rangeText: HTMLElement;
  private readonly clearButton: HTMLButtonElement;
  private readonly tip: HTMLElement;
  private bins: Bins | null = null;
  /** Brushed days, inclusive; NaN when open. */
  private from = NaN;
  private to = NaN;
  private drag: { anchor: number; x0: number; moved: boolean } | null = null;
  private frame = 0;

  constructor(private readonly onBrush: (from: string, to: string, final: boolean) => void) {
    this.canvas = el('canvas', { 'aria-label': 'Events over time; drag to select a date range' });
    this.tip = el('div', { class: 'timeline-tip', hidden: true });
    this.plot = el('div', { class: 'timeline-plot', 'data-testid': 'timeline' }, this.canvas, this.tip);
    this.caption = el('span', { class: 'timeline-caption' }, 'Timeline');
    this.rangeText = el('span', { class: 'timeline-range' });
    this.clearButton = el('button', { type: 'button', class: 'link-button', 'data-testid': 'timeline-clear', hidden: true }, 'Clear range');
    this.clearButton.addEventListener('click', () => this.commit(NaN, NaN));
    this.element = el('section', { class: 'timeline' }, el('div', { class: 'timeline-head' }, this.caption, this.rangeText, this.clearButton), this.plot);

    this.canvas.addEventListener('pointerdown', (e) => this.pointerDown(e));
    this.canvas.addEventListener('pointermove', (e) => this.pointerMove(e));
    this.canvas.addEventListener('pointerup', (e) => this.pointerUp(e));
    this.canvas.addEventListener('pointerleave', () => (this.tip.hidden = true));
    this.canvas.addEventListener('dblclick', () => this.commit(NaN, NaN));
    new ResizeObserver(() => this.draw()).observe(this.plot);
  }

  setData(data: Dataset): void {
    this.bins = computeBins(data);
    const unit = this.bins?.unit;
    this.caption.textContent = unit ? `Events by ${unit}` : 'No dated events';
    this.draw();
  }

  setRange(from: string, to: string): void {
    this.from = from ? dayOf(from) : NaN;
    this.to = to ? dayOf(to) : NaN;
    const active = !Number.isNaN(this.from) || !Number.isNaN(this.to);
    this.rangeText.textContent = active ? `${from || '…'} → ${to || '…'}` : '';
    this.clearButton.hidden = !active;
    this.draw();
  }

  private get domain(): [number, number] | null {
    const b = this.bins;
    return b && b.start.length ? [b.start[0]!, b.end[b.end.length - 1]!] : null;
  }

  private xOfDay(day: number, width: number): number {
    const [d0, d1] = this.domain!;
    return PAD.left + ((day - d0) / (d1 - d0)) * (width - PAD.left - PAD.right);
  }

  /** The bin under an x position (clamped to the ends). */
  private binAt(x: number): number {
    const b = this.bins!;
    const width = this.canvas.clientWidth;
    const [d0, d1] = this.domain!;
    const day = d0 + ((x - PAD.left) / (width - PAD.left - PAD.right)) * (d1 - d0);
    let lo = 0;
    let hi = b.start.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (b.start[mid]! <= day) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  private localX(e: PointerEvent): number {
    return e.clientX - this.canvas.getBoundingClientRect().left;
  }

  private pointerDown(e: PointerEvent): void {
    if (!this.bins || e.button !== 0) return;
    this.canvas.setPointerCapture(e.pointerId);
    const x = this.localX(e);
    this.drag = { anchor: this.binAt(x), x0: x, moved: false };
    e.preventDefault();
  }

  private pointerMove(e: PointerEvent): void {
    if (!this.bins) return;
    const x = this.localX(e);
    const bin = this.binAt(x);
    if (!this.drag) {
      this.showTip(bin, x);
      return;
    }
    this.tip.hidden = true;
    if (Math.abs(x - this.drag.x0) >= 3) this.drag.moved = true;
    if (!this.drag.moved) return;
    const [from, to] = this.binRange(this.drag.anchor, bin);
    this.from = from;
    this.to = to;
    this.draw();
    this.onBrush(dateOfDay(from), dateOfDay(to), false);
  }

  private pointerUp(e: PointerEvent): void {
    const drag = this.drag;
    if (!drag || !this.bins) return;
    this.drag = null;
    const bin = this.binAt(this.localX(e));
    const [from, to] = this.binRange(drag.moved ? drag.anchor : bin, bin);
    this.commit(from, to);
  }

  /** First and last day (inclusive) covered by bins a..b in either order. */
  private binRange(a: number, b: number): [number, number] {
    const bins = this.bins!;
    const lo = Math.min(a, b);
    const hi = Math.max(a, b);
    return [bins.start[lo]!, bins.end[hi]! - 1];
  }

  private commit(from: number, to: number): void {
    const f = Number.isNaN(from) ? '' : dateOfDay(from);
    const t = Number.isNaN(to) ? '' : dateOfDay(to);
    this.setRange(f, t);
    this.onBrush(f, t, true);
  }

  private showTip(bin: number, x: number): void {
    const b = this.bins!;
    const start = b.start[bin]!;
    const last = b.end[bin]! - 1;
    const when = start === last ? dateOfDay(start) : `${dateOfDay(start)} – ${dateOfDay(last)}`;
    this.tip.textContent = `${when}: ${fmtInt(b.totals[bin]!)} event${b.totals[bin] === 1 ? '' : 's'}`;
    this.tip.hidden = false;
    const w = this.plot.clientWidth;
    this.tip.style.left = `${Math.min(Math.max(x + 10, 0), w - 200)}px`;
  }

  draw(): void {
    cancelAnimationFrame(this.frame);
    this.frame = requestAnimationFrame(() => this.paint());
  }

  /** Paint now (the page calls this when it needs the canvas current before reporting ready). */
  paint(): void {
    const canvas = this.canvas;
    const width = this.plot.clientWidth;
    const height = this.plot.clientHeight;
    if (!width || !height) return;
    const dpr = window.devicePixelRatio || 1;
    if (canvas.width !== Math.round(width * dpr) || canvas.height !== Math.round(height * dpr)) {
      canvas.width = Math.round(width * dpr);
      canvas.height = Math.round(height * dpr);
      canvas.style.width = `${width}px`;
      canvas.style.height = `${height}px`;
    }
    const ctx = canvas.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, width, height);
    const b = this.bins;
    ctx.font = '11px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
    ctx.fillStyle = '#6b7780';
    if (!b) {
      ctx.fillText('No dated events', PAD.left, height / 2);
      return;
    }
    const plotH = height - PAD.top - PAD.bottom;
    const baseY = PAD.top + plotH;
    const yScale = b.max ? plotH / b.max : 0;
    const brushed = !Number.isNaN(this.from) || !Number.isNaN(this.to);
    const lo = Number.isNaN(this.from) ? -Infinity : this.from;
    const hi = Number.isNaN(this.to) ? Infinity : this.to;

    // Axes and gridline at the maximum.
    ctx.strokeStyle = '#d5dade';
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(PAD.left, baseY + 0.5);
    ctx.lineTo(width - PAD.right, baseY + 0.5);
    ctx.moveTo(PAD.left, PAD.top + 0.5);
    ctx.lineTo(width - PAD.right, PAD.top + 0.5);
    ctx.stroke();
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    ctx.fillText(fmtInt(b.max), PAD.left - 6, PAD.top + 1);
    ctx.fillText('0', PAD.left - 6, baseY);

    for (let bin = 0; bin < b.start.length; bin++) {
      const x0 = this.xOfDay(b.start[bin]!, width);
      const x1 = this.xOfDay(b.end[bin]!, width);
      const w = Math.max(1, x1 - x0 - (x1 - x0 > 4 ? 1 : 0));
      const inside = !brushed || (b.end[bin]! - 1 >= lo && b.start[bin]! <= hi);
      ctx.globalAlpha = inside ? 1 : 0.25;
      let y = baseY;
      for (let t = 0; t < NT; t++) {
        const c = b.counts[bin * NT + t]!;
        if (!c) continue;
        const h = c * yScale;
        ctx.fillStyle = TYPE_COLOURS[t]!;
        ctx.fillRect(x0, y - h, w, h);
        y -= h;
      }
    }
    ctx.globalAlpha = 1;

    // X labels, spaced so they do not overlap.
    ctx.fillStyle = '#6b7780';
    ctx.textAlign = 'left';
    ctx.textBaseline = 'top';
    let lastRight = -Infinity;
    let lastYear: number | null = null;
    for (let bin = 0; bin < b.start.length; bin++) {
      const s = b.start[bin]!;
      const x = this.xOfDay(s, width);
      const text = label(s, b.unit, lastYear);
      const tw = ctx.measureText(text).width;
      if (x < lastRight + 12 || x + tw > width) continue;
      ctx.fillText(text, x, baseY + 5);
      ctx.fillRect(x, baseY, 1, 3);
      lastRight = x + tw;
      lastYear = new Date(s * 86_400_000).getUTCFullYear();
    }

    if (brushed) {
      const [d0, d1] = this.domain!;
      const bx0 = this.xOfDay(Math.max(lo, d0), width);
      const bx1 = this.xOfDay(Math.min(hi + 1, d1), width);
      ctx.fillStyle = 'rgba(36, 113, 163, 0.10)';
      ctx.fillRect(bx0, PAD.top, Math.max(0, bx1 - bx0), plotH);
      ctx.strokeStyle = '#2471a3';
      ctx.lineWidth = 1.5;
      ctx.strokeRect(bx0 + 0.5, PAD.top + 0.5, Math.max(0, bx1 - bx0 - 1), plotH - 1);
    }
  }
}

export const TYPE_LEGEND = TYPE_NAMES.map((name, i) => ({ name, colour: TYPE_COLOURS[i]! }));
