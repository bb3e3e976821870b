// Events: find the words that signal an incident (cues from data/event-cues.tsv), drop the ones that
// do not report something that happened (speech inside quotes, negations, threats, plans), group the
// rest into one candidate per incident, and classify each candidate into ACLED's sub-event types.
import { dataPath } from '../paths.js';
import { TYPE_OF_SUB_TYPE, type SubEventType } from '../schema.js';
import type { ActorMention } from './actors.js';
import { Lexicon, readTsv, type LexiconEntry } from './lexicon.js';
import type { PlaceMention } from './places.js';
import type { Sentence, Token } from './segment.js';
import { parseNumberWord } from './casualties.js';
import type { TimeMention } from './times.js';

export type CueValue = { readonly kind: 'event'; readonly subType: SubEventType; readonly weight: number } | { readonly kind: 'modifier'; readonly modifier: string; readonly weight: number };

export interface Cue {
  readonly kind: 'cue';
  readonly start: number;
  readonly end: number;
  readonly text: string;
  readonly value: CueValue;
  readonly sentence: number;
  /** why the cue does not report an event, if it does not */
  readonly dropped: 'quote' | 'negated' | 'irrealis' | 'habitual' | 'dateline' | 'remembered' | null;
  /**
   * The cue refers back to an incident already told ("the attack", "killed in the fighting", a claim
   * for "the bombing"): it can add to an event but never start one.
   */
  readonly anaphoric: boolean;
  readonly rule: string;
}

export function loadEventCues(file = dataPath('event-cues.tsv')): Lexicon<CueValue> {
  const entries: LexiconEntry<CueValue>[] = [];
  for (const { cols, line } of readTsv(file)) {
    const [pattern, target, weight] = cols;
    if (!pattern || !target) throw new Error(`${file}:${line}: want pattern<TAB>sub_event_type<TAB>weight`);
    const w = Number(weight ?? 1);
    if (target.startsWith('@')) {
      entries.push({ pattern, value: { kind: 'modifier', modifier: target.slice(1), weight: w }, where: `event-cues.tsv:${line}` });
      continue;
    }
    if (!TYPE_OF_SUB_TYPE.has(target as SubEventType)) throw new Error(`${file}:${line}: "${target}" is not an ACLED sub-event type`);
    entries.push({ pattern, value: { kind: 'event', subType: target as SubEventType, weight: w }, where: `event-cues.tsv:${line}` });
  }
  return new Lexicon(entries);
}

// ---- refinement of single cues ----

// A negation right before the cue: "did not attack", "no clashes", "denied shelling".
const NEGATION_BEFORE = /\b(?:not|no|never|n[o']t|denied|denies|deny|denying|without|neither|nor|rejected claims? (?:of|that)|false(?:ly)?)\s+(?:\S+\s+){0,2}$/i;
// A denial covers the whole report it denies: "denied on Thursday reports that it had carried out a strike".
const DENIAL_BEFORE = /\b(?:denied|denies|deny|denying|dismissed|rejected|refuted)\b[^.;]{0,60}\b(?:reports?|claims?|allegations?|accusations?|that)\b[^.;]{0,50}$/i;
// A threat or pledge reaches over its circumstances: "threatened in an audio message on Tuesday to step up attacks".
const THREAT_BEFORE = /\b(?:threaten|vow|pledg|promis|warn)\w*\b[^.;]{0,80}\bto\s+(?:\S+\s+){0,3}$/i;
// Irrealis: threats, calls, plans, conditions and warnings do not report an event that happened.
const IRREALIS_BEFORE =
  /\b(?:will|would|could|might|shall|going to|threaten(?:s|ed|ing)?(?: to)?|vow(?:s|ed|ing)?(?: to)?|plan(?:s|ned|ning)?(?: to)?|intend(?:s|ed)? to|prepar(?:e|es|ed|ing) (?:to|for)|urg(?:e|es|ed|ing)|call(?:s|ed|ing)? (?:on|for)|appeal(?:s|ed)? for|aim(?:s|ed|ing)? (?:at|to)|seek(?:s|ing)? to|warn(?:s|ed|ing)? (?:of|that|against|about)|if|unless|fears? (?:of|that)|risk of|in case of|to prevent|keep up|ahead of|in anticipation of)\s+(?:\S+\s+){0,4}$/i;

// Habits and states, not incidents: "from time to time they ambush", "have been fighting for years".
const HABITUAL_BEFORE = /\b(?:(?:have|has|had) been|repeatedly|regularly|routinely|frequently|often|usually|from time to time|continues? to|continued to|used to|tend to|for (?:more than )?(?:a|\d+|two|three|several) (?:years?|months?|decades?))\s+(?:\S+\s+){0,3}$/i;
// Present perfect with "since": an ongoing campaign ("have besieged several towns since 2022").
const PERFECT_BEFORE = /\b(?:have|has)\s+(?:\w+\s+)?$/i;
const SINCE_AFTER = /^[^.;]*\bsince\b/i;
// A definite or possessive article, a charge or a claim points back to an incident told elsewhere.
const ANAPHORA_BEFORE = /(?:\b(?:the|this|that|these|those|its|their)\s+(?:\S+\s+){0,2}|\b(?:last|previous|earlier)\s+(?:week|month|year|day)['’]s\s+(?:\S+\s+){0,1}|\b(?:charges? of|accused of|suspected of|charged with|responsibility for|blamed \S+ for|claimed|said (?:that )?(?:it|they) had|in connection with)\s+(?:the\s+)?(?:\S+\s+){0,2})$/i;

/** Mark each cue with why it must not become an event, if it must not. */
export function refineCue(text: string, sentence: Sentence, cue: Omit<Cue, 'dropped' | 'anaphoric'>, inQuote: (pos: number) => boolean, datelineEnd: number): Cue {
  let dropped: Cue['dropped'] = null;
  const before = text.slice(Math.max(sentence.start, cue.start - 60), cue.start);
  if (cue.start < datelineEnd) dropped = 'dateline';
  else if (inQuote(cue.start)) dropped = 'quote';
  else if (NEGATION_BEFORE.test(before)) dropped = 'negated';
  else if (DENIAL_BEFORE.test(text.slice(Math.max(sentence.start, cue.start - 120), cue.start))) dropped = 'negated';
  else if (IRREALIS_BEFORE.test(before) || THREAT_BEFORE.test(text.slice(Math.max(sentence.start, cue.start - 120), cue.start))) dropped = 'irrealis';
  else if (HABITUAL_BEFORE.test(before) || (PERFECT_BEFORE.test(before) && SINCE_AFTER.test(text.slice(cue.end, sentence.end)))) dropped = 'habitual';
  const anaphoric = ANAPHORA_BEFORE.test(before.slice(-40));
  return { ...cue, dropped, anaphoric };
}

/** Quoted spans ("..." and “...”): what people said, not what the reporter says happened. */
export function findQuotes(text: string): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  const re = /“[^”]{1,2000}”|"[^"]{1,2000}"/g;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) out.push({ start: m.index, end: m.index + m[0].length });
  return out;
}

// ---- grouping into candidate events ----

export interface Candidate {
  readonly sentences: number[];
  readonly cues: Cue[];
  /** the candidate's own time and place, from its own sentences */
  time: TimeMention | null;
  place: PlaceMention | null;
  /** the sentence opens a new incident: "In a separate attack", "A second bomber" */
  readonly newIncident: boolean;
}

const NEW_INCIDENT = /\b(?:(?:hours|days|minutes|a day|a week|shortly) later|separately|in (?:a|another) (?:separate |similar |second )?(?:incident|attack|development|clash)|in a separate|elsewhere|meanwhile|a second|another (?:attack|bomb|blast|explosion|incident|clash|suicide)|in an unrelated)\b/i;

export interface SentenceFacts {
  readonly sentence: Sentence;
  readonly index: number;
  readonly cues: readonly Cue[];
  readonly times: readonly TimeMention[];
  readonly places: readonly PlaceMention[];
  /** the sentence's text (offsets in it are relative to sentence.start) */
  readonly text: string;
}

/** The strongest live cue's sub-type of a set of cues (modifiers excluded). */
export function leadingSubType(cues: readonly Cue[]): { subType: SubEventType; score: number } | null {
  const scores = new Map<SubEventType, number>();
  for (const c of cues) {
    if (c.dropped || c.value.kind !== 'event') continue;
    scores.set(c.value.subType, (scores.get(c.value.subType) ?? 0) + c.value.weight);
  }
  let best: { subType: SubEventType; score: number } | null = null;
  for (const [subType, score] of scores) if (!best || score > best.score) best = { subType, score };
  return best;
}

function sameDay(a: TimeMention | null, b: TimeMention | null): boolean {
  return a === null || b === null || a.date === b.date;
}

function samePlace(a: PlaceMention | null, b: PlaceMention | null): boolean {
  if (a === null || b === null) return true;
  if (a.kind === 'place' && b.kind === 'place') {
    return a.place.id === b.place.id || a.place.partOf === b.place.name || b.place.partOf === a.place.name;
  }
  return true;
}

/**
 * Group sentences with live cues into candidate events. A sentence continues the latest event of its
 * paragraph unless it names another day or place or says it is another incident; otherwise it joins
 * an earlier event of the same sub-type and compatible day and place (a summary and its retelling), or
 * it starts a new event.
 */
export function groupCandidates(facts: readonly SentenceFacts[]): Candidate[] {
  const out: Candidate[] = [];
  // Each candidate's leading sub-type, kept up to date as cues join it: recounting all of a candidate's
  // cues for every sentence made a long report quadratic (a 1 MB report took 15 s). The same sums in the
  // same order as `leadingSubType`, so the same lead.
  const tallies = new Map<Candidate, { scores: Map<SubEventType, number>; counted: number }>();
  const leadOf = (c: Candidate): { subType: SubEventType; score: number } | null => {
    let t = tallies.get(c);
    if (!t) tallies.set(c, (t = { scores: new Map(), counted: 0 }));
    for (; t.counted < c.cues.length; t.counted++) {
      const cue = c.cues[t.counted]!;
      if (cue.dropped || cue.value.kind !== 'event') continue;
      t.scores.set(cue.value.subType, (t.scores.get(cue.value.subType) ?? 0) + cue.value.weight);
    }
    let best: { subType: SubEventType; score: number } | null = null;
    for (const [subType, score] of t.scores) if (!best || score > best.score) best = { subType, score };
    return best;
  };
  let paragraphOfLast = -1;
  // the candidate the previous cue sentence went to (not always the newest one)
  let last: Candidate | undefined;
  for (const f of facts) {
    const live = f.cues.filter((c) => c.dropped === null);
    const lead = leadingSubType(live);
    if (!lead) continue;
    const time = ownTime(f);
    const place = ownPlace(f);
    const newIncident = NEW_INCIDENT.test(f.text);
    const lastLead = last ? leadOf(last) : null;
    const continues =
      last &&
      !newIncident &&
      f.sentence.paragraph === paragraphOfLast &&
      sameDay(last.time, time) &&
      samePlace(last.place, place) &&
      (lastLead === null || TYPE_OF_SUB_TYPE.get(lastLead.subType) === TYPE_OF_SUB_TYPE.get(lead.subType) || lead.score < 5 || (time === null && place === null));
    let target: Candidate | undefined = continues ? last : undefined;
    // a sentence that only refers back ("killed in the fighting") joins the latest event of its type
    const onlyAnaphoric = live.every((c) => c.anaphoric || c.value.kind === 'modifier');
    if (!target && onlyAnaphoric && out.length > 0 && (time === null || out.some((c) => c.time?.date === time.date))) {
      const leadType = TYPE_OF_SUB_TYPE.get(lead.subType);
      target = [...out].reverse().find((c) => { const l = leadOf(c); return l !== null && TYPE_OF_SUB_TYPE.get(l.subType) === leadType && sameDay(c.time, time); }) ?? last ?? out[out.length - 1];
    }
    if (!target && !newIncident) {
      target = out.find((c) => {
        const l = leadOf(c);
        return l?.subType === lead.subType && sameDay(c.time, time) && samePlace(c.place, place);
      });
    }
    if (target) {
      if (!target.sentences.includes(f.index)) target.sentences.push(f.index);
      target.cues.push(...f.cues);
      // a clause that only refers back says nothing new about where, but may say when the event it
      // refers to happened, if that event had no day of its own ("The clashes erupted on Monday")
      // (a day, not a month: "The rebels had seized the town in June" recalls another event)
      if (!onlyAnaphoric || time?.precision === 1) target.time ??= time;
      if (!onlyAnaphoric) target.place ??= place;
    } else {
      target = { sentences: [f.index], cues: [...f.cues], time, place, newIncident };
      out.push(target);
    }
    last = target;
    paragraphOfLast = f.sentence.paragraph;
  }
  return out;
}

/** The rule name of a lead sentence read without an event word: see `leadCandidate`. */
export const LEAD_SENTENCE = 'lead-sentence';

/**
 * A report in which the lexicon found no event word at all ("Afghan forces 'bombarded' a compound",
 * "shopkeepers kept their shutters down against the governor") still has a lead that tells what happened. Its first
 * sentence becomes one candidate, marked by a cue of weight 0 on its first verb, for the trained model
 * alone to judge: it keeps the event only when sure (see `decide`), and the relevance rules still drop
 * sport, weather and fiction.
 */
export function leadCandidate(facts: readonly SentenceFacts[], tokens: readonly Token[]): Candidate | null {
  if (facts.some((f) => f.cues.some((c) => c.value.kind === 'event'))) return null;
  const f = facts.find((x) => /\p{L}{3,}/u.test(x.text));
  if (!f) return null;
  const verb = tokens.find((t) => t.start >= f.sentence.start && t.end <= f.sentence.end && t.pos === 'VERB');
  const [start, end] = verb ? [verb.start, verb.end] : [f.sentence.start, f.sentence.end];
  const cue: Cue = { kind: 'cue', start, end, text: verb?.text ?? f.text, value: { kind: 'event', subType: 'Other', weight: 0 }, sentence: f.index, dropped: null, anaphoric: false, rule: LEAD_SENTENCE };
  const lead: SentenceFacts = { ...f, cues: [cue] };
  return { sentences: [f.index], cues: [cue], time: ownTime(lead), place: ownPlace(lead), newIncident: false };
}

function firstLiveCue(f: SentenceFacts): Cue | undefined {
  return f.cues.find((c) => c.dropped === null && c.value.kind === 'event');
}

// A time that opens its sentence ("On 3 May 2020,", "Late Wednesday,", "Around 1 May 2020 (from 1 - 6
// May),"), after a wire dateline if any: it dates the main clause, and the other times of the sentence
// date what its subordinate clauses recall ("who was arrested on 16 April", "the murder ... the day before").
const BEFORE_OPENING_TIME = /^(?:[^.]{0,60}?\s[-–—]{1,2}\s+)?(?:(?:as reported|reportedly)\s+)?(?:(?:on or around|on|around|about|late on|early on|late|early|overnight|by|in the (?:early|late) hours of|on the night of|during the night of)\s+)?(?:the\s+)?$/i;
const AFTER_OPENING_TIME = /^\s*(?:\([^()]{0,60}\)\s*)?,/;
// ... unless a report of speech follows it: "On Monday, police said gunmen killed five on Saturday"
const REPORTING_VERB = /\b(?:said|says|told|announced|reported|stated|confirmed|added)\b/i;

/**
 * The sentence's own time: one that opens the sentence, else the expression nearest its first live cue.
 * Times in brackets right after another ("Around 1 May 2020 (from 1 - 6 May)") only elaborate it.
 */
function ownTime(f: SentenceFacts): TimeMention | null {
  const cue = firstLiveCue(f);
  if (!cue) return null;
  const at = (pos: number): number => pos - f.sentence.start;
  const opener = f.times.find((t) => BEFORE_OPENING_TIME.test(f.text.slice(0, at(t.start))) && AFTER_OPENING_TIME.test(f.text.slice(at(t.end))));
  // (nor a landmark the event is measured from: "the latest escalation since the Feb. 1 coup")
  let pool: readonly TimeMention[] = f.times.filter((t) => !/^\s*\((?:from|between|as of)?\s*$/i.test(f.text.slice(Math.max(0, at(t.start) - 12), at(t.start)).replace(/^.*?(\()/, '$1')) && !/\bsince\s+the\s+$/i.test(f.text.slice(Math.max(0, at(t.start) - 12), at(t.start))));
  if (opener) {
    // (past the opener's own brackets: "Around 5 May 2020 (as reported), officers arrived")
    const from = at(opener.end) + (/^\s*\([^()]{0,60}\)/.exec(f.text.slice(at(opener.end)))?.[0].length ?? 0);
    const speech = REPORTING_VERB.exec(f.text.slice(from));
    const told = speech ? from + speech.index : Infinity;
    const later = f.times.filter((t) => at(t.start) > told);
    if (later.length === 0) return opener;
    pool = later;
  }
  let best: TimeMention | null = null;
  for (const t of pool) if (!best || Math.abs(t.start - cue.start) < Math.abs(best.start - cue.start)) best = t;
  return best;
}

// (after "from", a locative word starts the event's place again: "stole cattle from civilians in Analalava")
const AWAY_FROM = /\b(?:fled (?:to|into|toward|towards)|flee(?:ing)? (?:to|toward|towards)|based in|headquartered in|taken to|transferred to|moved to|evacuated to|return(?:ed|ing)? to|(?:go|travel|head)(?:ing|ed|s)? (?:back )?to|their homes? in)\s+(?:the\s+)?(?:\S+\s+){0,2}$|\bfrom\s+(?:the\s+)?(?:(?!(?:in|at|near|inside|outside|on)\s)\S+\s+){0,2}$/i;
const AT = /\b(?:in|at|near|outside|inside|into|on|of|around|across|outskirts of)\s+(?:the\s+)?(?:\S+\s+){0,3}$/i;

/** The sentence's own place: a gazetteer place near a cue, after a locative preposition, not where people fled. */
function ownPlace(f: SentenceFacts): PlaceMention | null {
  const cue = firstLiveCue(f);
  let best: PlaceMention | null = null;
  let bestScore = -Infinity;
  for (const p of f.places) {
    if (p.kind !== 'place') continue;
    const before = f.text.slice(Math.max(0, p.start - f.sentence.start - 40), p.start - f.sentence.start);
    if (AWAY_FROM.test(before)) continue;
    let score = p.confidence;
    if (AT.test(before)) score += 1;
    if (p.place.partOf) score += 0.5;
    // a town before the district or province around it ("near Palwal in Haryana state"), and never the
    // area that only says where another site lies ("Marabo (Irumu, Ituri)")
    if (p.place.featureClass === 'A') score -= p.precision === 3 ? 1.2 : 0.6;
    if (p.adminOf) score -= 1.5;
    if (cue) score -= Math.abs(p.start - cue.start) / 400;
    if (score > bestScore) {
      bestScore = score;
      best = p;
    }
  }
  return best;
}

/** A place mention resolved to a gazetteer place (not a country). */
export type TownMention = Extract<PlaceMention, { kind: 'place' }>;

// What may stand between two places of one list: "Dumba (Mobbar, Borno) and Location Charlie", "the
// villages of A, B and C", "in X as well as in Y". Parenthesised admin names are removed first.
const LIST_GAP = /^\s*(?:,|,?\s*and|,?\s*as well as|&)\s*(?:in|at|on|near|(?:north|south|east|west)(?:-?(?:east|west))?(?:ern)?\s+of)?\s*(?:the\s+)?(?:(?:villages?|towns?|areas?|districts?|neighbou?rhoods?|localities|provinces?|communities)\s+of\s+)?$/i;
const PAIR_OPENER = /\b(?:between|from)\s+(?:the\s+)?(?:\S+\s+){0,2}$/i;

/**
 * The places of one incident told as a list ("attacked Manini and Komo"): ACLED codes one event per
 * location, so the list is the event's sites. Starts from the event's own place and walks to its
 * neighbours in the same sentence while only list words separate them. "Between A and B" and "from A
 * to B" name a line or a route, not sites. Returns the sites in text order (one when there is no list).
 */
export function listedPlaces(text: string, places: readonly PlaceMention[], own: TownMention, sentence: Sentence): TownMention[] {
  const parens: [number, number][] = [];
  const inner = text.slice(sentence.start, sentence.end);
  for (const m of inner.matchAll(/\([^()]*\)/g)) parens.push([sentence.start + m.index, sentence.start + m.index + m[0].length]);
  const inParens = (p: PlaceMention): boolean => parens.some(([a, b]) => p.start >= a && p.end <= b);
  const row = places.filter((p): p is TownMention => p.kind === 'place' && p.start >= sentence.start && p.end <= sentence.end && !inParens(p) && p.confidence >= 0.5);
  const at = row.indexOf(own);
  if (at < 0) return [own];
  const gap = (a: TownMention, b: TownMention): string => text.slice(a.end, b.start).replace(/\([^()]*\)/g, ' ');
  let first = at;
  let last = at;
  while (first > 0 && LIST_GAP.test(gap(row[first - 1]!, row[first]!))) first--;
  while (last + 1 < row.length && LIST_GAP.test(gap(row[last]!, row[last + 1]!))) last++;
  // "Tijuana, Baja California" is a town and its state; a list has an "and" somewhere and names no region
  const sites = row.slice(first, last + 1);
  const hasAnd = sites.some((p, i) => i > 0 && /\band\b|as well as|&/i.test(gap(sites[i - 1]!, p)));
  const region = (p: TownMention): boolean => p.place.featureClass === 'A' || sites.some((q) => q !== p && (q.place.admin1 === p.place.name || q.place.admin2 === p.place.name));
  if (!hasAnd || sites.some(region)) return [own];
  if (first === last || PAIR_OPENER.test(text.slice(Math.max(sentence.start, row[first]!.start - 30), row[first]!.start))) return [own];
  const seen = new Set<string>();
  return sites.filter((p) => {
    const key = String(p.place.id);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

// Sites the gazetteer may not know, each with its own bracketed admin names, as ACLED's notes write them:
// "Dumba (Mobbar, Borno) and Location Charlie (Abadam, Borno)". (A bare list, "in A and B areas", is as
// often one event as several in ACLED's coding: measured on the dev notes, it splits wrongly 3 times in 4.)
const NAME = String.raw`[A-Z][\p{L}'’-]*(?:\s+(?:[A-Z][\p{L}'’-]*|al|el|as|ad|wa|de|del|la|da|do))*`;
const BRACKETED_ADMIN = new RegExp(String.raw`(${NAME})?(?:\s*\[[^\]\n]{1,40}\])?\s*\(([A-Z][^()]{1,60},\s*[A-Z][^()]{1,60})\)`, 'gu');
// "the Nihm (Sanaa) and Qaniyah (Mahliyah, Marib) frontlines": a site with its province alone, counted
// only beside a site in the full notation (in news copy "Kabul (Reuters)" or "State (ISGS)" are not sites)
const BRACKETED_ONE = new RegExp(String.raw`(${NAME})(?:\s*\[[^\]\n]{1,40}\])?(?:\s+(?:district|area|village|town|city))?\s*\(([A-Z][\p{Ll}'’ -]+(?:\s+[A-Z][\p{Ll}'’-]+)*)\)`, 'gu');

const NEWS_AGENCY = /^(?:Reuters|AFP|AP|Xinhua|Anadolu|Sputnik|Bernama|Efe|EFE|Dpa|DPA|IANS|PTI|ANI|UNI|Agencies|Tass|TASS|Interfax|Yonhap|Kyodo)$/;

export interface SiteName {
  readonly start: number;
  readonly end: number;
  readonly text: string;
}

/**
 * The named sites of a list in a sentence, when there are two or more: each becomes an event, placed
 * where the event's own place is (precision 2) when the gazetteer does not know the site itself.
 */
export function namedSites(text: string, sentence: Sentence): SiteName[] {
  const inner = text.slice(sentence.start, sentence.end);
  const at = (from: number, piece: string): SiteName => ({ start: sentence.start + from, end: sentence.start + from + piece.length, text: piece });
  const found: { index: number; site: SiteName }[] = [];
  // two sites are two names, even in one district: "Salim (Qaatabah, Ad Dali) and Shib Human (Qaatabah, Ad Dali)"
  const seen = new Set<string>();
  const add = (index: number, site: SiteName, key: string): void => {
    if (seen.has(key)) return;
    seen.add(key);
    found.push({ index, site });
  };
  const full: { start: number; end: number }[] = [];
  for (const m of inner.matchAll(BRACKETED_ADMIN)) {
    const group = m[2]!.trim();
    full.push({ start: m.index, end: m.index + m[0].length });
    if (m[1]) add(m.index, at(m.index, m[1]), m[1]);
    else {
      const first = group.split(',')[0]!.trim();
      add(m.index, at(m.index + m[0].indexOf(first), first), `(${group})`);
    }
  }
  if (found.length === 0) return [];
  // a site with its province alone counts only as the next or previous item of a list with a full one
  // ("the Nihm (Sanaa) and Qaniyah (Mahliyah, Marib) frontlines"; not "... and the Alpha Bats (Fixed Wing)")
  const listed = (from: number, to: number): boolean => from <= to && LIST_GAP.test(inner.slice(from, to));
  for (const m of inner.matchAll(BRACKETED_ONE)) {
    const end = m.index + m[0].length;
    // a dateline in capitals, a news agency in brackets: "KABUL (Reuters)"
    if (!/\p{Ll}/u.test(m[1]!) || NEWS_AGENCY.test(m[2]!)) continue;
    if (!full.some((f) => listed(f.end, m.index) || listed(end, f.start))) continue;
    add(m.index, at(m.index, m[1]!), m[1]!);
  }
  return found.length >= 2 ? found.sort((a, b) => a.index - b.index).map((x) => x.site) : [];
}

// A bare list of sites after a locative word: "in Kot, Khogyani, and Dih Bala (Hasakmina) districts".
const SITE_WORD = String.raw`(?:\s+(?:district|city|area|village|town|province|governorate|front|frontline|checkpoint|camp|county|region|neighbou?rhood|LGA)s?)?`;
const BARE_ITEM = String.raw`(?:the\s+)?${NAME}(?:\s*\([^()\n]{1,40}\))?${SITE_WORD}`;
const BARE_LIST = new RegExp(String.raw`\b(?:in|at|near|around|of)\s+(?:the\s+)?(${BARE_ITEM}(?:\s*,\s*${BARE_ITEM})*\s*,?\s*(?:and|as well as|&)\s+${BARE_ITEM})`, 'gu');

/**
 * The names of a bare list of sites in a sentence, each without its brackets, when the list has exactly
 * `n` of them. A bare list is one event as often as several in ACLED's coding; it is split only where the
 * note says how many events it made (see `codedSplit`).
 */
export function bareListSites(text: string, sentence: Sentence, n: number): SiteName[] {
  const inner = text.slice(sentence.start, sentence.end);
  for (const m of inner.matchAll(BARE_LIST)) {
    const listStart = m.index + m[0].length - m[1]!.length;
    const items: SiteName[] = [];
    for (const it of m[1]!.matchAll(new RegExp(String.raw`(${NAME})(?:\s*\([^()\n]{1,40}\))?${SITE_WORD}`, 'gu'))) {
      const name = it[1]!.replace(/\s+(?:and|as)$/u, '');
      if (/^(?:and|as|well)$/i.test(name)) continue;
      const start = sentence.start + listStart + it.index;
      items.push({ start, end: start + name.length, text: name });
    }
    if (items.length === n) return items;
  }
  return [];
}

// "Fatalities split across 3 events", "coded as 10 and spread across three locations", "distributed across six events", "(coded as two separate events)"
const CODED_SPLIT = /\b(?:(?:split|spread|distributed|divided)\s+(?:up\s+)?(?:across|between|over|among|into)|coded\s+as)\s+(?:the\s+)?(\d{1,2}|two|three|four|five|six|seven|eight|nine|ten|twelve)\s+(?:separate\s+|different\s+)?(?:events|locations)\b/i;

/**
 * How many events the writer says a report makes, where it says so: ACLED's coders end a note that
 * stands for several events with "Fatalities split across 3 events" or "spread across three locations".
 * The count is the coder's, so it beats the extractor's reading of a bare list.
 */
export function codedSplit(text: string): { n: number; start: number; end: number } | null {
  const m = CODED_SPLIT.exec(text);
  if (!m) return null;
  const n = parseNumberWord(m[1]!) ?? 0;
  return n >= 2 ? { n, start: m.index, end: m.index + m[0].length } : null;
}

// ACLED's coders open a note on a strategic development with its kind: "Movement of forces: On 3 May
// ...", "Property destruction: ...", "Agreement: ...". The label is the coder's own classification.
const CODED_LABELS: readonly [RegExp, SubEventType][] = [
  [/^(?:movement of forces|security measures|change to armed group|change to group\/activity)$/i, 'Change to group/activity'],
  [/^(?:property destruction|looting|land seizure|looting\/property destruction)$/i, 'Looting/property destruction'],
  [/^arrests?$/i, 'Arrests'],
  [/^(?:detonation|weapons? seizure|defusal|interception|disrupted weapons use)$/i, 'Disrupted weapons use'],
  [/^(?:non-violent activity|explosive remnants of war|other)$/i, 'Other'],
  [/^agreement$/i, 'Agreement'],
  [/^headquarters or base established$/i, 'Headquarters or base established'],
  [/^non-violent transfer of territory$/i, 'Non-violent transfer of territory'],
];

/** The sub-type a note's opening label names ("Property destruction: On 1 May ..."), with the label's span. */
export function codedLabel(text: string): { subType: SubEventType; start: number; end: number; text: string } | null {
  const m = /^\s*([A-Z][A-Za-z /-]{2,40}):\s/.exec(text);
  if (!m) return null;
  const label = m[1]!.trim();
  const hit = CODED_LABELS.find(([re]) => re.test(label));
  if (!hit) return null;
  const start = m.index + m[0].indexOf(label);
  return { subType: hit[1], start, end: start + label.length, text: label };
}

/** The weight of a coder's label: as sure as the most specific cue (see RULES_SURE_SCORE in the pipeline). */
export const CODED_LABEL_WEIGHT = 8;
export const CODED_LABEL_RULE = 'coded-label';

// ---- classification ----

export interface Classification {
  readonly subType: SubEventType;
  readonly rule: string;
  readonly evidence: readonly Cue[];
}

// Victims who bear arms: an attack on them is a clash in ACLED's terms, not violence against civilians.
// (a former soldier or an off-duty policeman is a civilian to ACLED; a gang member is armed)
const ARMED_VICTIM = /\b(?<!(?:former|retired|off-duty|ex-?)\s*)(?:gang members?|gangsters?|cartel members?|drug (?:dealers?|traffickers?)|soldiers?|troops|servicem[ae]n|police(?:m[ae]n|wom[ae]n| officers?| patrols?)?|officers?|(?:body)?guards?|patrols?|lieutenants?|captains?|sergeants?|colonels?|NDS|militants?|fighters?|rebels?|insurgents?|militiam[ae]n|militia|commanders?|recruits|gendarmes?|members? of (?:the )?(?:\S+ ){0,3}(?:forces|army|police|militia|group)|(?:security|army|police|militia) members?)\b/i;

// A victim out of arms: retired, off duty, a defector. ACLED codes violence against them as against civilians.
const CIVILIAN_STATUS = /\b(?:(?:former|retired|ex-)\s*(?:[\w-]+\s+){0,2}(?:soldiers?|police\w*|officers?|servicem[ae]n|militants?|fighters?|inspectors?|sub-inspectors?|commanders?)|off[- ]duty|defected from|defectors?)\b/i;

/**
 * Classify a candidate from its cues and actors. Protest cues are refined by how the state responded;
 * violence is an armed clash between armed actors and an attack when its target is civilian.
 */
export function classify(c: Candidate, actor2: ActorMention | null, actor1: ActorMention | null, killed: number, victims = '', around: readonly Cue[] = []): Classification {
  const live = c.cues.filter((x) => x.dropped === null);
  const lead = leadingSubType(live);
  if (!lead) throw new Error('classify() needs a candidate with a live event cue');
  const evidenceFor = (pred: (v: CueValue) => boolean): Cue[] => live.filter((x) => pred(x.value));
  const modifiers = new Set(live.flatMap((x) => (x.value.kind === 'modifier' ? [x.value.modifier] : [])));
  const scoreOf = (s: SubEventType): number => live.reduce((n, x) => n + (x.value.kind === 'event' && x.value.subType === s ? x.value.weight : 0), 0);
  const type = TYPE_OF_SUB_TYPE.get(lead.subType)!;
  // the incident read again without some of its cues, when they turn out to tell something else
  const without = (drop: (x: Cue) => boolean): Classification | null => {
    const rest = c.cues.filter((x) => !drop(x));
    return leadingSubType(rest.filter((x) => x.dropped === null)) ? classify({ ...c, cues: rest }, actor2, actor1, killed, victims, around) : null;
  };

  // a protest where the strongest words are arrests or burning is still told as a protest first
  if (type === 'Protests' || ((lead.subType === 'Arrests' || lead.subType === 'Looting/property destruction') && scoreOf('Peaceful protest') > 0)) {
    const protest = evidenceFor((v) => v.kind === 'event' && v.subType === 'Peaceful protest');
    // gunmen who block a road are setting an ambush, not protesting
    const armedGroup = actor1 !== null && actor1.inter <= 4 && actor1.actorKind !== 'military' && actor1.actorKind !== 'police';
    if (armedGroup && protest.every((x) => /^block/i.test(x.text))) {
      const reread = without((x) => protest.includes(x));
      if (reread) return reread;
    }
    // stones thrown, tyres burnt, or property destroyed by the crowd ("the demonstrators burned the police station")
    if (scoreOf('Violent demonstration') >= 4 || (scoreOf('Violent demonstration') > 0 && actor1?.actorKind === 'rioters') || scoreOf('Looting/property destruction') >= 3) {
      return { subType: 'Violent demonstration', rule: 'protest-turned-violent', evidence: evidenceFor((v) => v.kind === 'event' && (v.subType === 'Violent demonstration' || v.subType === 'Looting/property destruction')) };
    }
    // live fire or deaths at a protest: shots fired at protesters are excessive force whatever else happened
    if (modifiers.has('lethal') || killed > 0 || scoreOf('Attack') >= 2) return { subType: 'Excessive force against protesters', rule: 'protest-lethal-force', evidence: protest };
    // an arrest at the protest, not the arrest it protests against ("against the unjust arrest of")
    // and in a sentence about the protest: "Police detained ten protesters", not "He was arrested in March"
    // The police often act in the next sentence, which tells no protest of its own ("The workers were
    // dispersed by police.", "At least one protester was arrested."): the paragraph's cues count too.
    const nearby = [...live, ...around.filter((x) => x.dropped === null)];
    const protestSentences = new Set(nearby.filter((x) => x.value.kind === 'event' && x.value.subType === 'Peaceful protest').map((x) => x.sentence));
    const arrestsAtProtest = nearby.some((x) => x.value.kind === 'event' && x.value.subType === 'Arrests' && !x.anaphoric && /(?:ed|custody|up)$/i.test(x.text) && protestSentences.has(x.sentence));
    const intervention = nearby.some((x) => x.value.kind === 'modifier' && x.value.modifier === 'intervention');
    if (intervention || arrestsAtProtest) return { subType: 'Protest with intervention', rule: 'protest-intervention', evidence: protest };
    return { subType: 'Peaceful protest', rule: 'protest', evidence: protest };
  }
  // an armed group that burns or ransacks, with no crowd word, destroys property: "gang members ransacked
  // and set fire to the police station" is not a riot
  const armedNonState = actor1 !== null && actor1.inter >= 2 && actor1.inter <= 4 && actor1.actorKind !== 'military' && actor1.actorKind !== 'police';
  if (lead.subType === 'Violent demonstration' && armedNonState && scoreOf('Peaceful protest') === 0 && !live.some((x) => /riot|unrest|stone|rock|brick|pelt/i.test(x.text))) {
    return { subType: 'Looting/property destruction', rule: 'destruction-by-armed-group', evidence: evidenceFor((v) => v.kind === 'event' && v.subType === 'Violent demonstration') };
  }
  // a killing followed by the killer's arrest is the killing ("The gunman was arrested later")
  if (lead.subType === 'Arrests' && killed > 0) {
    const violent = (['Attack', 'Armed clash', 'Abduction/forced disappearance'] as const).some((x) => scoreOf(x) > 0);
    if (violent) return without((x) => x.value.kind === 'event' && x.value.subType === 'Arrests')!;
  }
  const leadEvidence = evidenceFor((v) => v.kind === 'event' && v.subType === lead.subType);
  // a crowd struck by an armed group is its victim, not a side: "gunmen killed four youths" is an attack
  const crowdStruck = actor2?.actorKind === 'rioters' && actor1 !== null && actor1.inter <= 3 && actor1.actorKind !== 'military' && actor1.actorKind !== 'police';
  const civilianTarget = actor2?.actorKind === 'civilians' || crowdStruck;
  const armedSides = (a: ActorMention | null): boolean => a !== null && a.inter <= 4;
  if ((lead.subType === 'Armed clash' || lead.subType === 'Attack') && civilianTarget && !armedSides(actor2)) {
    return { subType: 'Attack', rule: 'violence-civilian-target', evidence: leadEvidence };
  }
  // a fight between crowds, with no armed organisation on either side, is mob violence
  const crowd = (a: ActorMention | null): boolean => a !== null && (a.actorKind === 'rioters' || a.actorKind === 'civilians');
  // and so is a crowd fighting the police: "migrant workers clashed with police" (rioters against state forces)
  const police = (a: ActorMention | null): boolean => a !== null && a.actorKind === 'police';
  if (lead.subType === 'Armed clash' && ((crowd(actor1) && (actor2 === null || crowd(actor2) || police(actor2))) || (police(actor1) && crowd(actor2)))) {
    return { subType: 'Mob violence', rule: 'clash-between-crowds', evidence: leadEvidence };
  }
  const civilianVictim = CIVILIAN_STATUS.test(victims);
  if (lead.subType === 'Attack' && !civilianVictim && ((armedSides(actor1) && armedSides(actor2)) || (actor2 !== null && actor2.inter <= 4) || ARMED_VICTIM.test(victims))) {
    return { subType: 'Armed clash', rule: 'violence-armed-target', evidence: leadEvidence };
  }
  // territory changes hands by who takes it: the state (or its forces) regains, anyone else overtakes
  const state = (a: ActorMention | null): boolean => a !== null && (a.actorKind === 'military' || a.actorKind === 'police');
  if (lead.subType === 'Non-state actor overtakes territory' && state(actor1)) {
    return { subType: 'Government regains territory', rule: 'territory-taken-by-state', evidence: leadEvidence };
  }
  if (lead.subType === 'Government regains territory' && actor1 !== null && !state(actor1) && actor1.inter <= 4) {
    return { subType: 'Non-state actor overtakes territory', rule: 'territory-taken-by-non-state', evidence: leadEvidence };
  }
  // a mine or shell from a war long over that goes off now: ACLED records it, as a strategic development
  // (the paragraph may say so in a sentence of its own: "The mine had been laid during the civil war.")
  // (told in the past perfect as a rule, which makes it no less true: "had been laid")
  const legacy = [...c.cues, ...around].some((x) => x.value.kind === 'modifier' && x.value.modifier === 'legacy' && x.dropped !== 'negated' && x.dropped !== 'quote');
  if (TYPE_OF_SUB_TYPE.get(lead.subType) === 'Explosions/Remote violence' && legacy) {
    return { subType: 'Other', rule: 'remnant-of-war', evidence: leadEvidence };
  }
  // a bomb destroyed before it reached its target is disrupted weapons use, as ACLED codes it
  if (TYPE_OF_SUB_TYPE.get(lead.subType) === 'Explosions/Remote violence' && scoreOf('Disrupted weapons use') >= 5) {
    return { subType: 'Disrupted weapons use', rule: 'weapon-disrupted', evidence: evidenceFor((v) => v.kind === 'event' && v.subType === 'Disrupted weapons use') };
  }
  return { subType: lead.subType, rule: 'strongest-cue', evidence: leadEvidence };
}

// ---- relevance: is this political violence, protest or a strategic development at all? ----

export function loadOffTopic(file = dataPath('off-topic.tsv')): Lexicon<string> {
  return new Lexicon(readTsv(file).map(({ cols, line }) => ({ pattern: cols[0]!, value: cols[1] ?? 'off-topic', where: `off-topic.tsv:${line}` })));
}

/** Sub-types that are about conflict only when something else in the report says so. */
const NEEDS_CONTEXT = new Set<SubEventType>(['Change to group/activity', 'Other', 'Non-violent transfer of territory', 'Agreement']);

/**
 * A candidate is an event of political violence, protest or a strategic development when its words
 * are specific enough on their own (an airstrike, an IED, a protest) or name who fought: "killed"
 * alone may be lightning, "attack" alone a footballer, "arrested" alone a shoplifter.
 */
/**
 * Whether an incident is political violence, protest or a strategic development at all. A `doubtful`
 * verdict rests on missing evidence (no armed actor named, no sign of conflict), not on contrary
 * evidence (sport, weather, fiction): a trained reading may overrule the first, never the second.
 */
export interface Relevance {
  readonly relevant: boolean;
  readonly reason: string;
  /** (never where sport, weather, accidents or fiction are in the paragraph) */
  readonly doubtful?: boolean;
}

export function isRelevant(c: Candidate, actors: readonly ActorMention[], offTopic: readonly { domain: string }[], allCues: readonly Cue[]): Relevance {
  const live = c.cues.filter((x) => x.dropped === null && x.value.kind === 'event');
  // the coder labelled the note ("Security measures: ..."): it is an event by their judgement
  if (live.some((x) => x.rule === CODED_LABEL_RULE)) return { relevant: true, reason: '' };
  const strongest = Math.max(0, ...live.map((x) => x.value.weight));
  const armed = actors.some((a) => a.inter <= 4);
  // police attend accidents and crimes too: only soldiers and armed groups make violence political
  const combatants = actors.some((a) => a.inter <= 4 && a.actorKind !== 'police');
  const political = actors.some((a) => a.inter <= 6 && a.actorKind !== 'police');
  const lead = leadingSubType(live);
  // a crowd: the incident's lead, or any protest or riot word of weight ("the family of a constable shot
  // dead by accident held a protest", "farmers protested after a storm destroyed their crops")
  const crowdType = (s: SubEventType): boolean => TYPE_OF_SUB_TYPE.get(s) === 'Protests' || TYPE_OF_SUB_TYPE.get(s) === 'Riots';
  const crowd = lead !== null && (crowdType(lead.subType) || live.some((x) => x.value.kind === 'event' && crowdType(x.value.subType) && x.value.weight >= 3));
  // a protest about an epidemic is still a protest; violent words in sport, weather or fiction are not violence
  // (a ceremony is innocent only for a crowd: a clash at a commemoration is still a clash)
  // (a mine or a leftover shell that goes off "by accident" is still war's: it was laid to kill)
  const ordnance = live.some((x) => /\b(?:land ?mines?|mines?|unexploded|ordnance|ordinance)\b/i.test(x.text));
  const innocent = offTopic.find((o) => o.domain !== 'ceremony' && !(o.domain === 'accident' && ordnance));
  if (innocent && !crowd && !combatants && strongest < 8) return { relevant: false, reason: `${innocent.domain} context` };
  // soldiers appear in films, drills, courtrooms and figures of speech too
  // (a sentence passed by an armed group's own court is its violence: "militants ... sentenced to death
  // and executed a young man")
  const armedGroup = actors.some((a) => a.inter >= 2 && a.inter <= 4 && a.actorKind !== 'military' && a.actorKind !== 'police');
  const pretend = offTopic.find((o) => o.domain === 'fiction' || o.domain === 'drill' || o.domain === 'metaphor' || (o.domain === 'judicial' && !armedGroup));
  if (pretend && !crowd) return { relevant: false, reason: `${pretend.domain} context` };
  // a gathering to commemorate or celebrate is not a protest unless the words say protest
  const ceremony = offTopic.find((o) => o.domain === 'ceremony' || o.domain === 'memorial');
  if (ceremony && crowd && strongest <= 3 && !live.some((x) => /protest|demonstrat|march|rall|denounc|condemn|demand|chant/i.test(x.text))) return { relevant: false, reason: 'ceremony context' };
  if (lead && NEEDS_CONTEXT.has(lead.subType) && !political && lead.subType !== 'Other') {
    const otherConflict = allCues.some((x) => x.dropped === null && x.value.kind === 'event' && !NEEDS_CONTEXT.has(x.value.subType) && x.value.weight >= 3);
    if (!otherConflict) return { relevant: false, reason: `${lead.subType.toLowerCase()} with no sign of political conflict`, doubtful: !innocent };
  }
  if (strongest < 2 && !armed) return { relevant: false, reason: 'only a generic verb and no armed actor', doubtful: !innocent };
  return { relevant: true, reason: '' };
}
