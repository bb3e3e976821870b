// Cross-report deduplication: whether an event read from one report is an event already stored from
// another. Candidates are blocked cheaply (the store finds stored events of the same country within the
// dates the two events' time precision allows and within 25 km), then scored here on what reports of
// one incident share: the kind of event, the place by name, the actors, the toll and the words that
// told it. GDELT's best-known failure is one kidnapping counted hundreds of times; ACLED's coders merge
// by hand. The reasons of every merge are kept, so an analyst can see them and undo it.
import { readFileSync } from 'node:fs';
import { haversineKm } from '../eval/metrics.js';
import { dataPath } from '../paths.js';
import type { EventRecord } from '../schema.js';

/** The fields dedup reads from an event (a stored canonical event or one just extracted). */
export type DedupView = Pick<
  EventRecord,
  'event_type' | 'sub_event_type' | 'event_date' | 'time_precision' | 'actor1' | 'actor2' | 'iso2' | 'admin1' | 'admin2' | 'location' | 'latitude' | 'longitude' | 'geo_precision' | 'fatalities' | 'evidence'
>;

export interface MergeScore {
  readonly score: number;
  /** why, in words an analyst reads: "same day", "same place (Gogjali)", "actors agree" */
  readonly reasons: readonly string[];
}

/** Above this, an event joins the stored one. */
export const MERGE_THRESHOLD = 0.6;

/** How far apart in days two events' dates may be and still tell one incident, by their precision. */
export function dateWindowDays(a: DedupView, b: DedupView): number {
  const p = Math.max(a.time_precision ?? 1, b.time_precision ?? 1);
  return p === 1 ? 1 : p === 2 ? 7 : 31;
}

const VIOLENT = new Set(['Battles', 'Explosions/Remote violence', 'Violence against civilians']);

/** Whether two kinds of event may be one incident told two ways (a clash and a shelling, not a protest and a clash). */
export function compatibleTypes(a: string, b: string): boolean {
  return a === b || (VIOLENT.has(a) && VIOLENT.has(b));
}

/** A YYYY-MM-DD date moved by whole days. */
export function shiftDate(date: string, days: number): string {
  const t = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) + days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

// (each candidate's date is compared with every incoming event's: days counted once a date)
const dayNumbers = new Map<string, number>();

function days(date: string): number {
  let d = dayNumbers.get(date);
  if (d === undefined) {
    d = Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / 86_400_000;
    if (dayNumbers.size > 20_000) dayNumbers.clear();
    dayNumbers.set(date, d);
  }
  return d;
}

// (a day's candidates are scored against every incoming event: their names are folded once)
const folded = new Map<string, string>();

function placeName(e: DedupView): string | null {
  if (!e.location) return null;
  let name = folded.get(e.location);
  if (name === undefined) {
    name = e.location.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9]+/g, ' ').trim();
    if (folded.size > 20_000) folded.clear();
    folded.set(e.location, name);
  }
  return name;
}

function actorsOf(e: DedupView): Set<string> {
  // (the name without ACLED's period: "Military Forces of Iraq (2014-)" and "(2014-2021)" are one actor)
  return new Set([e.actor1, e.actor2].filter((a): a is string => !!a).map((a) => a.replace(/\s*\([^)]*\)/g, '').trim()));
}

/** The words that told the event (its evidence for the type), lower case. */
function cueWords(e: DedupView): Set<string> {
  const spans = e.evidence.event_type ?? [];
  return new Set(spans.flatMap((s) => s.text.toLowerCase().match(/[a-z]{3,}/g) ?? []));
}

/**
 * How likely two events are one incident, or null when they cannot be: another country, dates farther
 * apart than their precision allows, incompatible kinds, or places apart. Two places are one where the
 * names agree, or where the points are within 2 km, or where one is known only as a region or not by name
 * and the other lies within 25 km of it: neighbouring villages on one day are separate incidents (a
 * ceasefire monitor reports one event per village).
 */
export function mergeScore(stored: DedupView, incoming: DedupView): MergeScore | null {
  if (stored.iso2 && incoming.iso2 && stored.iso2 !== incoming.iso2) return null;
  if (!stored.event_date || !incoming.event_date) return null;
  const apart = Math.abs(days(stored.event_date) - days(incoming.event_date));
  if (apart > dateWindowDays(stored, incoming)) return null;
  if (!compatibleTypes(stored.event_type, incoming.event_type)) return null;
  const reasons: string[] = [];
  reasons.push(apart === 0 ? 'same day' : `${apart} day${apart > 1 ? 's' : ''} apart, within the dates' precision`);

  const [na, nb] = [placeName(stored), placeName(incoming)];
  const km = stored.latitude !== null && stored.longitude !== null && incoming.latitude !== null && incoming.longitude !== null ? haversineKm(stored.latitude, stored.longitude, incoming.latitude, incoming.longitude) : null;
  // (one place known only as a region, or not by name: "near Marinka" and "near Avdiivka" are two places,
  // and so are two villages the gazetteer lacks, placed at the seat of their district)
  // (a site: any place known by a name of its own, even one placed only at its region's seat; a region
  // by its name is no site)
  const site = (e: DedupView, name: string | null): boolean => name !== null && (e.geo_precision !== 3 || (name !== placeName({ ...e, location: e.admin1 }) && name !== placeName({ ...e, location: e.admin2 })));
  const twoSites = na !== nb && site(stored, na) && site(incoming, nb);
  const coarse = !twoSites && (stored.geo_precision === 3 || incoming.geo_precision === 3 || !na || !nb || !site(stored, na) || !site(incoming, nb));
  let place = 0;
  if (na && nb && na === nb) {
    place = 0.3;
    reasons.push(`same place (${incoming.location})`);
  } else if (twoSites && !(km !== null && km <= 0.5 && stored.geo_precision === 1 && incoming.geo_precision === 1)) {
    return null;
  } else if (km !== null && km <= 2) {
    place = 0.25;
    reasons.push(`${km.toFixed(1)} km apart`);
  } else if (km !== null && km <= 25 && coarse) {
    place = 0.1;
    reasons.push(`${km.toFixed(0)} km apart, one place known only roughly`);
  } else if (stored.admin2 && incoming.admin2 && stored.admin2 === incoming.admin2 && coarse) {
    place = 0.1;
    reasons.push(`same district (${incoming.admin2})`);
  } else return null;

  let score = 0.2 + place;
  if (stored.sub_event_type === incoming.sub_event_type) {
    score += 0.2;
    reasons.push(`both ${incoming.sub_event_type}`);
  } else if (stored.event_type === incoming.event_type) score += 0.1;
  const [aa, ab] = [actorsOf(stored), actorsOf(incoming)];
  const shared = [...aa].filter((a) => ab.has(a));
  if (shared.length) {
    score += 0.15;
    reasons.push(`actors agree (${shared.join(', ')})`);
  } else if (aa.size && ab.size) score -= 0.15;
  const [fa, fb] = [stored.fatalities ?? 0, incoming.fatalities ?? 0];
  if (fa === fb) {
    score += 0.1;
    reasons.push(fa === 0 ? 'no deaths in either' : `${fa} killed in both`);
  } else if (fa > 0 && fb > 0 && Math.max(fa, fb) <= 2 * Math.min(fa, fb)) score += 0.05;
  else if (fa > 0 && fb > 0) score -= 0.1;
  const [wa, wb] = [cueWords(stored), cueWords(incoming)];
  const words = [...wa].filter((w) => wb.has(w));
  if (words.length) {
    score += 0.05;
    reasons.push(`told with the same words (${words.slice(0, 3).join(', ')})`);
  }
  return { score: Math.round(score * 100) / 100, reasons };
}

// Words too common in reports of violence to tell two of them apart.
const COMMON = new Set(
  'the and for with that this from were was have has had been their they them into over after before about against during while which who whom also said says according reported report reports coded size unknown number people there than then when where other others some more most'.split(' '),
);
const MONTH = /^(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)/;

/** The content words of a report's text: lower case, three letters or more, no month names or years, crudely stemmed ("killing" and "killed" are one word). */
export function contentWords(text: string): Set<string> {
  const words = (text.toLowerCase().match(/[a-z0-9]{3,}/g) ?? []).filter((w) => !COMMON.has(w) && !MONTH.test(w) && !/^(?:19|20)\d\d$/.test(w));
  return new Set(words.map((w) => (w.length > 5 ? w.replace(/(?:ing|ed|es|s)$/, '') : w)));
}

/** A word's weight by its rarity among `total` reports, `n` of which use it (smoothed: a word no report has weighs as one a single report has). */
export function rarity(total: number, n: number): number {
  return Math.log(1 + total / Math.max(1, n));
}

/**
 * A word's rarity in the reference (`data/word-rarity.tsv`: the team's own training and example
 * reports, `scripts/build-rarity.ts`): the weight it gives two accounts that share it. A reference, and
 * not the store's own counts, so that dedup's decision on two accounts depends on them alone: the
 * store's counts depend on which reports were filed before, which two workers filing at once change,
 * and decisions at the threshold went the other way. Measured on the dev files, the reference merges
 * as well as the store's counts did (see README, Measured quality).
 */
export function wordRarity(word: string): number {
  const ref = (reference ??= loadReference());
  return ref.weights.get(word) ?? ref.unknown;
}

// (each word's weight worked out once: every comparison of two accounts asks for each of their words)
let reference: { weights: Map<string, number>; unknown: number } | undefined;

function loadReference(): { weights: Map<string, number>; unknown: number } {
  const counts = new Map<string, number>();
  let reports = 0;
  for (const line of readFileSync(dataPath('word-rarity.tsv'), 'utf8').split('\n')) {
    const [word, n] = line.split('\t');
    if (word === '# reports') reports = Number(n);
    else if (word && n && !word.startsWith('#')) counts.set(word, Number(n));
  }
  if (!(reports > 0)) throw new Error(`${dataPath('word-rarity.tsv')}: no "# reports" line (run npx tsx scripts/build-rarity.ts)`);
  return { weights: new Map([...counts].map(([w, n]) => [w, rarity(reports, n)])), unknown: rarity(reports, 0) };
}

/**
 * How alike two reports' words are: the cosine of their word sets weighted by rarity (idf: `wordRarity`
 * as the stores pass it), so two reports share a score only for the words that are not in every report.
 */
export function textSimilarity(a: ReadonlySet<string>, b: ReadonlySet<string>, idf: (word: string) => number): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (const w of a) {
    const x = idf(w);
    na += x * x;
    if (b.has(w)) dot += x * x;
  }
  for (const w of b) nb += idf(w) ** 2;
  return na && nb ? dot / Math.sqrt(na * nb) : 0;
}

/**
 * The score of a candidate pair once the reports' words are known: two accounts of one incident share
 * the names, numbers and rare words of it; two incidents of one day and place in templated notes share
 * the template only. Precise dates a day apart are two days of an incident, as ACLED codes them (a
 * protest's second day is another event), and accounts that share few rare words are other incidents.
 */
/** Below this, two accounts share too few rare words to tell one incident. */
export const MIN_SIMILARITY = 0.7;

export function withText(fields: MergeScore, similarity: number, dayApart: boolean): MergeScore | null {
  if (dayApart || similarity < MIN_SIMILARITY) return null;
  return { score: Math.round((fields.score * 0.6 + similarity * 0.4) * 100) / 100, reasons: [...fields.reasons, `accounts alike (${similarity.toFixed(2)})`] };
}

/**
 * The casualties of one incident told by several reports, reconciled: the low is the lowest report's,
 * the high the highest's, and the best the median report's (ACLED codes the most conservative credible
 * figure; the median keeps one outlier from setting it). The reasoning is kept in words.
 */
export function reconcileFatalities(figures: readonly number[]): { low: number; best: number; high: number; reasoning: string } {
  if (figures.length === 0) return { low: 0, best: 0, high: 0, reasoning: 'no report gave a toll' };
  const sorted = [...figures].sort((a, b) => a - b);
  const best = sorted[Math.floor((sorted.length - 1) / 2)]!;
  const low = sorted[0]!;
  const high = sorted[sorted.length - 1]!;
  const reasoning = low === high ? `${sorted.length} report${sorted.length > 1 ? 's' : ''} agree on ${best}` : `reports gave ${sorted.join(', ')}: the lower median ${best} as best, ${low}-${high} as the range`;
  return { low, best, high, reasoning };
}

/** One account's toll as a canonical event keeps it: its figure, and its low and high where it gave a range. */
export type Toll = readonly [fatalities: number, low: number | null, high: number | null];

export function tollOf(e: EventRecord): Toll {
  return [e.fatalities ?? 0, e.fatalities_low ?? null, e.fatalities_high ?? null];
}

/** A report that leads an event, as dedup keeps it at hand: its content words and its date. */
export interface LeadReport {
  readonly words: ReadonlySet<string>;
  readonly date: string | null;
}

/** What places an account in the order that picks an event's lead: its report's date, then its report's id. */
export interface AccountKey {
  readonly date: string | null;
  readonly reportId: string;
  readonly ordinal?: number;
}

/**
 * Whether account `a` leads before `b`: the earlier report (a report without a date after every dated
 * one), then the smaller report id, then the earlier event of the report. An event's lead gives it its
 * fields, and dedup compares a newcomer with the lead's words; chosen by arrival, the lead would depend
 * on which of two workers filed first, so two workers and one would file different events.
 */
export function leadsBefore(a: AccountKey, b: AccountKey): boolean {
  if (a.date !== b.date) return b.date === null || (a.date !== null && a.date < b.date);
  if (a.reportId !== b.reportId) return a.reportId < b.reportId;
  return (a.ordinal ?? 0) < (b.ordinal ?? 0);
}

/**
 * A canonical event's record from the accounts filed under it, in the order they came: the lead
 * account's fields (see `leadsBefore`), every report as a source (the lead's first, then as they came),
 * and the tolls reconciled (the reasoning in a tag).
 */
export function canonicalRecord(id: string, accounts: readonly { reportId: string; ordinal: number; date: string | null; event: EventRecord }[]): EventRecord {
  const lead = accounts.reduce((a, b) => (leadsBefore(b, a) ? b : a));
  const ordered = [lead, ...accounts.filter((m) => m !== lead)];
  return withAccounts(
    id,
    lead.event,
    ordered.map((m) => m.reportId),
    accounts.map((m) => tollOf(m.event)),
  );
}

/**
 * The same record made from its parts: `first` may be the canonical record as stored (every field that
 * depends on the other accounts is made again here), so a join costs one account, not all of them.
 */
export function withAccounts(id: string, first: EventRecord, sources: readonly string[], tolls: readonly Toll[]): EventRecord {
  const toll = reconcileFatalities(tolls.map((t) => t[0]));
  let low = toll.low;
  let high = toll.high;
  for (const [, l, h] of tolls) {
    if (l !== null) low = Math.min(low, l);
    if (h !== null) high = Math.max(high, h);
  }
  return {
    ...first,
    event_id: id,
    sources: [...new Set(sources)],
    fatalities: toll.best,
    fatalities_low: low,
    fatalities_high: high,
    tags: [...first.tags.filter((t) => !t.startsWith('fatalities:reconciled')), ...(tolls.length > 1 ? [`fatalities:reconciled: ${toll.reasoning}`] : [])],
  };
}

/**
 * Where a store looks for the stored events an incoming one may retell: its own country, within the days
 * the incoming date's precision allows (`near`), and the stored events of coarser dates within a month
 * (`coarse`, when the near window is narrower); the exact window and the distance are judged after.
 */
export function candidateWindows(date: string, precision: number | null): { near: [string, string]; coarse: [string, string] | null } {
  const window = precision === 2 ? 7 : precision === 3 ? 31 : 1;
  return { near: [shiftDate(date, -window), shiftDate(date, window)], coarse: window < 31 ? [shiftDate(date, -31), shiftDate(date, 31)] : null };
}

/** The verdict on a candidate whose fields allow it (`mergeScore`), once the two accounts' words are known. */
export function judge(fields: MergeScore, dayApart: boolean, incomingWords: ReadonlySet<string>, storedWords: ReadonlySet<string>, idf: (word: string) => number): MergeScore | null {
  const verdict = withText(fields, textSimilarity(incomingWords, storedWords, idf), dayApart);
  return verdict && verdict.score >= MERGE_THRESHOLD ? verdict : null;
}
