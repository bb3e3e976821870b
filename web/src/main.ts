// The analyst's workbench: wires the filter bar, map, timeline, event list and detail panel to the
// API and to the URL. Data flow: server filters → one compact fetch → a columnar Dataset; the date
// range (brush) → the indices shown by map, list and status, computed in the browser.
import './style.css';
import * as api from './api.js';
import { dayOf, selectByDate, toDataset, type Dataset } from './dataset.js';
import { DetailPanel, type ReviewAction } from './detail.js';
import { debounce, el, fmtInt } from './dom.js';
import { EventList, orderFor, type ListSort } from './event-list.js';
import { FilterBar } from './filter-bar.js';
import { MapView } from './map-view.js';
import { settingsControl } from './settings.js';
import { Timeline, TYPE_LEGEND } from './timeline.js';
import { toast, toastError } from './toast.js';
import type { SitrepProbe } from '../../src/probe.js';
import type { ChangeMessage, EventDetail } from './types.js';
import { readState, serverFilter, serverKey, writeState, type ViewState } from './url-state.js';

export type { SitrepProbe };

declare global {
  interface Window {
    __sitrep: SitrepProbe;
  }
}

window.__sitrep = { ready: false, drawn: 0, renderMs: 0, listed: 0, loaded: 0, error: null, phases: { fetch: 0, dataset: 0, views: 0, map: 0 } };

const $ = <T extends HTMLElement>(selector: string): T => {
  const found = document.querySelector<T>(selector);
  if (!found) throw new Error(`index.html lacks ${selector}`);
  return found;
};

class Workbench {
  private state: ViewState = readState(location.search);
  private data: Dataset | null = null;
  private visible: Uint32Array = new Uint32Array(0);
  private sort: ListSort = 'date-desc';
  private selected = -1;
  private loadedKey: string | null = null;
  private fetchAbort: AbortController | null = null;
  private detailAbort: AbortController | null = null;
  private generation = 0;
  private renderStart = 0;
  private mapBusy = false;
  private mapDirty = false;
  private fitPending: boolean;

  private readonly filters: FilterBar;
  private readonly map: MapView;
  private readonly timeline: Timeline;
  private readonly list: EventList;
  private readonly detail: DetailPanel;
  private readonly statusLine = el('span', { class: 'status', 'data-testid': 'status', role: 'status' }, 'Loading…');
  private readonly markerCount = $('[data-testid="marker-count"]');
  private readonly live = $('[data-testid="live"]');

  constructor() {
    this.fitPending = !this.state.map;
    this.filters = new FilterBar((patch) => this.update(patch));
    $('.filters-slot').appendChild(this.filters.element);
    $('.settings-slot').appendChild(settingsControl());

    this.map = new MapView($('[data-testid="map"]'), { onSelect: (id) => this.select(id), onViewChange: (view) => this.update({ map: view }) }, this.state.map);
    $('.fit-button').addEventListener('click', () => this.data && this.map.fit(this.data, this.visible));
    const legend = $('.map-legend');
    for (const { name, colour } of TYPE_LEGEND) {
      const item = el('button', { type: 'button', class: 'legend-item', title: `Show only ${name}` }, el('span', { class: 'type-dot', style: `background:${colour}` }), name);
      item.addEventListener('click', () => this.update({ type: this.state.type === name ? '' : name, subType: '' }));
      legend.appendChild(item);
    }

    this.timeline = new Timeline((from, to, final) => this.update({ from, to }, final));
    $('.timeline-slot').appendChild(this.timeline.element);

    const sort = el('select', { 'aria-label': 'Sort events', 'data-testid': 'list-sort' }, el('option', { value: 'date-desc' }, 'Newest first'), el('option', { value: 'date-asc' }, 'Oldest first'), el('option', { value: 'fatalities-desc' }, 'Most fatalities'));
    sort.addEventListener('change', () => {
      this.sort = sort.value as ListSort;
      this.render();
    });
    this.list = new EventList((index) => this.data && this.select(this.data.id[index]!), this.statusLine, sort);
    $('.list-slot').appendChild(this.list.element);

    this.detail = new DetailPanel({ close: () => this.closeDetail(), act: (id, action) => this.act(id, action) });
    $('.detail-slot').appendChild(this.detail.element);

    this.filters.setState(this.state);
    this.timeline.setRange(this.state.from, this.state.to);
    document.addEventListener('keydown', (e) => this.keydown(e));
    new ResizeObserver(() => this.map.resize()).observe($('.map-pane'));

    void this.load();
    if (this.state.event) this.select(this.state.event);
    this.subscribe();
  }

  /** Apply a change of filters; dates alone re-render in place, others refetch. */
  private update(patch: Partial<ViewState>, final = true): void {
    const before = serverKey(this.state);
    this.state = { ...this.state, ...patch };
    if (final) writeState(this.state);
    else this.writeUrlSoon();
    if ('from' in patch || 'to' in patch) this.timeline.setRange(this.state.from, this.state.to);
    this.filters.setState(this.state);
    if (serverKey(this.state) !== before) void this.load();
    else if ('from' in patch || 'to' in patch) this.render();
  }

  private readonly writeUrlSoon = debounce(() => writeState(this.state), 200);

  private async load(): Promise<void> {
    const key = serverKey(this.state);
    this.fetchAbort?.abort();
    const abort = new AbortController();
    this.fetchAbort = abort;
    window.__sitrep.ready = false;
    if (!this.data) this.statusLine.textContent = 'Loading…';
    this.statusLine.classList.add('loading');
    let res;
    const fetchStart = performance.now();
    try {
      res = await api.fetchCompact(serverFilter(this.state), abort.signal);
    } catch (err) {
      if (abort.signal.aborted) return;
      this.statusLine.classList.remove('loading');
      this.statusLine.textContent = 'Could not load events';
      window.__sitrep.error = err instanceof Error ? err.message : String(err);
      toastError(err);
      return;
    }
    if (abort.signal.aborted) return;
    this.renderStart = performance.now();
    window.__sitrep.phases.fetch = Math.round(this.renderStart - fetchStart);
    this.statusLine.classList.remove('loading');
    this.data = toDataset(res);
    window.__sitrep.phases.dataset = Math.round(performance.now() - this.renderStart);
    this.loadedKey = key;
    this.filters.setData(this.data);
    this.timeline.setData(this.data);
    this.render(this.renderStart);
  }

  /** Recompute what the date range shows, and draw list, timeline and status now, the map soon. */
  private render(start = performance.now()): void {
    const data = this.data;
    if (!data) return;
    this.generation++;
    this.renderStart = start;
    const viewsStart = performance.now();
    window.__sitrep.ready = false;
    const from = this.state.from ? dayOf(this.state.from) : NaN;
    const to = this.state.to ? dayOf(this.state.to) : NaN;
    this.visible = selectByDate(data, from, to);
    this.list.setData(data, orderFor(data, this.visible, this.sort));
    this.selected = this.state.event ? data.indexOf(this.state.event) : -1;
    this.list.setSelected(this.selected, false);
    this.timeline.paint();
    const shown = this.visible.length;
    const brushed = shown !== data.n;
    let text = brushed ? `${fmtInt(shown)} of ${fmtInt(data.n)} events` : `${fmtInt(data.n)} event${data.n === 1 ? '' : 's'}`;
    if (data.total > data.n) text += ` (first ${fmtInt(data.n)} of ${fmtInt(data.total)})`;
    this.statusLine.textContent = text;
    window.__sitrep.listed = shown;
    window.__sitrep.loaded = data.n;
    if (this.fitPending && data.n) {
      this.fitPending = false;
      this.map.fit(data, this.visible, false);
    }
    window.__sitrep.phases.views = Math.round(performance.now() - viewsStart);
    void this.pumpMap();
  }

  /** Keep at most one map update in flight; the last request wins. */
  private async pumpMap(): Promise<void> {
    if (this.mapBusy) {
      this.mapDirty = true;
      return;
    }
    this.mapBusy = true;
    try {
      do {
        this.mapDirty = false;
        const generation = this.generation;
        const mapStart = performance.now();
        const drawn = await this.map.show(this.data!, this.visible);
        this.map.select(this.data, this.selected);
        if (this.mapDirty || generation !== this.generation) continue;
        this.markerCount.textContent = String(drawn);
        this.markerCount.dataset['count'] = String(drawn);
        window.__sitrep.drawn = drawn;
        window.__sitrep.phases.map = Math.round(performance.now() - mapStart);
        window.__sitrep.phases.mapStyleWait = this.map.timings.styleWait;
        window.__sitrep.phases.mapSetData = this.map.timings.setData;
        window.__sitrep.phases.mapPaint = this.map.timings.paint;
        window.__sitrep.renderMs = Math.round(performance.now() - this.renderStart);
        window.__sitrep.ready = this.loadedKey === serverKey(this.state);
        if (window.__sitrep.ready) window.__sitrep.firstReadyMs ??= Math.round(performance.now());
      } while (this.mapDirty);
    } finally {
      this.mapBusy = false;
    }
  }

  private select(id: string, reveal = true): void {
    if (!id) return;
    this.state.event = id;
    writeState(this.state);
    const data = this.data;
    this.selected = data ? data.indexOf(id) : -1;
    this.list.setSelected(this.selected, reveal);
    this.map.select(data, this.selected);
    void this.loadDetail(id);
  }

  private async loadDetail(id: string): Promise<void> {
    this.detailAbort?.abort();
    const abort = new AbortController();
    this.detailAbort = abort;
    this.detail.loading(id);
    try {
      const d = await api.fetchEvent(id, abort.signal);
      if (abort.signal.aborted) return;
      this.showDetail(d, id);
    } catch (err) {
      if (abort.signal.aborted) return;
      this.detail.failed(id, err instanceof Error ? err.message : String(err));
    }
  }

  private showDetail(d: EventDetail, requestedId?: string): void {
    this.detail.show(d, requestedId);
    const id = d.event.event_id;
    if (id !== this.state.event) {
      this.state.event = id;
      writeState(this.state);
      this.selected = this.data ? this.data.indexOf(id) : -1;
      this.list.setSelected(this.selected);
      this.map.select(this.data, this.selected);
    }
    this.map.reveal(d.event.latitude, d.event.longitude);
  }

  private closeDetail(): void {
    this.detailAbort?.abort();
    this.state.event = '';
    writeState(this.state);
    this.selected = -1;
    this.detail.hide();
    this.list.setSelected(-1, false);
    this.map.select(null, -1);
  }

  private async act(id: string, action: ReviewAction): Promise<boolean> {
    try {
      let d: EventDetail;
      switch (action.kind) {
        case 'confirm':
          d = await api.confirmEvent(id);
          break;
        case 'reject':
          d = await api.rejectEvent(id);
          break;
        case 'edit':
          d = await api.editEvent(id, action.fields, action.note);
          break;
        case 'merge':
          d = await api.mergeEvents(id, action.others);
          break;
        case 'split':
          d = await api.splitEvent(id);
          break;
      }
      this.showDetail(d);
      const what = { confirm: 'Confirmed', reject: 'Rejected', edit: 'Saved', merge: 'Merged', split: 'Split' }[action.kind];
      toast(action.kind === 'split' && d.created?.length ? `${what}: ${d.created.join(', ')}` : `${what} ${d.event.event_id}`);
      void this.load();
      return true;
    } catch (err) {
      toastError(err);
      return false;
    }
  }

  private keydown(e: KeyboardEvent): void {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const target = e.target as HTMLElement | null;
    const typing = !!target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
    if (typing) {
      if (e.key === 'Escape') target.blur();
      return;
    }
    switch (e.key) {
      case 'j':
      case 'k': {
        const next = this.list.neighbour(e.key === 'j' ? 1 : -1);
        if (next >= 0 && this.data) this.select(this.data.id[next]!);
        break;
      }
      case 'c':
        if (this.detail.eventId) this.detail.confirm();
        break;
      case 'x':
        if (this.detail.eventId) this.detail.reject();
        break;
      case 'e':
        if (!this.detail.eventId) return;
        this.detail.openEdit();
        break;
      case '/':
        this.filters.focusSearch();
        break;
      case 'Escape':
        if (!this.detail.open) return;
        this.closeDetail();
        break;
      default:
        return;
    }
    e.preventDefault();
  }

  /** Server-sent changes: refetch (once per burst), and reload the open event if it changed. */
  private subscribe(): void {
    if (typeof EventSource === 'undefined') return;
    const touched = new Set<string>();
    const refresh = debounce(() => {
      void this.load();
      const open = this.detail.eventId;
      if (open && touched.has(open)) void this.loadDetail(open);
      touched.clear();
    }, 700);
    const source = new EventSource('/api/stream');
    source.addEventListener('open', () => {
      this.live.classList.add('on');
      this.live.title = 'Live updates: connected';
    });
    source.addEventListener('error', () => {
      this.live.classList.remove('on');
      this.live.title = 'Live updates: reconnecting…';
    });
    source.addEventListener('change', (ev) => {
      try {
        const msg = JSON.parse((ev as MessageEvent<string>).data) as ChangeMessage;
        touched.add(msg.event_id);
        if (msg.merged_into && msg.event_id === this.detail.eventId) touched.add(msg.event_id);
      } catch {
        // a message we cannot read still means something changed
      }
      refresh();
    });
  }
}

new Workbench();
