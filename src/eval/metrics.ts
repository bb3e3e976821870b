// The metrics of EVAL.md, key for key. Per document, gold events are matched one-to-one to predicted
// events, greedily in gold order, each to the unused prediction with the highest agreement (ties to the
// earlier prediction); then each field is scored over gold events that have it.

export interface GoldDoc {
  id: string;
  date?: string | null;
  text?: string;
  events: Record<string, unknown>[];
  score?: { date?: boolean; type?: boolean };
}

export interface PredDoc {
  id: string;
  events: Record<string, unknown>[];
}

export const SHARE_KEYS = [
  'event_type',
  'sub_event_type',
  'event_date',
  'country',
  'admin1',
  'location',
  'actor1',
  'actor2',
  'fatalities',
  'injuries',
  'geo_25km',
  'geo_161km',
  'event_type_weighted_f1',
  'event_type_macro_f1',
  'sub_event_type_weighted_f1',
  'sub_event_type_macro_f1',
  'no_event_when_none',
] as const;
export type ShareKey = (typeof SHARE_KEYS)[number];

export type Metrics = { [K in ShareKey]: number | null } & {
  gold_events: number;
  pred_events: number;
  extra_events: number;
  overgeneration: number;
  docs_missing_in_pred: number;
  n: { [K in ShareKey]: number };
};

const NAME_FIELDS = ['country', 'admin1', 'location', 'actor1', 'actor2'] as const;
const EXACT_FIELDS = ['event_type', 'sub_event_type', 'event_date'] as const;
const NUMBER_FIELDS = ['fatalities', 'injuries'] as const;
const DROPPED_WORDS = new Set(['the', 'of', 'al', 'el']);

/** Names compared as EVAL.md says: no parentheses, case, accents, punctuation, or the/of/al/el. */
export function normaliseName(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  let s = value;
  // drop parenthesised groups with their content, innermost first
  for (let prev = ''; prev !== s; ) {
    prev = s;
    s = s.replace(/\([^()]*\)/g, ' ');
  }
  s = s.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
  s = s.replace(/['’‘`ʼ]/g, '');
  const words = s.split(/[^\p{L}\p{N}]+/u).filter((w) => w !== '' && !DROPPED_WORDS.has(w));
  return words.join(' ');
}

function present(v: unknown): boolean {
  return v !== null && v !== undefined;
}

function num(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

export function haversineKm(lat1: number, lon1: number, lat2: number, lon2: number): number {
  const rad = Math.PI / 180;
  const dLat = (lat2 - lat1) * rad;
  const dLon = (lon2 - lon1) * rad;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * rad) * Math.cos(lat2 * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371 * Math.asin(Math.min(1, Math.sqrt(a)));
}

function distanceKm(g: Record<string, unknown>, p: Record<string, unknown>): number | null {
  const [glat, glon, plat, plon] = [num(g.latitude), num(g.longitude), num(p.latitude), num(p.longitude)];
  if (glat === null || glon === null || plat === null || plon === null) return null;
  return haversineKm(glat, glon, plat, plon);
}

function sameValue(a: unknown, b: unknown): boolean {
  return present(a) && present(b) && a === b;
}

function sameName(a: unknown, b: unknown): boolean {
  const na = normaliseName(a);
  const nb = normaliseName(b);
  return na !== null && nb !== null && na === nb;
}

/** Agreement between a gold and a predicted event, as EVAL.md weighs it. */
export function agreement(g: Record<string, unknown>, p: Record<string, unknown>): number {
  let score = 0;
  if (sameValue(g.event_type, p.event_type)) score += 2;
  if (sameValue(g.sub_event_type, p.sub_event_type)) score += 2;
  if (sameValue(g.event_date, p.event_date)) score += 1;
  const d = distanceKm(g, p);
  if (d !== null && d <= 50) score += 1;
  if (sameName(g.location, p.location)) score += 1;
  return score;
}

/** Greedy one-to-one matching in gold order; returns for each gold event the index of its prediction or -1. */
export function matchEvents(gold: readonly Record<string, unknown>[], pred: readonly Record<string, unknown>[]): number[] {
  const used = new Uint8Array(pred.length);
  return gold.map((g) => {
    let best = -1;
    let bestScore = -1;
    pred.forEach((p, j) => {
      if (used[j]) return;
      const s = agreement(g, p);
      if (s > bestScore) {
        bestScore = s;
        best = j;
      }
    });
    if (best >= 0) used[best] = 1;
    return best;
  });
}

class Share {
  hits = 0;
  n = 0;
  add(hit: boolean): void {
    this.n++;
    if (hit) this.hits++;
  }
  value(): number | null {
    return this.n === 0 ? null : this.hits / this.n;
  }
}

/** F1 per gold label over matched pairs; a missing prediction is the label NONE. */
export function labelF1(pairs: readonly [string, string][]): { weighted: number | null; macro: number | null; perLabel: Map<string, { precision: number; recall: number; f1: number; support: number }> } {
  const perLabel = new Map<string, { precision: number; recall: number; f1: number; support: number }>();
  const goldLabels = new Set(pairs.map(([g]) => g));
  let weighted = 0;
  let macro = 0;
  for (const label of goldLabels) {
    let tp = 0;
    let predicted = 0;
    let support = 0;
    for (const [g, p] of pairs) {
      if (g === label) support++;
      if (p === label) predicted++;
      if (g === label && p === label) tp++;
    }
    const precision = predicted ? tp / predicted : 0;
    const recall = support ? tp / support : 0;
    const f1 = precision + recall ? (2 * precision * recall) / (precision + recall) : 0;
    perLabel.set(label, { precision, recall, f1, support });
    weighted += f1 * support;
    macro += f1;
  }
  return {
    weighted: pairs.length ? weighted / pairs.length : null,
    macro: goldLabels.size ? macro / goldLabels.size : null,
    perLabel,
  };
}

export interface EvalResult {
  metrics: Metrics;
  /** (gold label, predicted label) pairs, for the per-label table */
  pairs: { event_type: [string, string][]; sub_event_type: [string, string][] };
}

export function evaluate(goldDocs: Iterable<GoldDoc>, predictions: ReadonlyMap<string, PredDoc>): EvalResult {
  const shares = new Map<ShareKey, Share>(SHARE_KEYS.map((k) => [k, new Share()]));
  const share = (k: ShareKey): Share => shares.get(k)!;
  const pairs = { event_type: [] as [string, string][], sub_event_type: [] as [string, string][] };
  let goldEvents = 0;
  let predEvents = 0;
  let extra = 0;
  let missing = 0;
  let docs = 0;

  for (const doc of goldDocs) {
    docs++;
    const pred = predictions.get(doc.id);
    if (!pred) missing++;
    const pe = pred?.events ?? [];
    const ge = doc.events;
    goldEvents += ge.length;
    predEvents += pe.length;
    extra += Math.max(0, pe.length - ge.length);
    if (ge.length === 0) share('no_event_when_none').add(pe.length === 0);
    const scoreDate = doc.score?.date !== false;
    const scoreType = doc.score?.type !== false;
    const match = matchEvents(ge, pe);

    ge.forEach((g, i) => {
      const p = match[i]! >= 0 ? pe[match[i]!]! : null;
      for (const f of EXACT_FIELDS) {
        if (!present(g[f])) continue;
        if (f === 'event_date' ? !scoreDate : !scoreType) continue;
        share(f).add(p !== null && sameValue(g[f], p[f]));
      }
      for (const f of NAME_FIELDS) if (present(g[f])) share(f).add(p !== null && sameName(g[f], p[f]));
      for (const f of NUMBER_FIELDS) if (present(g[f])) share(f).add(p !== null && num(g[f]) !== null && num(g[f]) === num(p[f]));
      if (num(g.latitude) !== null && num(g.longitude) !== null) {
        const d = p ? distanceKm(g, p) : null;
        share('geo_25km').add(d !== null && d <= 25);
        share('geo_161km').add(d !== null && d <= 161);
      }
      if (scoreType) {
        for (const f of ['event_type', 'sub_event_type'] as const) {
          if (typeof g[f] !== 'string') continue;
          const predicted = p && typeof p[f] === 'string' ? (p[f] as string) : 'NONE';
          pairs[f].push([g[f] as string, predicted]);
        }
      }
    });
  }

  const values = Object.fromEntries(SHARE_KEYS.map((k) => [k, shares.get(k)!.value()])) as { [K in ShareKey]: number | null };
  const n = Object.fromEntries(SHARE_KEYS.map((k) => [k, shares.get(k)!.n])) as { [K in ShareKey]: number };
  for (const f of ['event_type', 'sub_event_type'] as const) {
    const r = labelF1(pairs[f]);
    values[`${f}_weighted_f1`] = r.weighted;
    values[`${f}_macro_f1`] = r.macro;
    n[`${f}_weighted_f1`] = pairs[f].length;
    n[`${f}_macro_f1`] = pairs[f].length;
  }
  return {
    metrics: { ...values, gold_events: goldEvents, pred_events: predEvents, extra_events: extra, overgeneration: docs ? extra / docs : 0, docs_missing_in_pred: missing, n },
    pairs,
  };
}

/** A readable per-label table for `sitrep eval --by`. */
export function perLabelTable(pairs: readonly [string, string][]): string {
  const { perLabel } = labelF1(pairs);
  const rows = [...perLabel.entries()].sort((a, b) => b[1].support - a[1].support);
  const width = Math.max(12, ...rows.map(([l]) => l.length));
  const pct = (x: number): string => (x * 100).toFixed(1).padStart(6);
  const lines = [`${'label'.padEnd(width)}  support  precision  recall     f1`];
  for (const [label, r] of rows) lines.push(`${label.padEnd(width)}  ${String(r.support).padStart(7)}  ${pct(r.precision)}%   ${pct(r.recall)}%  ${pct(r.f1)}%`);
  return lines.join('\n');
}
