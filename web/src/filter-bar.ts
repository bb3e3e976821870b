// The filter bar. Dates filter in the browser (instantly, and the timeline keeps the full range);
// everything else goes to the server. Typed filters wait for a pause in typing.
import type { Dataset } from './dataset.js';
import { debounce, el } from './dom.js';
import { EVENT_TYPES, TYPE_NAMES, type EventType } from './types.js';
import type { ViewState } from './url-state.js';

type Patch = Partial<ViewState>;

export class FilterBar {
  readonly element: HTMLElement;
  private readonly inputs: Partial<Record<keyof ViewState, HTMLInputElement | HTMLSelectElement>> = {};
  private readonly countries: HTMLDataListElement;
  private readonly subType: HTMLSelectElement;

  constructor(private readonly onChange: (patch: Patch) => void) {
    const typeSelect = el('select', { name: 'type', 'data-testid': 'filter-type', 'aria-label': 'Event type' }, el('option', { value: '' }, 'All types'), ...TYPE_NAMES.map((t) => el('option', { value: t }, t)));
    this.subType = el('select', { name: 'subType', 'data-testid': 'filter-subtype', 'aria-label': 'Sub-event type' });
    this.fillSubTypes('');
    this.countries = el('datalist', { id: 'country-options' });
    const review = el(
      'select',
      { name: 'review', 'data-testid': 'filter-review', 'aria-label': 'Review status' },
      el('option', { value: '' }, 'Not rejected'),
      el('option', { value: 'all' }, 'All statuses'),
      el('option', { value: 'unreviewed' }, 'Unreviewed'),
      el('option', { value: 'confirmed' }, 'Confirmed'),
      el('option', { value: 'rejected' }, 'Rejected'),
    );
    const text = (name: keyof ViewState, placeholder: string, attrs: Record<string, string> = {}): HTMLInputElement =>
      el('input', { name, placeholder, 'aria-label': placeholder, autocomplete: 'off', spellcheck: 'false', 'data-testid': `filter-${name.toLowerCase()}`, ...attrs });
    const from = el('input', { type: 'date', name: 'from', 'aria-label': 'From date', 'data-testid': 'filter-from' });
    const to = el('input', { type: 'date', name: 'to', 'aria-label': 'To date', 'data-testid': 'filter-to' });
    const q = text('q', 'Search reports  ( / )', { type: 'search' });
    const country = text('country', 'Country', { list: 'country-options' });
    const admin1 = text('admin1', 'Admin 1');
    const actor = text('actor', 'Actor');
    const minConfidence = el('input', { type: 'number', name: 'minConfidence', min: '0', max: '1', step: '0.05', placeholder: '0–1', 'aria-label': 'Minimum confidence', 'data-testid': 'filter-minconfidence', class: 'narrow' });
    Object.assign(this.inputs, { from, to, type: typeSelect, subType: this.subType, country, admin1, actor, q, minConfidence, review });

    const reset = el('button', { type: 'button', class: 'link-button', 'data-testid': 'filter-reset' }, 'Reset');
    reset.addEventListener('click', () => this.onChange({ from: '', to: '', type: '', subType: '', country: '', admin1: '', actor: '', q: '', minConfidence: '', review: '' }));

    const field = (label: string, ...controls: HTMLElement[]): HTMLElement => el('label', { class: 'field' }, el('span', { class: 'field-label' }, label), ...controls);
    this.element = el(
      'div',
      { class: 'filter-bar', role: 'search' },
      field('Search', q),
      field('From', from),
      field('To', to),
      field('Type', typeSelect),
      field('Sub-type', this.subType),
      field('Country', country, this.countries),
      field('Admin 1', admin1),
      field('Actor', actor),
      field('Min. conf.', minConfidence),
      field('Review', review),
      reset,
    );

    const typed = debounce((patch: Patch) => this.onChange(patch), 350);
    for (const [name, input] of Object.entries(this.inputs) as [keyof ViewState, HTMLInputElement | HTMLSelectElement][]) {
      const immediate = input instanceof HTMLSelectElement || name === 'from' || name === 'to';
      input.addEventListener(immediate ? 'change' : 'input', () => {
        const patch: Patch = { [name]: input.value.trim() };
        if (name === 'type') {
          this.fillSubTypes(input.value);
          patch.subType = '';
        }
        if (immediate) this.onChange(patch);
        else typed(patch);
      });
      if (!immediate) {
        input.addEventListener('keydown', (e) => {
          if ((e as KeyboardEvent).key === 'Enter') {
            typed.cancel();
            this.onChange({ [name]: input.value.trim() });
          }
        });
      }
    }
  }

  private fillSubTypes(type: string): void {
    const select = this.subType;
    const keep = select.value;
    while (select.firstChild) select.removeChild(select.firstChild);
    select.appendChild(el('option', { value: '' }, 'All sub-types'));
    const types = type && type in EVENT_TYPES ? [type as EventType] : TYPE_NAMES;
    for (const t of types) {
      select.appendChild(el('optgroup', { label: t }, ...EVENT_TYPES[t].map((s) => el('option', { value: s }, s))));
    }
    select.value = keep;
    if (select.value !== keep) select.value = '';
  }

  /** Show a state (from the URL, the brush or a reset) without firing changes. */
  setState(state: ViewState): void {
    if (this.inputs.type && this.inputs.type.value !== state.type) {
      this.inputs.type.value = state.type;
      this.fillSubTypes(state.type);
    }
    for (const [name, input] of Object.entries(this.inputs) as [keyof ViewState, HTMLInputElement | HTMLSelectElement][]) {
      if (document.activeElement === input && name !== 'from' && name !== 'to') continue;
      if (input.value !== state[name]) input.value = state[name];
    }
  }

  /** Offer the countries present in the data. */
  setData(data: Dataset): void {
    const names = [...new Set(data.country.filter((c): c is string => !!c))].sort();
    while (this.countries.firstChild) this.countries.removeChild(this.countries.firstChild);
    for (const c of names.slice(0, 300)) this.countries.appendChild(el('option', { value: c }));
  }

  focusSearch(): void {
    const q = this.inputs.q as HTMLInputElement;
    q.focus();
    q.select();
  }
}
