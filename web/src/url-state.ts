// The view's state as a query string: every filter, the brushed date range, the selected event and
// (optionally) the map view, so that a link reproduces what the analyst sees.
import type { ServerFilter } from './api.js';

export interface ViewState {
  type: string;
  subType: string;
  country: string;
  admin1: string;
  actor: string;
  q: string;
  minConfidence: string;
  /** '' = the server's default (everything but rejected events). */
  review: string;
  /** YYYY-MM-DD or ''. */
  from: string;
  to: string;
  event: string;
  /** "lon,lat,zoom" or ''. */
  map: string;
}

const KEYS = ['type', 'subType', 'country', 'admin1', 'actor', 'q', 'minConfidence', 'review', 'from', 'to', 'event', 'map'] as const satisfies readonly (keyof ViewState)[];

export const SERVER_KEYS = ['type', 'subType', 'country', 'admin1', 'actor', 'q', 'minConfidence', 'review'] as const satisfies readonly (keyof ViewState & keyof ServerFilter)[];

const DATE = /^\d{4}-\d{2}-\d{2}$/;

export function emptyState(): ViewState {
  return { type: '', subType: '', country: '', admin1: '', actor: '', q: '', minConfidence: '', review: '', from: '', to: '', event: '', map: '' };
}

export function readState(search: string): ViewState {
  const params = new URLSearchParams(search);
  const state = emptyState();
  for (const k of KEYS) state[k] = params.get(k)?.trim() ?? '';
  if (state.from && !DATE.test(state.from)) state.from = '';
  if (state.to && !DATE.test(state.to)) state.to = '';
  return state;
}

export function writeState(state: ViewState): void {
  const params = new URLSearchParams();
  for (const k of KEYS) if (state[k]) params.set(k, state[k]);
  const qs = params.toString();
  const url = `${location.pathname}${qs ? `?${qs}` : ''}${location.hash}`;
  if (url !== `${location.pathname}${location.search}${location.hash}`) history.replaceState(null, '', url);
}

export function serverFilter(state: ViewState): ServerFilter {
  const f: ServerFilter = {};
  for (const k of SERVER_KEYS) if (state[k]) f[k] = state[k];
  return f;
}

export function serverKey(state: ViewState): string {
  return SERVER_KEYS.map((k) => `${k}=${state[k]}`).join('&');
}
