// The events the server returned for the current filters, held column by column: 100,000 events
// as arrays of primitives filter, sort and draw without allocating an object per event.
import { REVIEW_STATES, TYPE_NAMES, UNKNOWN_TYPE, type CompactResponse } from './types.js';

export interface Dataset {
  readonly n: number;
  /** How many events matched on the server (may exceed n when the row limit was reached). */
  readonly total: number;
  readonly id: string[];
  readonly date: (string | null)[];
  /** Days since 1970-01-01 (UTC); NaN where the event has no date. */
  readonly day: Float64Array;
  /** Index into TYPE_NAMES (UNKNOWN_TYPE for anything else). */
  readonly type: Uint8Array;
  readonly subType: (string | null)[];
  readonly lat: Float64Array;
  readonly lon: Float64Array;
  readonly fatalities: Float64Array;
  readonly location: (string | null)[];
  readonly country: (string | null)[];
  readonly actor1: (string | null)[];
  readonly actor2: (string | null)[];
  readonly confidence: Float64Array;
  /** Index into REVIEW_STATES. */
  readonly review: Uint8Array;
  /** Smallest and largest day, NaN when no event has a date. */
  readonly minDay: number;
  readonly maxDay: number;
  indexOf(id: string): number;
}

const DAY_MS = 86_400_000;

export function dayOf(date: string): number {
  const t = Date.parse(`${date.slice(0, 10)}T00:00:00Z`);
  return Number.isNaN(t) ? NaN : Math.floor(t / DAY_MS);
}

export function dateOfDay(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

const str = (v: unknown): string | null => (v === null || v === undefined || v === '' ? null : String(v));
const num = (v: unknown): number => (v === null || v === undefined || v === '' ? NaN : Number(v));

export function toDataset(res: CompactResponse): Dataset {
  const col = (name: string): number => res.fields.indexOf(name);
  const iId = col('id');
  const iDate = col('date');
  const iType = col('type');
  const iSub = col('sub_type');
  const iLat = col('lat');
  const iLon = col('lon');
  const iFat = col('fatalities');
  const iLoc = col('location');
  const iCountry = col('country');
  const iA1 = col('actor1');
  const iA2 = col('actor2');
  const iConf = col('confidence');
  const iRev = col('review');
  const n = res.rows.length;
  const typeIndex = new Map<string, number>(TYPE_NAMES.map((t, i) => [t, i]));
  const reviewIndex = new Map<string, number>(REVIEW_STATES.map((r, i) => [r, i]));
  const d = {
    id: new Array<string>(n),
    date: new Array<string | null>(n),
    day: new Float64Array(n),
    type: new Uint8Array(n),
    subType: new Array<string | null>(n),
    lat: new Float64Array(n),
    lon: new Float64Array(n),
    fatalities: new Float64Array(n),
    location: new Array<string | null>(n),
    country: new Array<string | null>(n),
    actor1: new Array<string | null>(n),
    actor2: new Array<string | null>(n),
    confidence: new Float64Array(n),
    review: new Uint8Array(n),
  };
  let minDay = Infinity;
  let maxDay = -Infinity;
  // Dates repeat a lot; parse each distinct one once.
  const dayCache = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const r = res.rows[i]!;
    d.id[i] = String(r[iId]);
    const date = str(r[iDate]);
    d.date[i] = date;
    let day = NaN;
    if (date) {
      const cached = dayCache.get(date);
      day = cached ?? dayOf(date);
      if (cached === undefined) dayCache.set(date, day);
    }
    d.day[i] = day;
    if (day < minDay) minDay = day;
    if (day > maxDay) maxDay = day;
    d.type[i] = typeIndex.get(String(r[iType])) ?? UNKNOWN_TYPE;
    d.subType[i] = str(r[iSub]);
    d.lat[i] = num(r[iLat]);
    d.lon[i] = num(r[iLon]);
    d.fatalities[i] = num(r[iFat]);
    d.location[i] = str(r[iLoc]);
    d.country[i] = str(r[iCountry]);
    d.actor1[i] = iA1 >= 0 ? str(r[iA1]) : null;
    d.actor2[i] = iA2 >= 0 ? str(r[iA2]) : null;
    d.confidence[i] = num(r[iConf]);
    d.review[i] = reviewIndex.get(String(r[iRev] ?? 'unreviewed')) ?? 0;
  }
  let index: Map<string, number> | null = null;
  return {
    n,
    total: typeof res.total === 'number' ? res.total : n,
    ...d,
    minDay: Number.isFinite(minDay) ? minDay : NaN,
    maxDay: Number.isFinite(maxDay) ? maxDay : NaN,
    indexOf(id: string): number {
      if (!index) {
        index = new Map();
        for (let i = 0; i < n; i++) index.set(d.id[i]!, i);
      }
      return index.get(id) ?? -1;
    },
  };
}

/** The events whose day lies in [from, to] (inclusive; either end may be open), in dataset order. */
export function selectByDate(data: Dataset, fromDay: number, toDay: number): Uint32Array {
  if (Number.isNaN(fromDay) && Number.isNaN(toDay)) {
    const all = new Uint32Array(data.n);
    for (let i = 0; i < data.n; i++) all[i] = i;
    return all;
  }
  const lo = Number.isNaN(fromDay) ? -Infinity : fromDay;
  const hi = Number.isNaN(toDay) ? Infinity : toDay;
  const out = new Uint32Array(data.n);
  let k = 0;
  for (let i = 0; i < data.n; i++) {
    const d = data.day[i]!;
    if (d >= lo && d <= hi) out[k++] = i;
  }
  return out.subarray(0, k);
}
