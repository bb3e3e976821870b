// The detail panel: every field of the selected event with its precision and evidence, the reports
// that support it with the evidence marked, how it was merged, its audit log, and the review
// actions. Everything from the server is set as text.
import { append, clear, el, fmtInt, safeLink, type Child } from './dom.js';
import { renderEvidenceText } from './evidence.js';
import { EVENT_TYPES, TYPE_COLOURS, TYPE_NAMES, type EventDetail, type EventRecord, type EventType } from './types.js';

export type ReviewAction =
  | { kind: 'confirm' }
  | { kind: 'reject' }
  | { kind: 'edit'; fields: Record<string, unknown>; note?: string }
  | { kind: 'merge'; others: string[] }
  | { kind: 'split' };

export interface DetailHandlers {
  close(): void;
  act(id: string, action: ReviewAction): Promise<boolean>;
}

const INTER: Record<number, string> = {
  1: 'State forces',
  2: 'Rebel group',
  3: 'Political militia',
  4: 'Identity militia',
  5: 'Rioters',
  6: 'Protesters',
  7: 'Civilians',
  8: 'External/other forces',
};
const TIME_PRECISION: Record<number, string> = { 1: 'the day', 2: 'within a week', 3: 'within a month' };
const GEO_PRECISION: Record<number, string> = { 1: 'the named town', 2: 'part of or near it', 3: 'only the region' };

/** The fields the server lets an analyst correct (EDITABLE_FIELDS in src/store/store.ts), and how a typed value becomes JSON. */
const EDITABLE: { field: keyof EventRecord; kind: 'string' | 'int' | 'number' }[] = [
  { field: 'event_type', kind: 'string' },
  { field: 'sub_event_type', kind: 'string' },
  { field: 'event_date', kind: 'string' },
  { field: 'time_precision', kind: 'int' },
  { field: 'actor1', kind: 'string' },
  { field: 'assoc_actor_1', kind: 'string' },
  { field: 'inter1', kind: 'int' },
  { field: 'actor2', kind: 'string' },
  { field: 'assoc_actor_2', kind: 'string' },
  { field: 'inter2', kind: 'int' },
  { field: 'country', kind: 'string' },
  { field: 'iso2', kind: 'string' },
  { field: 'admin1', kind: 'string' },
  { field: 'admin2', kind: 'string' },
  { field: 'location', kind: 'string' },
  { field: 'latitude', kind: 'number' },
  { field: 'longitude', kind: 'number' },
  { field: 'geo_precision', kind: 'int' },
  { field: 'fatalities', kind: 'int' },
  { field: 'injuries', kind: 'int' },
];

/** The JSON value for a typed value; throws with a message the analyst can act on. */
export function parseFieldValue(field: string, raw: string): unknown {
  const spec = EDITABLE.find((e) => e.field === field);
  const text = raw.trim();
  const empty = text === '' || text === 'null';
  switch (spec?.kind ?? 'string') {
    case 'string':
      return empty ? null : text;
    case 'int':
    case 'number': {
      if (empty) return null;
      const n = Number(text);
      if (!Number.isFinite(n) || (spec?.kind === 'int' && !Number.isInteger(n))) throw new Error(`${field} takes ${spec?.kind === 'int' ? 'a whole number' : 'a number'} (or empty for none)`);
      return n;
    }
  }
}

function valueText(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (Array.isArray(v)) return v.join(', ');
  return String(v);
}

function shown(v: unknown): string {
  if (v === null || v === undefined || v === '') return '—';
  if (Array.isArray(v)) return v.length ? v.join(', ') : '—';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
}

interface FieldRow {
  label: string;
  /** The evidence key whose spans support this row. */
  evidence?: string;
  value(e: EventRecord): Child;
  note?(e: EventRecord): string | null;
}

const FIELD_LABEL: Record<string, string> = {
  event_type: 'Event type',
  sub_event_type: 'Sub-event type',
  event_date: 'Date',
  actor1: 'Actor 1',
  assoc_actor_1: 'Assoc. actor 1',
  actor2: 'Actor 2',
  assoc_actor_2: 'Assoc. actor 2',
  country: 'Country',
  admin1: 'Admin 1',
  admin2: 'Admin 2',
  location: 'Location',
  fatalities: 'Fatalities',
  injuries: 'Injuries',
};
export const fieldLabel = (f: string): string => FIELD_LABEL[f] ?? f;

const inter = (n: number | null): string | null => (n === null ? null : `inter ${n}: ${INTER[n] ?? '?'}`);

const FIELD_ROWS: FieldRow[] = [
  { label: 'Event type', evidence: 'event_type', value: (e) => e.event_type },
  { label: 'Sub-event type', evidence: 'sub_event_type', value: (e) => e.sub_event_type },
  {
    label: 'Date',
    evidence: 'event_date',
    value: (e) => shown(e.event_date),
    note: (e) => (e.time_precision ? `precision ${e.time_precision}: ${TIME_PRECISION[e.time_precision] ?? '?'}` : null),
  },
  { label: 'Background', value: (e) => (e.background ? 'yes, recalled as context' : 'no') },
  { label: 'Actor 1', evidence: 'actor1', value: (e) => shown(e.actor1), note: (e) => inter(e.inter1) },
  { label: 'Assoc. actor 1', evidence: 'assoc_actor_1', value: (e) => shown(e.assoc_actor_1) },
  { label: 'Actor 2', evidence: 'actor2', value: (e) => shown(e.actor2), note: (e) => inter(e.inter2) },
  { label: 'Assoc. actor 2', evidence: 'assoc_actor_2', value: (e) => shown(e.assoc_actor_2) },
  { label: 'Country', evidence: 'country', value: (e) => shown(e.country), note: (e) => (e.iso2 ? `ISO ${e.iso2}` : null) },
  { label: 'Admin 1', evidence: 'admin1', value: (e) => shown(e.admin1) },
  { label: 'Admin 2', evidence: 'admin2', value: (e) => shown(e.admin2) },
  { label: 'Location', evidence: 'location', value: (e) => shown(e.location) },
  {
    label: 'Coordinates',
    evidence: 'location',
    value: (e) => (e.latitude === null || e.longitude === null ? '—' : `${e.latitude.toFixed(4)}, ${e.longitude.toFixed(4)}`),
    note: (e) => (e.geo_precision ? `precision ${e.geo_precision}: ${GEO_PRECISION[e.geo_precision] ?? '?'}` : null),
  },
  {
    label: 'Fatalities',
    evidence: 'fatalities',
    value: (e) => shown(e.fatalities),
    note: (e) => (e.fatalities_low !== null || e.fatalities_high !== null ? `range ${shown(e.fatalities_low)}–${shown(e.fatalities_high)}` : null),
  },
  { label: 'Injuries', evidence: 'injuries', value: (e) => shown(e.injuries) },
  {
    label: 'Confidence',
    value: (e) => el('span', { class: 'confidence' }, el('span', { class: 'confidence-bar' }, el('span', { style: `width:${Math.round(Math.max(0, Math.min(1, e.confidence)) * 100)}%` })), ` ${e.confidence.toFixed(2)}`),
  },
  { label: 'Tags', value: (e) => (e.tags.length ? el('span', { class: 'tags' }, ...e.tags.map((t) => el('span', { class: 'tag' }, t))) : '—') },
  { label: 'Sources', value: (e) => shown(e.sources) },
];

export class DetailPanel {
  readonly element: HTMLElement;
  private readonly body: HTMLElement;
  private current: EventDetail | null = null;
  private editForm: HTMLFormElement | null = null;
  private busy = false;

  constructor(private readonly handlers: DetailHandlers) {
    this.body = el('div', { class: 'detail-body' });
    this.element = el('section', { class: 'detail', 'data-testid': 'detail', hidden: true, 'aria-live': 'polite' }, this.body);
  }

  get eventId(): string | null {
    return this.current?.event.event_id ?? null;
  }

  get open(): boolean {
    return !this.element.hidden;
  }

  hide(): void {
    this.element.hidden = true;
    this.current = null;
    clear(this.body);
  }

  loading(id: string): void {
    this.element.hidden = false;
    if (this.current?.event.event_id === id) return;
    clear(this.body);
    append(this.body, this.closeButton(), el('p', { class: 'muted' }, `Loading ${id}…`));
  }

  failed(id: string, message: string): void {
    this.current = null;
    this.element.hidden = false;
    clear(this.body);
    append(this.body, this.closeButton(), el('p', { class: 'error-text' }, `Could not load ${id}: ${message}`));
  }

  private closeButton(): HTMLElement {
    const b = el('button', { type: 'button', class: 'icon-button detail-close', title: 'Close (Esc)', 'aria-label': 'Close detail' }, '×');
    b.addEventListener('click', () => this.handlers.close());
    return b;
  }

  show(detail: EventDetail, requestedId?: string): void {
    const scroll = this.current?.event.event_id === detail.event.event_id ? this.element.scrollTop : 0;
    this.current = detail;
    this.editForm = null;
    this.element.hidden = false;
    clear(this.body);
    const e = detail.event;
    const t = TYPE_NAMES.indexOf(e.event_type as EventType);
    const review = e.review ?? 'unreviewed';
    append(
      this.body,
      this.closeButton(),
      el(
        'header',
        { class: 'detail-head' },
        el('span', { class: 'type-dot big', style: `background:${TYPE_COLOURS[t >= 0 ? t : TYPE_COLOURS.length - 1]}` }),
        el('div', {}, el('h2', {}, `${e.sub_event_type}`), el('div', { class: 'muted' }, `${e.event_type} · ${e.event_date ?? 'undated'} · ${e.location ?? e.country ?? 'unplaced'}`)),
      ),
      el('div', { class: 'detail-id' }, el('code', { 'data-testid': 'detail-id' }, e.event_id), el('span', { class: `badge review-${review}`, 'data-testid': 'detail-review' }, review)),
      requestedId && requestedId !== e.event_id ? el('p', { class: 'notice' }, `${requestedId} was merged into this event.`) : null,
      this.reviewBar(e),
      this.fieldTable(e),
      this.reports(detail),
      this.merges(detail),
      this.audit(detail),
    );
    this.element.scrollTop = scroll;
  }

  private reviewBar(e: EventRecord): HTMLElement {
    const button = (label: string, testid: string, title: string, onClick: () => void, cls = ''): HTMLButtonElement => {
      const b = el('button', { type: 'button', class: `review-button ${cls}`, 'data-testid': testid, title }, label);
      b.addEventListener('click', onClick);
      return b;
    };
    const bar = el(
      'div',
      { class: 'review-bar', role: 'toolbar', 'aria-label': 'Review' },
      button('Confirm', 'review-confirm', 'Confirm this event (c)', () => this.confirm(), 'confirm'),
      button('Reject', 'review-reject', 'Reject this event (x)', () => this.reject(), 'reject'),
      button('Edit', 'review-edit', 'Edit a field (e)', () => this.openEdit()),
      button('Merge', 'review-merge', 'Merge other events into this one', () => this.openMerge()),
      button('Split', 'review-split', 'Split this event back into its reports’ events', () => {
        if (window.confirm(`Split ${e.event_id} into one event per supporting report?`)) void this.run({ kind: 'split' });
      }),
    );
    return el('div', { class: 'review' }, bar, el('div', { class: 'review-form-slot' }));
  }

  private async run(action: ReviewAction): Promise<boolean> {
    const id = this.current?.event.event_id;
    if (!id || this.busy) return false;
    this.busy = true;
    this.element.classList.add('busy');
    try {
      return await this.handlers.act(id, action);
    } finally {
      this.busy = false;
      this.element.classList.remove('busy');
    }
  }

  confirm(): void {
    void this.run({ kind: 'confirm' });
  }

  reject(): void {
    void this.run({ kind: 'reject' });
  }

  private formSlot(): HTMLElement | null {
    return this.body.querySelector<HTMLElement>('.review-form-slot');
  }

  /**
   * The edit form: a field and its new value. A kind and its sub-type change together (the server
   * refuses a sub-type of another kind), so choosing either shows both as lists.
   */
  openEdit(field?: string): void {
    const e = this.current?.event;
    const slot = this.formSlot();
    if (!e || !slot) return;
    clear(slot);
    const select = el('select', { name: 'field', 'data-testid': 'edit-field', 'aria-label': 'Field' }, ...EDITABLE.map((f) => el('option', { value: f.field }, f.field)));
    const input = el('input', { name: 'value', 'data-testid': 'edit-value', 'aria-label': 'New value', autocomplete: 'off' });
    const typeSelect = el('select', { name: 'event_type', 'aria-label': 'Event type' }, ...TYPE_NAMES.map((t) => el('option', { value: t }, t)));
    const subSelect = el('select', { name: 'sub_event_type', 'aria-label': 'Sub-event type' });
    const fillSubs = (): void => {
      clear(subSelect);
      for (const s of EVENT_TYPES[typeSelect.value as EventType] ?? []) subSelect.appendChild(el('option', { value: s }, s));
    };
    typeSelect.addEventListener('change', fillSubs);
    const note = el('input', { name: 'note', placeholder: 'note (optional)', 'aria-label': 'Note', autocomplete: 'off' });
    const save = el('button', { type: 'submit', class: 'primary', 'data-testid': 'edit-save' }, 'Save');
    const cancel = el('button', { type: 'button' }, 'Cancel');
    const form = el('form', { class: 'review-form', 'data-testid': 'edit-form' }, select, input, typeSelect, subSelect, note, save, cancel);
    const isKind = (): boolean => select.value === 'event_type' || select.value === 'sub_event_type';
    const prefill = (): void => {
      const kind = isKind();
      input.hidden = kind;
      typeSelect.hidden = !kind;
      subSelect.hidden = !kind;
      if (kind) {
        typeSelect.value = e.event_type;
        fillSubs();
        subSelect.value = e.sub_event_type;
      } else {
        input.value = valueText(e[select.value as keyof EventRecord]);
      }
    };
    if (field && EDITABLE.some((f) => f.field === field)) select.value = field;
    prefill();
    select.addEventListener('change', () => {
      prefill();
      if (!isKind()) {
        input.focus();
        input.select();
      }
    });
    cancel.addEventListener('click', () => clear(slot));
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      let fields: Record<string, unknown>;
      if (isKind()) {
        fields = { event_type: typeSelect.value, sub_event_type: subSelect.value };
      } else {
        try {
          fields = { [select.value]: parseFieldValue(select.value, input.value) };
        } catch (err) {
          input.setCustomValidity(err instanceof Error ? err.message : String(err));
          input.reportValidity();
          return;
        }
      }
      const text = note.value.trim();
      void this.run(text ? { kind: 'edit', fields, note: text } : { kind: 'edit', fields });
    });
    input.addEventListener('input', () => input.setCustomValidity(''));
    form.addEventListener('keydown', (ev) => {
      if (ev.key === 'Escape') {
        ev.stopPropagation();
        clear(slot);
      }
    });
    slot.appendChild(form);
    this.editForm = form;
    select.focus();
  }

  private openMerge(): void {
    const slot = this.formSlot();
    if (!slot || !this.current) return;
    clear(slot);
    const input = el('input', { name: 'others', placeholder: 'event ids to merge into this one, comma-separated', 'aria-label': 'Event ids', 'data-testid': 'merge-ids', autocomplete: 'off' });
    const form = el('form', { class: 'review-form' }, input, el('button', { type: 'submit', class: 'primary' }, 'Merge'), el('button', { type: 'button', class: 'cancel' }, 'Cancel'));
    form.querySelector('.cancel')!.addEventListener('click', () => clear(slot));
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      const others = input.value.split(/[\s,]+/).filter(Boolean);
      if (others.length) void this.run({ kind: 'merge', others });
    });
    slot.appendChild(form);
    input.focus();
  }

  get editing(): boolean {
    return this.editForm !== null && this.editForm.isConnected;
  }

  private fieldTable(e: EventRecord): HTMLElement {
    const evidence = this.allEvidence();
    const table = el('table', { class: 'fields' });
    for (const row of FIELD_ROWS) {
      const spans = row.evidence ? evidence.get(row.evidence) ?? 0 : 0;
      const note = row.note?.(e) ?? null;
      const tr = el(
        'tr',
        { class: spans ? 'has-evidence' : '', 'data-field': row.evidence ?? null },
        el('th', { scope: 'row' }, row.label),
        el('td', {}, el('span', { class: 'field-value' }, row.value(e)), note ? el('div', { class: 'muted small' }, note) : null),
        el('td', { class: 'evidence-count', title: spans ? `${spans} evidence span${spans === 1 ? '' : 's'}: hover to highlight` : '' }, spans ? `◆ ${spans}` : ''),
      );
      if (row.evidence && spans) {
        const field = row.evidence;
        tr.addEventListener('mouseenter', () => this.highlight(field, true));
        tr.addEventListener('mouseleave', () => this.highlight(field, false));
        tr.addEventListener('click', () => this.body.querySelector(`mark.evidence[data-fields~="${CSS.escape(field)}"]`)?.scrollIntoView({ block: 'center', behavior: 'smooth' }));
      }
      table.appendChild(tr);
    }
    return el('div', { class: 'detail-section' }, table);
  }

  /** How many spans each evidence key has over all reports. */
  private allEvidence(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const r of this.current?.reports ?? []) {
      for (const [f, spans] of Object.entries(this.reportEvidence(r.id))) counts.set(f, (counts.get(f) ?? 0) + (spans?.length ?? 0));
    }
    return counts;
  }

  private reportEvidence(reportId: string): NonNullable<EventDetail['reports'][number]['evidence']> {
    const d = this.current!;
    const r = d.reports.find((x) => x.id === reportId);
    if (r?.evidence && Object.keys(r.evidence).length) return r.evidence;
    // The event's own evidence points into its first report.
    const first = d.event.sources[0] ?? d.reports[0]?.id;
    return reportId === first ? d.event.evidence ?? {} : {};
  }

  private highlight(field: string, on: boolean): void {
    for (const m of this.body.querySelectorAll(`mark.evidence[data-fields~="${CSS.escape(field)}"]`)) m.classList.toggle('hl', on);
  }

  private reports(d: EventDetail): HTMLElement {
    const section = el('div', { class: 'detail-section' }, el('h3', {}, `Reports (${d.reports.length})`));
    for (const r of d.reports) {
      const text = renderEvidenceText(r.text ?? '', this.reportEvidence(r.id), fieldLabel);
      text.addEventListener('mouseover', (ev) => {
        const fields = (ev.target as HTMLElement).closest('mark')?.getAttribute('data-fields')?.split(' ') ?? [];
        for (const tr of this.body.querySelectorAll<HTMLElement>('tr[data-field]')) tr.classList.toggle('hl', fields.includes(tr.dataset['field'] ?? ''));
      });
      text.addEventListener('mouseleave', () => {
        for (const tr of this.body.querySelectorAll('tr.hl')) tr.classList.remove('hl');
      });
      section.appendChild(
        el(
          'article',
          { class: 'report', 'data-report-id': r.id },
          el('h4', {}, safeLink(r.url, r.title || r.id)),
          el('div', { class: 'muted small' }, [r.title ? r.id : null, r.date, r.source].filter(Boolean).join(' · ')),
          text,
        ),
      );
    }
    return section;
  }

  private merges(d: EventDetail): HTMLElement | null {
    if (!d.merges.length) return null;
    const rows = d.merges.map((m) =>
      el(
        'tr',
        {},
        el('td', {}, el('code', {}, `${m.reportId}#${m.ordinal}`)),
        el('td', { class: 'num' }, m.score === null || m.score === undefined ? '—' : Number(m.score).toFixed(2)),
        el('td', {}, m.reasons.join('; ') || '—'),
        el('td', { class: 'muted small' }, m.at ?? ''),
      ),
    );
    return el(
      'div',
      { class: 'detail-section' },
      el('h3', {}, `Merges (${d.merges.length})`),
      el('table', { class: 'compact' }, el('thead', {}, el('tr', {}, el('th', {}, 'Account'), el('th', {}, 'Score'), el('th', {}, 'Reasons'), el('th', {}, 'At'))), el('tbody', {}, ...rows)),
    );
  }

  private audit(d: EventDetail): HTMLElement {
    const items = d.audit.map((a) =>
      el(
        'li',
        {},
        el('span', { class: 'muted small' }, `${a.at}${a.who ? ` · ${a.who}` : ''}`),
        ' ',
        el('strong', {}, a.action),
        a.field ? ` ${a.field}: ${shown(a.before)} → ${shown(a.after)}` : '',
        a.note ? el('span', { class: 'muted' }, ` “${a.note}”`) : '',
      ),
    );
    return el('div', { class: 'detail-section' }, el('h3', {}, `Audit log (${fmtInt(d.audit.length)})`), items.length ? el('ol', { class: 'audit' }, ...items) : el('p', { class: 'muted' }, 'No changes recorded.'));
  }
}
