// The event list, virtualised: only the rows in view (plus a few either side) exist in the DOM, and
// they are reused as the list scrolls, so 100,000 events cost no more than 30.
import type { Dataset } from './dataset.js';
import { el, fmtInt } from './dom.js';
import { TYPE_COLOURS, TYPE_NAMES } from './types.js';

const ROW_HEIGHT = 30;
const OVERSCAN = 8;
const REVIEW_MARK = ['', '✓', '✗'];
const REVIEW_TITLE = ['unreviewed', 'confirmed', 'rejected'];

export type ListSort = 'date-desc' | 'date-asc' | 'fatalities-desc';

interface Row {
  root: HTMLElement;
  date: HTMLElement;
  dot: HTMLElement;
  type: HTMLElement;
  typeLabel: HTMLElement;
  location: HTMLElement;
  country: HTMLElement;
  fatalities: HTMLElement;
  index: number;
}

/** The events at `indices` ordered for display. */
export function orderFor(data: Dataset, indices: Uint32Array, sort: ListSort): Uint32Array {
  const out = Uint32Array.from(indices);
  if (sort === 'fatalities-desc') {
    const f = data.fatalities;
    return out.sort((a, b) => (Number.isNaN(f[b]!) ? -1 : f[b]!) - (Number.isNaN(f[a]!) ? -1 : f[a]!) || data.day[b]! - data.day[a]!);
  }
  // The server sends rows by date; sort only if it did not.
  let sorted = true;
  for (let k = 1; k < out.length && sorted; k++) if (data.day[out[k]!]! < data.day[out[k - 1]!]!) sorted = false;
  if (!sorted) out.sort((a, b) => (data.day[a]! || 0) - (data.day[b]! || 0));
  if (sort === 'date-desc') out.reverse();
  return out;
}

export class EventList {
  readonly element: HTMLElement;
  private readonly viewport: HTMLElement;
  private readonly spacer: HTMLElement;
  private readonly empty: HTMLElement;
  private readonly rows: Row[] = [];
  private data: Dataset | null = null;
  private order: Uint32Array = new Uint32Array(0);
  /** Position of each dataset index in `order` (-1 when not listed). */
  private position: Int32Array = new Int32Array(0);
  private selected = -1;
  private frame = 0;

  constructor(
    private readonly onSelect: (index: number) => void,
    status: HTMLElement,
    sortControl: HTMLElement,
  ) {
    const header = el(
      'div',
      { class: 'list-header', role: 'row' },
      el('span', { class: 'c-date' }, 'Date'),
      el('span', { class: 'c-type' }, 'Type'),
      el('span', { class: 'c-location' }, 'Location'),
      el('span', { class: 'c-country' }, 'Country'),
      el('span', { class: 'c-fat', title: 'Fatalities' }, 'Fat.'),
    );
    this.spacer = el('div', { class: 'list-spacer' });
    this.empty = el('div', { class: 'list-empty', hidden: true }, 'No events match these filters.');
    this.viewport = el('div', { class: 'list-viewport', role: 'grid', 'aria-label': 'Events', 'data-testid': 'event-list', tabindex: 0 }, this.spacer, this.empty);
    this.element = el('section', { class: 'event-list' }, el('div', { class: 'list-toolbar' }, status, sortControl), header, this.viewport);
    this.viewport.addEventListener('scroll', () => this.schedule(), { passive: true });
    this.viewport.addEventListener('click', (e) => {
      const row = (e.target as HTMLElement).closest<HTMLElement>('.event-row');
      if (row) this.onSelect(Number(row.dataset['index']));
    });
    this.viewport.addEventListener('keydown', (e) => this.keydown(e));
    new ResizeObserver(() => this.schedule()).observe(this.viewport);
  }

  setData(data: Dataset, order: Uint32Array): void {
    this.data = data;
    this.order = order;
    // (a row's content is cached by dataset index: a new dataset invalidates every row)
    for (const row of this.rows) row.index = -1;
    this.position = new Int32Array(data.n).fill(-1);
    for (let k = 0; k < order.length; k++) this.position[order[k]!] = k;
    this.spacer.style.height = `${order.length * ROW_HEIGHT}px`;
    this.empty.hidden = order.length > 0;
    this.render();
  }

  get length(): number {
    return this.order.length;
  }

  /** The dataset index `delta` rows away from the selected one (the first row if none is listed). */
  neighbour(delta: number): number {
    if (!this.order.length) return -1;
    const at = this.selected >= 0 ? this.position[this.selected] ?? -1 : -1;
    if (at < 0) return this.order[0]!;
    const k = Math.min(this.order.length - 1, Math.max(0, at + delta));
    return this.order[k]!;
  }

  setSelected(index: number, reveal = true): void {
    this.selected = index;
    if (reveal && index >= 0) this.scrollToIndex(index);
    this.render();
  }

  private scrollToIndex(index: number): void {
    const k = this.position[index] ?? -1;
    if (k < 0) return;
    const top = k * ROW_HEIGHT;
    const vp = this.viewport;
    if (top < vp.scrollTop) vp.scrollTop = top;
    else if (top + ROW_HEIGHT > vp.scrollTop + vp.clientHeight) vp.scrollTop = top + ROW_HEIGHT - vp.clientHeight;
  }

  private keydown(e: KeyboardEvent): void {
    const row = (e.target as HTMLElement).closest<HTMLElement>('.event-row');
    if (e.key === 'Enter' && row) {
      e.preventDefault();
      this.onSelect(Number(row.dataset['index']));
    } else if ((e.key === 'ArrowDown' || e.key === 'ArrowUp') && this.order.length) {
      e.preventDefault();
      const from = row ? this.position[Number(row.dataset['index'])] ?? 0 : Math.floor(this.viewport.scrollTop / ROW_HEIGHT) - 1;
      const k = Math.min(this.order.length - 1, Math.max(0, from + (e.key === 'ArrowDown' ? 1 : -1)));
      this.scrollToIndex(this.order[k]!);
      this.render();
      this.rows.find((r) => r.index === this.order[k])?.root.focus();
    }
  }

  private schedule(): void {
    cancelAnimationFrame(this.frame);
    this.frame = requestAnimationFrame(() => this.render());
  }

  private makeRow(): Row {
    const date = el('span', { class: 'c-date' });
    const dot = el('span', { class: 'type-dot' });
    const typeLabel = el('span', { class: 'type-label' });
    const type = el('span', { class: 'c-type' }, dot, typeLabel);
    const location = el('span', { class: 'c-location' });
    const country = el('span', { class: 'c-country' });
    const fatalities = el('span', { class: 'c-fat' });
    const root = el('div', { class: 'event-row', role: 'row', tabindex: -1, 'data-testid': 'event-row' }, date, type, location, country, fatalities);
    this.viewport.appendChild(root);
    return { root, date, dot, type, typeLabel, location, country, fatalities, index: -1 };
  }

  /** Draw the rows in view now. */
  render(): void {
    cancelAnimationFrame(this.frame);
    const data = this.data;
    const vp = this.viewport;
    const total = this.order.length;
    const first = Math.max(0, Math.floor(vp.scrollTop / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(total, Math.ceil((vp.scrollTop + (vp.clientHeight || 600)) / ROW_HEIGHT) + OVERSCAN);
    const needed = data ? Math.max(0, last - first) : 0;
    while (this.rows.length < needed) this.rows.push(this.makeRow());
    for (let r = 0; r < this.rows.length; r++) {
      const row = this.rows[r]!;
      if (r >= needed || !data) {
        if (!row.root.hidden) row.root.hidden = true;
        row.index = -1;
        continue;
      }
      const k = first + r;
      const i = this.order[k]!;
      row.root.hidden = false;
      row.root.style.transform = `translateY(${k * ROW_HEIGHT}px)`;
      row.root.classList.toggle('selected', i === this.selected);
      row.root.setAttribute('aria-selected', String(i === this.selected));
      if (row.index === i) continue;
      row.index = i;
      const t = data.type[i]!;
      const review = data.review[i]!;
      row.root.dataset['index'] = String(i);
      row.root.dataset['eventId'] = data.id[i]!;
      row.root.classList.toggle('rejected', review === 2);
      row.date.textContent = data.date[i] ?? '—';
      row.dot.style.background = TYPE_COLOURS[t]!;
      row.typeLabel.textContent = data.subType[i] ?? TYPE_NAMES[t] ?? '?';
      row.type.title = `${TYPE_NAMES[t] ?? 'Unknown type'} · ${data.subType[i] ?? ''} · ${REVIEW_TITLE[review]}`;
      row.location.textContent = `${REVIEW_MARK[review] ? `${REVIEW_MARK[review]} ` : ''}${data.location[i] ?? '—'}`;
      row.country.textContent = data.country[i] ?? '—';
      const f = data.fatalities[i]!;
      row.fatalities.textContent = Number.isNaN(f) ? '—' : fmtInt(f);
    }
  }
}
