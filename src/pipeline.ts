// The extraction pipeline: one ordered list of stages, each a small function of the document so far.
// Propose generously (mentions of times, places, actors, casualties, event cues), refine strictly
// (drop speech, negations and plans; group sentences into incidents), then resolve every field of each
// event with the words that support it. Models are loaded once, frozen and passed in.
import { existsSync } from 'node:fs';
import type { Document } from './document.js';
import { Countries } from './geo/countries.js';
import { Gazetteer } from './geo/gazetteer.js';
import { areaName, latinFold, nameSkeleton, sameSkeleton } from './geo/names.js';
import { ActorDictionary, findActors, resolveActor, type ActorMention } from './nlp/actors.js';
import { CODED_RULE, findCasualties, type CasualtyMention } from './nlp/casualties.js';
import { EventClassifier, NO_EVENT } from './nlp/classifier.js';
import { bareListSites, classify, CODED_LABEL_RULE, CODED_LABEL_WEIGHT, codedLabel, codedSplit, type Classification, findQuotes, groupCandidates, isRelevant, LEAD_SENTENCE, leadCandidate, leadingSubType, type Relevance, listedPlaces, namedSites, type SiteName, type TownMention, loadEventCues, loadOffTopic, refineCue, type Candidate, type Cue, type CueValue, type SentenceFacts } from './nlp/events.js';
import { readTsv, type Lexicon } from './nlp/lexicon.js';
import { countryCues, findPlaces, nameAsWritten, otherAreaNames, type PlaceMention } from './nlp/places.js';
import { loadNlp, segment, type Nlp, type Segmentation, type Sentence } from './nlp/segment.js';
import { addDays, findTimes, isTellingTime, type TimeMention } from './nlp/times.js';
import { dataPath } from './paths.js';
import type { Progress } from './progress.js';
import { TYPE_OF_SUB_TYPE, type SubEventType, type EventRecord, type EvidencedField, type Message, type Span } from './schema.js';

export interface Models {
  readonly nlp: Nlp;
  readonly gazetteer: Gazetteer;
  readonly countries: Countries;
  readonly actors: ActorDictionary;
  readonly eventCues: Lexicon<CueValue>;
  readonly offTopic: Lexicon<string>;
  /** the trained sub-type classifier, when its weights are present */
  readonly classifier: EventClassifier | null;
}

export const CLASSIFIER_FILE = dataPath('models/event-classifier.json');

export function loadModels(progress?: Progress): Models {
  return Object.freeze({
    nlp: loadNlp(),
    gazetteer: Gazetteer.open(progress),
    countries: new Countries(),
    actors: new ActorDictionary(),
    eventCues: loadEventCues(),
    offTopic: loadOffTopic(),
    classifier: existsSync(CLASSIFIER_FILE) ? EventClassifier.load(CLASSIFIER_FILE) : null,
  });
}

export interface ExtractOptions {
  /** events dated more than this many days before the report are background (context), not news */
  readonly backgroundAfterDays: number;
}

export const DEFAULT_OPTIONS: ExtractOptions = { backgroundAfterDays: 31 };

/** Everything known about one document; each stage fills its own part. */
export interface DocContext {
  readonly doc: Document;
  readonly text: string;
  readonly reportDate: string | null;
  readonly options: ExtractOptions;
  readonly messages: Message[];
  segmentation: Segmentation;
  dateline: { start: number; end: number; text: string } | null;
  quotes: { start: number; end: number }[];
  times: TimeMention[];
  places: PlaceMention[];
  actors: ActorMention[];
  casualties: CasualtyMention[];
  cues: Cue[];
  /** words of sport, weather, accidents, fiction...: what makes a violent-sounding word innocent */
  offTopic: { start: number; end: number; text: string; domain: string }[];
  candidates: Candidate[];
  classified: ClassifiedCandidate[];
  /** candidates found not to be events, with why: what the classifier trains on as "no event" */
  dropped: (ClassifiedCandidate & { reason: string })[];
  events: EventRecord[];
}

export interface Stage {
  readonly name: string;
  run(ctx: DocContext, models: Models): void;
}

// "IRBIL, Iraq —", "KABUL (Reuters) -", "MOGADISHU, Somalia, May 3 (AP) —": where the reporter stood.
const DATELINE = /^\s*([A-Z][A-Z.'’ -]{1,40}(?:,\s*[A-Z][\p{L}.'’ -]{1,40}){0,2})(?:,?\s*[A-Z][a-z]{2,8}\.? \d{1,2})?\s*(?:\([^)]{1,40}\))?\s*[—–-]{1,2}\s+/u;

/** The stages, in order. Each comment says why it stands where it does. */
export const STAGES: readonly Stage[] = [
  {
    // first: every later stage needs tokens, sentences and their offsets
    name: 'segment',
    run: (ctx, m) => {
      ctx.segmentation = segment(m.nlp, ctx.text);
    },
  },
  {
    // before places and events: the dateline names where the reporter was, not where anything happened
    name: 'dateline',
    run: (ctx) => {
      const d = DATELINE.exec(ctx.text);
      if (d) ctx.dateline = { start: 0, end: d[0].length, text: d[0].trim() };
    },
  },
  {
    // before event cues: words inside quotes are speech
    name: 'quotes',
    run: (ctx) => {
      ctx.quotes = findQuotes(ctx.text);
    },
  },
  {
    // before places: time words ("Thursday", "May") must not be read as place names
    name: 'times',
    run: (ctx) => {
      ctx.times = findTimes(ctx.text, ctx.reportDate);
    },
  },
  {
    // before places: a group that fights in one country only says which country the report is about
    // ("the UPDF" places Busia in Uganda, not Kenya)
    name: 'actors',
    run: (ctx, m) => {
      ctx.actors = findActors(ctx.text, m.actors, m.countries);
    },
  },
  {
    name: 'places',
    run: (ctx, m) => {
      const inTime = (pos: number): boolean => ctx.times.some((t) => pos >= t.start && pos < t.end);
      ctx.places = findPlaces(ctx.text, ctx.segmentation.tokens, m, inTime, actorHomes(ctx.actors));
    },
  },
  {
    name: 'casualties',
    run: (ctx) => {
      ctx.casualties = findCasualties(ctx.text);
    },
  },
  {
    // cues are refined (quote, negation, irrealis, dateline) as they are found
    name: 'event-cues',
    run: (ctx, m) => {
      const { sentences } = ctx.segmentation;
      const inQuote = (pos: number): boolean => ctx.quotes.some((q) => pos > q.start && pos < q.end);
      const datelineEnd = ctx.dateline?.end ?? 0;
      let s = 0;
      ctx.cues = [];
      // "March" in "On 5 March 2020" is a month, not a march
      const inTime = (pos: number): boolean => ctx.times.some((t) => pos >= t.start && pos < t.end);
      // a note that opens with its coder's label ("Property destruction: ...") says what it tells
      const label = codedLabel(ctx.text);
      if (label && sentences.length) {
        const at = sentences.findIndex((x) => label.start >= x.start && label.start < x.end);
        ctx.cues.push({ kind: 'cue', start: label.start, end: label.end, text: label.text, value: { kind: 'event', subType: label.subType, weight: CODED_LABEL_WEIGHT }, sentence: Math.max(0, at), rule: CODED_LABEL_RULE, dropped: null, anaphoric: false });
      }
      for (const match of m.eventCues.matches(ctx.text)) {
        if (inTime(match.start)) continue;
        if (label && match.start < label.end) continue;
        while (s + 1 < sentences.length && sentences[s]!.end <= match.start) s++;
        const cue = { kind: 'cue' as const, start: match.start, end: match.end, text: match.text, value: match.entry.value, sentence: s, rule: match.entry.where };
        ctx.cues.push(refineCue(ctx.text, sentences[s]!, cue, inQuote, datelineEnd));
      }
    },
  },
  {
    name: 'off-topic',
    run: (ctx, m) => {
      // (a storm or a crash the report counts time from is no context: "a year since the cyclone hit")
      ctx.offTopic = m.offTopic
        .matches(ctx.text)
        .filter((x) => !LANDMARK_BEFORE.test(ctx.text.slice(Math.max(0, x.start - 40), x.start)))
        .map((x) => ({ start: x.start, end: x.end, text: x.text, domain: x.entry.value }));
      // the massacre a crowd commemorates is remembered, not reported: "gathered to commemorate the 1995 massacre"
      const memorials = ctx.offTopic.filter((o) => o.domain === 'memorial');
      if (memorials.length) ctx.cues = ctx.cues.map((x) => (x.dropped === null && memorials.some((o) => x.start >= o.start && x.end <= o.end) ? { ...x, dropped: 'remembered' as const } : x));
    },
  },
  {
    // after every mention: grouping needs each sentence's cues, times and places
    name: 'candidates',
    run: (ctx) => {
      const facts = sentenceFacts(ctx);
      ctx.candidates = groupCandidates(facts);
      // no event word anywhere: the lead, for the trained model to judge
      const lead = ctx.candidates.length === 0 ? leadCandidate(facts, ctx.segmentation.tokens) : null;
      if (lead) ctx.candidates.push(lead);
    },
  },
  {
    // after grouping: relevance, who acted on whom, casualties and the sub-type need the whole incident
    name: 'classify',
    run: (ctx, m) => {
      ctx.classified = classifyCandidates(ctx, m);
    },
  },
  {
    // last: resolve each event's date, place and names, with their evidence
    name: 'resolve',
    run: (ctx, m) => {
      ctx.events = resolveEvents(ctx, m);
    },
  },
];

// What a report measures time from: "since the cyclone", "the anniversary of the earthquake"
const LANDMARK_BEFORE = /\b(?:since|anniversary of)\s+(?:the\s+)?(?:\S+\s+){0,2}$/i;

// Clause breaks that can separate two incidents told in one sentence: "fought on Saturday ..., and on
// Sunday they captured ...". A clause without an event cue stays with the clause before it.
const CLAUSE_BREAK = /;\s+|,\s+(?:and|but|while|whereas|before|after)\s+|\s+and\s+(?=(?:on|late|early|later|hours|then|shortly)\b)/g;


/** Each sentence cut into clauses with their own cues, times and places. */
function sentenceFacts(ctx: DocContext): SentenceFacts[] {
  const { sentences } = ctx.segmentation;
  const datelineEnd = ctx.dateline?.end ?? 0;
  const facts: SentenceFacts[] = [];
  let cue = 0;
  let time = 0;
  let place = 0;
  sentences.forEach((sentence, index) => {
    const text = ctx.text.slice(sentence.start, sentence.end);
    const cuts = [sentence.start];
    CLAUSE_BREAK.lastIndex = 0;
    for (let m = CLAUSE_BREAK.exec(text); m !== null; m = CLAUSE_BREAK.exec(text)) cuts.push(sentence.start + m.index);
    cuts.push(sentence.end);
    let open: { start: number; end: number; cues: Cue[]; times: TimeMention[]; places: PlaceMention[] } | null = null;
    const close = (): void => {
      if (!open) return;
      const clause: Sentence = { ...sentence, start: open.start, end: open.end };
      facts.push({ sentence: clause, index, cues: open.cues, times: open.times, places: open.places, text: ctx.text.slice(open.start, open.end) });
      open = null;
    };
    for (let k = 0; k + 1 < cuts.length; k++) {
      const [from, to] = [cuts[k]!, cuts[k + 1]!];
      const cues: Cue[] = [];
      const times: TimeMention[] = [];
      const places: PlaceMention[] = [];
      while (cue < ctx.cues.length && ctx.cues[cue]!.start < to) cues.push(ctx.cues[cue++]!);
      while (time < ctx.times.length && ctx.times[time]!.start < to) {
        const t = ctx.times[time++]!;
        // "the army said on Tuesday": the day it was told, not the day it happened
        // (within the sentence: "... sources told AFP. On Monday, fighters ..." is not a telling on Monday)
        if (t.start >= datelineEnd && !isTellingTime(ctx.text, t, sentence.start)) times.push(t);
      }
      while (place < ctx.places.length && ctx.places[place]!.start < to) {
        const p = ctx.places[place++]!;
        if (p.start >= datelineEnd) places.push(p);
      }
      const live = cues.some((c) => c.dropped === null && c.value.kind === 'event');
      if (open && !live) {
        // no incident of its own: the clause belongs to the one before
        open.end = to;
        open.cues.push(...cues);
        open.times.push(...times);
        open.places.push(...places);
        continue;
      }
      if (open && live && (open as { cues: Cue[] }).cues.some((c) => c.dropped === null && c.value.kind === 'event')) close();
      if (open) {
        open.end = to;
        open.cues.push(...cues);
        open.times.push(...times);
        open.places.push(...places);
      } else open = { start: from, end: to, cues, times, places };
    }
    close();
  });
  return facts;
}

/** A fresh context for one document: every stage's part empty until that stage has run. */
export function createContext(doc: Document, options: ExtractOptions = DEFAULT_OPTIONS): DocContext {
  return {
    doc,
    text: doc.text,
    reportDate: doc.date,
    options,
    messages: [...doc.messages],
    segmentation: { tokens: [], sentences: [] },
    dateline: null,
    quotes: [],
    times: [],
    places: [],
    actors: [],
    casualties: [],
    cues: [],
    offTopic: [],
    candidates: [],
    classified: [],
    dropped: [],
    events: [],
  };
}

export function extractDocument(doc: Document, models: Models, options: ExtractOptions = DEFAULT_OPTIONS): { events: EventRecord[]; messages: Message[]; dateline: string | null } {
  const ctx = createContext(doc, options);
  for (const stage of STAGES) stage.run(ctx, models);
  return { events: ctx.events, messages: ctx.messages, dateline: ctx.dateline?.text ?? null };
}

// ---- resolution of each candidate's fields ----

function span(text: string, start: number, end: number): Span {
  return { start, end, text: text.slice(start, end) };
}

/** A candidate that passed relevance, with who acted on whom, its own casualties and its sub-type. */
export interface ClassifiedCandidate {
  readonly candidate: Candidate;
  readonly trigger: Cue;
  readonly live: readonly Cue[];
  readonly actor1: ActorMention | null;
  readonly actor2: ActorMention | null;
  readonly killed: CasualtyMention | null;
  readonly injured: CasualtyMention | null;
  /** the words naming whom the trigger struck: its object, or its subject in the passive */
  readonly target: string;
  readonly cls: Classification;
}

const VICTIM_STATUS = /\b(?:off[- ]duty|defected from|defectors?)\b/gi;
const PASSIVE_BEFORE = /\b(?:was|were|been|being|got|get)\s+(?:\w+\s+)?$/i;

/**
 * Whom a trigger struck, as words: the clause before it in the passive ("a State Police patrol was
 * ambushed"), else the words after it up to the next comma ("shot dead a lieutenant of the army").
 */
function targetOf(text: string, sentence: Sentence, trigger: Cue): string {
  const before = text.slice(sentence.start, trigger.start);
  if (PASSIVE_BEFORE.test(before)) {
    const clause = before.slice(Math.max(before.lastIndexOf(','), before.lastIndexOf(';')) + 1);
    return clause.slice(-80);
  }
  const after = text.slice(trigger.end, Math.min(sentence.end, trigger.end + 60));
  return after.split(/[,;.]/)[0]!;
}

/** The sentences that tell the report's other incidents: never context for this one. */
function otherIncidentSentences(ctx: DocContext, c: Candidate): Set<number> {
  return new Set(ctx.candidates.flatMap((o) => (o === c ? [] : o.sentences)));
}

/** The sentence a position falls in, or -1 (between sentences): sentences are in text order. */
function sentenceAt(sentences: readonly Sentence[], pos: number): number {
  let lo = 0;
  let hi = sentences.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = sentences[mid]!;
    if (pos < s.start) hi = mid - 1;
    else if (pos >= s.end) lo = mid + 1;
    else return mid;
  }
  return -1;
}

/**
 * Sentence membership of a candidate, for mentions found anywhere in the text (by search, not by a
 * walk over the candidate's sentences: a long report has thousands of mentions and sentences).
 */
function inCandidate(sentences: readonly Sentence[], c: Candidate): (pos: number) => boolean {
  const own = new Set(c.sentences);
  return (pos) => own.has(sentenceAt(sentences, pos));
}

function classifyCandidates(ctx: DocContext, m: Models): ClassifiedCandidate[] {
  const { sentences } = ctx.segmentation;
  const usedCasualties = new Set<CasualtyMention>();
  const out: ClassifiedCandidate[] = [];
  ctx.dropped = [];
  for (const c of ctx.candidates) {
    const inEvent = inCandidate(sentences, c);
    const live = c.cues.filter((x) => x.dropped === null && x.value.kind === 'event');
    const trigger = live[0]!;
    const eventActors = ctx.actors.filter((a) => inEvent(a.start));
    // the context of an incident is its paragraph: "a cyclone battered the coast ... The army was deployed"
    const paragraphs = new Set(c.sentences.map((i) => sentences[i]!.paragraph));
    const inParagraph = (pos: number): boolean => {
      const i = sentenceAt(sentences, pos);
      return i >= 0 && paragraphs.has(sentences[i]!.paragraph);
    };
    const fromLead = trigger.rule === LEAD_SENTENCE;
    const paragraphOffTopic = ctx.offTopic.filter((o) => inParagraph(o.start));
    const relevance: Relevance = fromLead
      ? { relevant: false, reason: paragraphOffTopic.length ? `${paragraphOffTopic[0]!.domain} context` : 'no event word', doubtful: paragraphOffTopic.length === 0 }
      : isRelevant(c, eventActors, paragraphOffTopic, ctx.cues);
    // actors: around the trigger, in active or passive voice
    const { actor1, actor2 } = assignRoles(ctx.text, eventActors, trigger);

    // casualties: the event's own sentences, each figure used by one event only
    const own = ctx.casualties.filter((x) => inEvent(x.start) && !usedCasualties.has(x));
    const pick = (what: CasualtyMention['what']): CasualtyMention | null => own.filter((x) => x.what === what).reduce<CasualtyMention | null>((b, x) => (!b || x.best > b.best ? x : b), null);
    const killed = pick('killed');
    const injured = pick('injured');

    // who the casualties were: the count and the words right after it ("wounded two policemen")
    // and whom the trigger's verb struck ("a police patrol was ambushed", "shot dead a lieutenant")
    const target = targetOf(ctx.text, sentences[trigger.sentence]!, trigger);
    // and what the incident's sentences say of their standing ("who was off duty", "a defector")
    const status = c.sentences.flatMap((i) => ctx.text.slice(sentences[i]!.start, sentences[i]!.end).match(VICTIM_STATUS) ?? []);
    const victims = [...[killed, injured].map((x) => (x ? ctx.text.slice(x.start, x.end + 30) : '')), target, ...status].join(' ');
    // the cues of the incident's paragraph outside its own sentences: how the police answered a protest
    // (not another incident's: "In Mawlamyine, police fired tear gas" is that protest's, not this one's)
    const others = otherIncidentSentences(ctx, c);
    const around = ctx.cues.filter((x) => !c.sentences.includes(x.sentence) && !others.has(x.sentence) && paragraphs.has(sentences[x.sentence]!.paragraph));
    const rules: Classification = fromLead ? { subType: 'Other', rule: LEAD_SENTENCE, evidence: [trigger] } : classify(c, actor2, actor1, killed?.best ?? 0, victims, around);
    const found: Omit<ClassifiedCandidate, 'cls'> = { candidate: c, trigger, live, actor1, actor2, killed, injured, target };
    // an event long before the report is background the analyst wants dated, not judged as news: no veto
    const background = !!(c.time?.date && ctx.reportDate && c.time.date < addDays(ctx.reportDate, -ctx.options.backgroundAfterDays));
    const innocentNearby = paragraphOffTopic.some((o) => o.domain !== 'ceremony');
    const decision = decide(m.classifier, relevance, rules, live, () => candidateFeatures(ctx, found, rules), background, innocentNearby);
    if (!decision.keep) {
      ctx.dropped.push({ ...found, cls: rules, reason: decision.reason });
      ctx.messages.push({ level: 'info', code: 'event.dropped', text: `not an event: "${trigger.text}" (${decision.reason})`, start: trigger.start, end: trigger.end });
      continue;
    }
    own.forEach((x) => usedCasualties.add(x));
    out.push({ ...found, cls: decision.cls });
  }
  return out;
}

/**
 * A note that says it stands for more events than this is not split (measured on ACLED's notes: one
 * that says twelve is twelve copies of itself, one event each, so splitting it only overgenerates).
 */
const MAX_CODED_SPLIT = 6;

/** Below this probability the rules' reading stands. */
const CLASSIFIER_MIN_PROBABILITY = 0.5;
/** ... and below this one the rules' event type stands. */
const CLASSIFIER_NEW_TYPE_PROBABILITY = 0.6;
/** A cue this specific (weight 8 or more in event-cues.tsv: a suicide bomber, a destroyed car bomb) makes the rules sure. */
const RULES_SURE_SCORE = 8;
/** Cues adding up to this weight are specific: the classifier may not veto them. */
const RULES_SPECIFIC_SCORE = 5;
/** The classifier keeps an event the relevance rules doubted only when this sure of its sub-type. */
const CLASSIFIER_RESCUE_PROBABILITY = 0.8;
/** ... and an event in a lead without any event word only when this sure (0.6 kept a bank robbery). */
const CLASSIFIER_LEAD_PROBABILITY = 0.7;
/** The classifier vetoes an event the rules found only when this sure that it is none. */
const CLASSIFIER_VETO_PROBABILITY = 0.97;
/** ... or this sure, where sport, weather, accidents or fiction are in the incident's paragraph. */
const CLASSIFIER_VETO_NEAR_INNOCENT_PROBABILITY = 0.8;

/**
 * The rules and the trained classifier weighed together. The classifier has seen the rules' reading
 * among its features and was trained on ACLED's notes and the team's wire-style reports, so where it is
 * sure it decides the sub-type, and it may veto an event when very sure it is none (it was trained on
 * the team's non-events too).
 */
function decide(classifier: EventClassifier | null, relevance: Relevance, rules: Classification, live: readonly Cue[], features: () => string[], background: boolean, innocentNearby: boolean): { keep: true; cls: Classification } | { keep: false; reason: string } {
  // the relevance rules have the last word on what they drop for a reason (a sports "attack", a storm
  // that killed): a model that keeps one costs more than it gains. Where they drop for want of
  // evidence ("attacked" with no armed actor named: "youths attacked herders"), the model, trained on
  // such candidates in notes and in the team's non-events alike, may keep the event when sure of it.
  if (!relevance.relevant) {
    if (!classifier || !relevance.doubtful) return { keep: false, reason: relevance.reason };
    const p = classifier.predict(features());
    const needed = rules.rule === LEAD_SENTENCE ? CLASSIFIER_LEAD_PROBABILITY : CLASSIFIER_RESCUE_PROBABILITY;
    if (p.subType === NO_EVENT || p.probability < needed) return { keep: false, reason: relevance.reason };
    return { keep: true, cls: { subType: p.subType, rule: `classifier:${p.probability.toFixed(2)}`, evidence: rules.evidence } };
  }
  // a weapon stopped before it struck is told with the words of one that went off ("a car bomb ... was
  // destroyed before it reached"): word statistics cannot see the difference, the rule can
  if (!classifier || rules.rule === 'weapon-disrupted') return { keep: true, cls: rules };
  const p = classifier.predict(features());
  const label = `classifier:${p.probability.toFixed(2)}`;
  const sure = (leadingSubType(live)?.score ?? 0) >= RULES_SURE_SCORE;
  if (p.subType === NO_EVENT) {
    // a veto overrules vague words only ("attacked", "killed", "fighting"), never specific ones ("attacked
    // an army base", "destroyed a car bomb"): the "none" it learnt from a few hundred texts is no match
    // for them
    const vague = (leadingSubType(live)?.score ?? 0) < RULES_SPECIFIC_SCORE;
    // (next to a storm, a match or a film, it takes less certainty: the rules kept the incident only
    // because an army or a group was named, often as rescuers or players)
    const veto = innocentNearby ? CLASSIFIER_VETO_NEAR_INNOCENT_PROBABILITY : CLASSIFIER_VETO_PROBABILITY;
    return p.probability >= veto && vague && !background ? { keep: false, reason: `${label}: no event` } : { keep: true, cls: rules };
  }
  // refining the sub-type within the rules' event type takes less certainty than changing the type
  const sameType = TYPE_OF_SUB_TYPE.get(p.subType) === TYPE_OF_SUB_TYPE.get(rules.subType);
  if (p.subType === rules.subType || p.probability < (sameType ? CLASSIFIER_MIN_PROBABILITY : CLASSIFIER_NEW_TYPE_PROBABILITY)) return { keep: true, cls: rules };
  // where a very specific cue made the rules sure ("released a message", "a suicide bomber"), the
  // classifier only chooses among the readings the words support: a cue of its own sub-type (a generic
  // verb, "attacked", supports nothing against a specific cue)
  const support = live.filter((x) => x.value.kind === 'event' && x.value.subType === p.subType && x.value.weight >= 3);
  if (sure && support.length === 0) return { keep: true, cls: rules };
  // (the tag keeps what the rules read: a reviewer sees both readings)
  return { keep: true, cls: { subType: p.subType, rule: `${label} over ${rules.rule}:${rules.subType}`, evidence: support.length ? support : rules.evidence } };
}

/**
 * When an event happened: its own time, else its sentence's before it, else the paragraph's before it,
 * else the day the paragraph's next sentences give it, else the day it was told in its own sentences ("have retaken the town, the
 * army said on Monday": it happened by then, and wire copy that gives no other day means that day).
 * Null leaves the report's date to the caller.
 */
function eventTime(ctx: DocContext, c: Candidate, paragraphBefore: (pos: number) => boolean): { time: TimeMention | null; rule: string } {
  if (c.time) return { time: c.time, rule: 'date:own' };
  const { sentences } = ctx.segmentation;
  const datelineEnd = ctx.dateline?.end ?? 0;
  const own = inCandidate(sentences, c);
  const sentenceOf = (pos: number): number => sentences.findIndex((x) => pos >= x.start && pos < x.end);
  const told = (t: TimeMention): boolean => isTellingTime(ctx.text, t, sentences[sentenceOf(t.start)]?.start ?? 0);
  // a clause with no day of its own has its sentence's, the first one told before it: "On 5 May,
  // 7 militants were killed, and 3 were arrested"
  const trigger = c.cues.find((x) => x.dropped === null && x.value.kind === 'event');
  const first = sentences[c.sentences[0]!]!;
  const inSentence = trigger && ctx.times.find((t) => t.start >= Math.max(first.start, datelineEnd) && t.end <= trigger.start && t.date !== null && t.tense === 'past' && !told(t));
  if (inSentence) return { time: inSentence, rule: 'date:sentence' };
  const inParagraph = [...ctx.times].reverse().find((t) => paragraphBefore(t.start));
  if (inParagraph) return { time: inParagraph, rule: 'date:paragraph' };
  // the day the next sentences of the paragraph give it, where they tell no incident of their own: a lead
  // told by attribution is often dated in its second sentence ("The base was captured on Thursday")
  const paragraph = sentences[c.sentences[0]!]!.paragraph;
  const last = Math.max(...c.sentences);
  const others = otherIncidentSentences(ctx, c);
  const later = ctx.times.find((t) => {
    const i = sentenceOf(t.start);
    return i > last && sentences[i]!.paragraph === paragraph && !others.has(i) && t.precision === 1 && t.tense === 'past' && t.date !== null && !told(t);
  });
  if (later) return { time: later, rule: 'date:paragraph-after' };
  return { time: ctx.times.find((t) => own(t.start) && t.start >= datelineEnd && t.tense === 'past' && told(t)) ?? null, rule: 'date:told' };
}

type Site = { placed: TownMention | null; name: SiteName | null };

// runs of capitalised words that may spell an admin area: "Lower Shabelle", "Al-Hasakeh", "Ta'izz"
const CAPITALISED_RUN = /\p{Lu}[\p{L}'’‘-]*(?:\s+(?:\p{Lu}[\p{L}'’‘-]*|al|el|de|do|da|del|and(?=\s+\p{Lu}))){0,3}/gu;

/** The capitalised words of a text and every tail of them, with their skeletons: for the last text asked. */
let written: { text: string; pieces: { piece: string; start: number; skeleton: string }[] } = { text: '', pieces: [] };

/** Where the text spells the admin area `name` its own way (see `sameAreaName`), the longest such words. */
function areaAsWritten(text: string, name: string, iso2: string, isCountry: (words: string) => boolean): { text: string; start: number; end: number } | null {
  if (written.text !== text) {
    const pieces: { piece: string; start: number; skeleton: string }[] = [];
    for (const m of text.matchAll(CAPITALISED_RUN)) {
      // the run or its tail: "in Idleb" is no run, "Northern Idleb" is one whose tail is the name
      const words = m[0].split(/\s+/);
      for (let i = 0; i < words.length; i++) {
        const piece = words.slice(i).join(' ');
        pieces.push({ piece, start: m.index + m[0].length - piece.length, skeleton: nameSkeleton(piece) });
      }
    }
    written = { text, pieces };
  }
  const target = nameSkeleton(name);
  // (a country's name is no province's: "Serbia" is not "Central Serbia")
  // (or by another name of it: "Extreme-Nord" is Cameroon's Far North, data/area-names.tsv; a short
  // form like "UP" is no way to write it out)
  const otherName = (piece: string): boolean => !/^[\p{Lu}&]+$/u.test(piece) && (otherAreaNames().get(piece)?.some((o) => !o.within && o.iso2 === iso2 && (o.admin1 === name || o.admin1 === areaName(name))) ?? false);
  // (the name itself before a run that ends with it: "Gujarat", not "Vadodara Gujarat")
  const hit =
    written.pieces.find((x) => x.skeleton === target && !isCountry(x.piece)) ??
    written.pieces.find((x) => (sameSkeleton(x.skeleton, target) || otherName(x.piece)) && !isCountry(x.piece));
  return hit ? { text: hit.piece, start: hit.start, end: hit.start + hit.piece.length } : null;
}

/**
 * Where an event happened, site by site: one event per site when the incident's own place is a list
 * ("attacked Manini and Komo"), as ACLED codes it; a list of sites the gazetteer does not know, each
 * placed near the event's own place; and, when the note says it stands for `wanted` events, the sites of
 * a bare list of that length (a site the gazetteer knows in the report's country placed there), else the
 * incident's place as many times.
 */
function eventSites(ctx: DocContext, c: Candidate, trigger: Cue, place: PlaceMention | null, own: boolean, wanted: number, reportIso2: string | null): Site[] {
  const { text } = ctx;
  const { sentences } = ctx.segmentation;
  const ownSentence = place?.kind === 'place' && own ? sentences.find((s) => place.start >= s.start && place.start < s.end) : undefined;
  const known = place?.kind === 'place' && ownSentence ? listedPlaces(text, ctx.places, place, ownSentence) : [place?.kind === 'place' ? place : null];
  const triggerSentence = sentences.find((s) => trigger.start >= s.start && trigger.start < s.end);
  const named = known.length === 1 && triggerSentence ? namedSites(text, triggerSentence) : [];
  const sites: Site[] = named.length >= 2 ? named.map((name) => ({ placed: known[0] ?? null, name })) : known.map((placed) => ({ placed, name: null }));
  if (wanted <= sites.length) return sites;
  const bare = c.sentences.map((i) => bareListSites(text, sentences[i]!, wanted)).find((x) => x.length > 0) ?? [];
  if (!bare.length) return Array.from({ length: wanted }, (_, i) => sites[i % sites.length]!);
  const inCountry = (p: TownMention): boolean => p.confidence >= 0.5 && (!reportIso2 || p.place.iso2 === reportIso2);
  const inGazetteer = bare.map((name) => ctx.places.find((p): p is TownMention => p.kind === 'place' && p.start >= name.start && p.end <= name.end + 1 && inCountry(p)) ?? null);
  const near = inGazetteer.find((p) => p !== null) ?? known.find((p) => p && inCountry(p)) ?? known[0] ?? null;
  return bare.map((name, i) => (inGazetteer[i] ? { placed: inGazetteer[i], name: null } : { placed: near, name }));
}

function resolveEvents(ctx: DocContext, m: Models): EventRecord[] {
  const { sentences } = ctx.segmentation;
  const text = ctx.text;
  const datelineEnd = ctx.dateline?.end ?? 0;
  const events: EventRecord[] = [];

  // The report's country, for events with no place of their own: a country named in the text, else a
  // country or place in the dateline, else the nationality most named.
  const reportCountry = documentCountry(ctx, m.countries);

  // the number of events the note says it makes ("Fatalities split across 3 events"), where it says so
  const split = codedSplit(text);
  // the toll the note's coder gives ("Fatalities coded as 0"), which the note's first incident carries
  // whatever its words say, and no other incident of the note adds to
  const codedToll = ctx.casualties.find((x) => x.what === 'killed' && x.rule === CODED_RULE) ?? null;
  // the two sides of the war the report's body reports on, for fighting it names no side of
  const dyad = conflictDyads(m.countries).find((d) => d.cue.test(text)) ?? null;
  // the sides of the fighting told so far, and where
  const fighting: { actor1: CodedActor; actor2: CodedActor | null; paragraph: number; at: number }[] = [];

  ctx.classified.forEach(({ candidate: c, trigger, live, actor1, actor2, killed: found, injured: inj, cls }, index) => {
    const k = codedToll ? (index === 0 ? codedToll : null) : found;
    const first = sentences[c.sentences[0]!]!;
    const paragraphBefore = (pos: number): boolean => pos >= datelineEnd && pos < first.start && sentences.some((s) => s.paragraph === first.paragraph && pos >= s.start && pos < s.end);

    const dated = eventTime(ctx, c, paragraphBefore);
    const time = dated.time;
    let timeRule = dated.rule;
    if (time?.tense === 'future') return; // a plan, not an event
    const triggerSpan = span(text, trigger.start, trigger.end);

    // place: the event's own, else the paragraph's, else the report's first place outside the dateline
    let place = c.place;
    let placeRule = 'place:own';
    if (!place) {
      place = ctx.places.find((p) => p.kind === 'place' && paragraphBefore(p.start) && p.confidence >= 0.5) ?? null;
      placeRule = 'place:paragraph';
    }
    if (!place) {
      place = ctx.places.find((p) => p.kind === 'place' && p.start >= datelineEnd && p.confidence >= 0.5) ?? null;
      placeRule = 'place:report';
    }
    // a note that says it stands for more events than the incidents read: the first incident is the one split
    const wanted = split && split.n <= MAX_CODED_SPLIT && index === 0 ? split.n - (ctx.classified.length - 1) : 0;
    const sites = eventSites(ctx, c, trigger, place, placeRule === 'place:own', wanted, reportCountry?.country.iso2 ?? null);
    sites.forEach(({ placed, name }, site) => {
      const siteTags = sites.length > 1 ? [`place:site-${site + 1}-of-${sites.length}`] : [];
      if (wanted > 1 && split) siteTags.push(`events:split-by-note-${split.n}`);
      const country = placed ? m.countries.byCode(placed.place.iso2) ?? null : reportCountry?.country ?? null;
      const countrySpan = placed ? span(text, placed.start, placed.end) : reportCountry ? span(text, reportCountry.start, reportCountry.end) : null;

      const eventType = TYPE_OF_SUB_TYPE.get(cls.subType)!;

      let eventDate: string | null = time?.date ?? null;
      let precision: 1 | 2 | 3 | null = time ? time.precision : null;
      const tags = [cls.rule, ...new Set(live.map((x) => x.rule))];
      if (!eventDate && ctx.reportDate) {
        eventDate = ctx.reportDate;
        precision = 1;
        timeRule = 'date:report';
      }
      if (!eventDate) ctx.messages.push({ level: 'warning', code: 'date.unresolved', text: `no date for the event at "${trigger.text}": the report has no date and the text gives none`, start: trigger.start, end: trigger.end });
      tags.push(timeRule, placeRule, ...siteTags);
      const background = !!(eventDate && ctx.reportDate && eventDate < addDays(ctx.reportDate, -ctx.options.backgroundAfterDays));

      const resolved1 = actor1 ? resolveActor(actor1, country, eventDate, m.actors, m.countries) : null;
      const resolved2 = actor2 ? resolveActor(actor2, country, eventDate, m.actors, m.countries) : null;
      const coded = codedActors(cls.subType, resolved1 && actor1 ? { ...resolved1, mention: actor1 } : null, resolved2 && actor2 ? { ...resolved2, mention: actor2 } : null, country, eventDate, text, m.actors, dyad);
      // fighting whose own sentences name no one, told right after other fighting: the same sides ("A
      // second suicide attacker emerged from the same area")
      const paragraph = sentences[trigger.sentence]!.paragraph;
      const violent = eventType === 'Battles' || eventType === 'Explosions/Remote violence';
      const before = fighting.filter((x) => x.at < trigger.start && paragraph - x.paragraph <= 1).pop();
      if (violent && !coded.actor1 && !coded.actor2 && before) {
        coded.actor1 = before.actor1;
        coded.actor2 = before.actor2;
        coded.rule = 'actors:previous-incident';
      }
      // (a weapon stopped before it struck is fighting too: "the special forces blew up the car bomb")
      if ((violent || cls.subType === 'Disrupted weapons use') && coded.actor1) {
        // (where the incident's own sentences end: an incident may be told in two places)
        const last = sentences[Math.max(...c.sentences)]!;
        fighting.push({ actor1: { ...coded.actor1, mention: null }, actor2: coded.actor2 && { ...coded.actor2, mention: null }, paragraph: last.paragraph, at: last.start });
        fighting.sort((a, b) => a.at - b.at);
      }
      const name1 = coded.actor1?.name ?? null;
      const inter1 = coded.actor1?.inter ?? null;
      const name2 = coded.actor2?.name ?? null;
      if (coded.rule) tags.push(coded.rule);
      // who the protesters, rioters or struck civilians were, where the incident's sentences say
      const groups = country ? assocGroupsIn(c.sentences.map((i) => sentences[i]!), text) : [];
      const crowdSide = eventType === 'Protests' || eventType === 'Riots' ? 1 : name2?.startsWith('Civilians') ? 2 : 0;
      const assoc = groups.length && crowdSide ? groups.map((g) => ({ ...g, name: `${g.label} (${country!.name})` })) : [];

      const evidence: Partial<Record<EvidencedField, Span[]>> = {};
      const typeSpans = (cls.evidence.length ? cls.evidence : live).slice(0, 3).map((x) => span(text, x.start, x.end));
      evidence.event_type = typeSpans;
      evidence.sub_event_type = typeSpans;
      if (eventDate) evidence.event_date = [time ? span(text, time.start, time.end) : triggerSpan];
      if (country && countrySpan) evidence.country = [countrySpan];
      if (name) evidence.location = [span(text, name.start, name.end)];
      // the province as the report spells it ("Idleb", "Lower Shabelle"), else GeoNames' name without
      // the word for its kind ("Kaduna State" → "Kaduna"), as ACLED writes it
      const admin1Written = placed?.place.admin1 ? areaAsWritten(text, placed.place.admin1, placed.place.iso2, (w) => m.countries.lookup(w) !== undefined) : null;
      if (placed) {
        const placeSpans = [span(text, placed.start, placed.end), ...(placed.qualifier ? [span(text, placed.qualifier.start, placed.qualifier.end)] : [])];
        evidence.location ??= placeSpans;
        if (placed.place.admin1) evidence.admin1 = [admin1Written ? span(text, admin1Written.start, admin1Written.end) : placeSpans[0]!];
        if (placed.place.admin2) evidence.admin2 = [placeSpans[0]!];
      }
      // (an actor the conventions supply stands on the words that made the event of its kind)
      if (coded.actor1) evidence.actor1 = [coded.actor1.mention ? span(text, coded.actor1.mention.start, coded.actor1.mention.end) : typeSpans[0]!];
      if (coded.actor2) evidence.actor2 = [coded.actor2.mention ? span(text, coded.actor2.mention.start, coded.actor2.mention.end) : typeSpans[0]!];
      if (assoc.length) evidence[crowdSide === 1 ? 'assoc_actor_1' : 'assoc_actor_2'] = assoc.map((g) => span(text, g.start, g.end));
      // ACLED records 0 when a report mentions no deaths: the event's own words are the evidence
      evidence.fatalities = [k ? span(text, k.start, k.end) : triggerSpan];
      evidence.injuries = [inj ? span(text, inj.start, inj.end) : triggerSpan];
      if (!k) tags.push('fatalities:none-reported');
      else if (k.rule === CODED_RULE) tags.push('fatalities:coded');

      const confidence = Math.min(0.95, 0.35 + Math.min(0.4, (live.reduce((s, x) => s + x.value.weight, 0) / 20)) + (placed ? 0.1 : 0) + (c.time ? 0.1 : 0));
      events.push({
        event_id: `${ctx.doc.id}#${events.length + 1}`,
        event_type: eventType,
        sub_event_type: cls.subType,
        event_date: eventDate,
        time_precision: eventDate ? precision : null,
        background,
        actor1: name1,
        assoc_actor_1: crowdSide === 1 && assoc.length ? assoc.map((g) => g.name).join('; ') : null,
        inter1,
        actor2: name2,
        assoc_actor_2: crowdSide === 2 && assoc.length ? assoc.map((g) => g.name).join('; ') : null,
        inter2: coded.actor2?.inter ?? null,
        country: country?.name ?? null,
        iso2: country?.iso2 ?? null,
        admin1: admin1Written ? areaName(admin1Written.text) : placed?.place.admin1 ? latinFold(areaName(placed.place.admin1)) : null,
        admin2: placed?.place.admin2 ?? null,
        location: name?.text ?? placed?.place.name ?? null,
        latitude: placed ? round(placed.place.latitude) : country ? round(country.latitude) : null,
        longitude: placed ? round(placed.place.longitude) : country ? round(country.longitude) : null,
        // a site the gazetteer does not know sits near the place it does: a part of or near a town, at best
        geo_precision: placed ? (name ? Math.max(2, placed.precision) as 2 | 3 : placed.precision) : country ? 3 : null,
        // a toll told for the whole list is split between its sites, the remainder to the first
        fatalities: share(k?.best ?? 0, sites.length, site),
        fatalities_low: share(k?.low ?? 0, sites.length, site),
        fatalities_high: share(k?.high ?? 0, sites.length, site),
        injuries: share(inj?.best ?? 0, sites.length, site),
        confidence: round(confidence, 2),
        evidence,
        sources: [ctx.doc.id],
        tags,
      });
    });
  });
  return events;
}

/** The part of a count that falls to site `index` of `n`: an even split, the remainder to the first, so no one is counted twice. */
function share(total: number, n: number, index: number): number {
  const each = Math.floor(total / n);
  return index === 0 ? total - each * (n - 1) : each;
}

/** An actor as ACLED names it, with the words that name it, if any. */
interface CodedActor {
  readonly name: string;
  readonly inter: number;
  readonly mention: ActorMention | null;
}

const VIOLENCE_AGAINST_CIVILIANS: ReadonlySet<SubEventType> = new Set<SubEventType>(['Attack', 'Abduction/forced disappearance', 'Sexual violence']);
// the words that make unknown perpetrators a gang in ACLED's coding, not an armed group
const GANG_WORDS = /\b(?:gangs?|gang members|cartels?|narco|drug[- ](?:traffick|deal|gang|cartel)|criminal group|organi[sz]ed crime)/i;

/**
 * The actors of an event as ACLED codes its kind (measured on the dev notes: every protest's actor1 is
 * Protesters (country) and every riot's Rioters (country), whatever group the words name; every
 * attack's, abduction's and sexual violence's actor2 is Civilians (country)). Where the words name no
 * perpetrator of violence against civilians, it is an unidentified armed group (a gang where the report
 * speaks of gangs or cartels); where they name the state forces that intervened in a protest, those are
 * actor2, else the police. Returns the actors and the convention used, if any.
 */
function codedActors(sub: SubEventType, found1: CodedActor | null, found2: CodedActor | null, country: { iso2: string; name: string } | null, date: string | null, text: string, dictionary: ActorDictionary, dyad: ConflictDyad | null): { actor1: CodedActor | null; actor2: CodedActor | null; rule: string | null } {
  const type = TYPE_OF_SUB_TYPE.get(sub)!;
  const generic = (label: string, inter: number): CodedActor => ({ name: country ? `${label} (${country.name})` : label, inter, mention: null });
  const found = [found1, found2].filter((a): a is CodedActor => a !== null);
  const crowd = (a: CodedActor): boolean => a.mention !== null && ['civilians', 'protesters', 'rioters'].includes(a.mention.actorKind);
  const state = found.find((a) => a.mention?.actorKind === 'police' || a.mention?.actorKind === 'military') ?? null;
  const police = (): CodedActor => (country ? { name: dictionary.stateForcesName('police', country.iso2, country.name, date), inter: 1, mention: null } : generic('Police Forces', 1));
  if (type === 'Protests') {
    const protesters = { ...generic('Protesters', 6), mention: found.find((a) => a.mention?.actorKind === 'protesters')?.mention ?? null };
    if (sub === 'Peaceful protest') return { actor1: protesters, actor2: null, rule: 'actors:protest' };
    return { actor1: protesters, actor2: state ?? found.find((a) => !crowd(a)) ?? police(), rule: 'actors:protest' };
  }
  if (type === 'Riots') {
    const rioters = { ...generic('Rioters', 5), mention: found.find((a) => a.mention?.actorKind === 'rioters')?.mention ?? null };
    // (whom they fought: the state's forces first, then an armed group, then the civilians they struck)
    const other = state ?? found.find((a) => !crowd(a)) ?? (found2 && found2.mention?.actorKind === 'civilians' ? found2 : null);
    return { actor1: rioters, actor2: other ?? (sub === 'Mob violence' ? generic('Civilians', 7) : null), rule: 'actors:riot' };
  }
  // (the one who acted; after the act, an armed group may be the doer too, but state forces named there
  // are more often those who came after it: "police suspect a cartel dispute")
  const perpetrator = (): CodedActor =>
    (found1 && !crowd(found1) ? found1 : null) ??
    (found2 && (found2.mention?.actorKind === 'group' || found2.mention?.actorKind === 'unidentified') ? found2 : null) ??
    generic(GANG_WORDS.test(text) ? 'Unidentified Gang' : 'Unidentified Armed Group', 3);
  if (VIOLENCE_AGAINST_CIVILIANS.has(sub)) {
    const victims = { ...generic('Civilians', 7), mention: found.find((a) => a.mention?.actorKind === 'civilians')?.mention ?? null };
    return { actor1: perpetrator(), actor2: victims, rule: 'actors:violence-against-civilians' };
  }
  if (sub === 'Looting/property destruction') {
    const a1 = found1 && !crowd(found1) ? found1 : perpetrator();
    return { actor1: a1, actor2: found.find((a) => a !== a1) ?? generic('Civilians', 7), rule: 'actors:looting' };
  }
  if (sub === 'Arrests') return { actor1: state ?? police(), actor2: found.find((a) => a !== state) ?? generic('Civilians', 7), rule: 'actors:arrests' };
  // fighting the report names no side of, told by a body that reports on one war only
  if (dyad && found.length === 0 && (type === 'Battles' || type === 'Explosions/Remote violence')) {
    const side = (spec: string): CodedActor => {
      const [kind, iso2] = spec.split(':') as [string, string | undefined];
      const state = (kind === 'military' || kind === 'police') && iso2 ? { name: dictionary.stateForcesName(kind, iso2, dyad.countryName(iso2), date), inter: 1 } : null;
      return { name: state?.name ?? spec, inter: state?.inter ?? 2, mention: null };
    };
    return { actor1: side(dyad.actor1), actor2: side(dyad.actor2), rule: 'actors:dyad' };
  }
  return { actor1: found1, actor2: found2, rule: null };
}

let assocGroups: { label: string; words: RegExp }[] | undefined;

/** data/assoc-groups.tsv: the occupational and identity groups named in some sentences, once each, in text order. */
function assocGroupsIn(inSentences: readonly Sentence[], text: string): { label: string; start: number; end: number }[] {
  assocGroups ??= readTsv(dataPath('assoc-groups.tsv')).map(({ cols }) => ({ label: cols[0]!, words: new RegExp(`\\b(?:${cols[1]!.split('|').map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/ /g, '\\s+')).join('|')})\\b`, 'i') }));
  const found: { label: string; start: number; end: number }[] = [];
  for (const g of assocGroups) {
    for (const s of inSentences) {
      const m = g.words.exec(text.slice(s.start, s.end));
      if (m) {
        found.push({ label: g.label, start: s.start + m.index, end: s.start + m.index + m[0].length });
        break;
      }
    }
  }
  return found.sort((a, b) => a.start - b.start);
}

interface ConflictDyad {
  readonly cue: RegExp;
  readonly actor1: string;
  readonly actor2: string;
  readonly countryName: (iso2: string) => string;
}

let dyads: ConflictDyad[] | undefined;

/** data/conflict-dyads.tsv: the two sides of a war a body reports on (see the file's header). */
function conflictDyads(countries: Countries): readonly ConflictDyad[] {
  dyads ??= readTsv(dataPath('conflict-dyads.tsv')).map(({ cols }) => ({
    cue: nameAsWritten(cols[0]!),
    actor1: cols[1]!,
    actor2: cols[2]!,
    countryName: (iso2: string) => countries.byCode(iso2)?.name ?? iso2,
  }));
  return dyads;
}

/** Sub-types of violence against people: whom the trigger struck tells which. */
const STRUCK_PEOPLE: ReadonlySet<SubEventType> = new Set<SubEventType>(['Armed clash', 'Attack', 'Mob violence', 'Abduction/forced disappearance']);

/**
 * What the classifier sees of a candidate: its words and the rest of its paragraphs, the cues and
 * modifiers that fired (and their words), the rules' reading, every actor kind in it and who acts on
 * whom, whether people died or were hurt and who they were ("killed a soldier" is a battle, "killed a
 * farmer" an attack).
 */
export function candidateFeatures(ctx: DocContext, k: Omit<ClassifiedCandidate, 'cls'>, rules: Classification): string[] {
  const { candidate: c, actor1, actor2, killed, injured, trigger } = k;
  const f: string[] = [];
  const { sentences, tokens } = ctx.segmentation;
  // words alone: word pairs added nothing on ACLED's notes, lost two points on the wire sets and cost a
  // fifth of the pipeline's time in lookups
  for (const i of c.sentences) {
    for (let k = sentences[i]!.firstToken; k < sentences[i]!.lastToken; k++) {
      const t = tokens[k]!;
      if (t.pos !== 'PUNCT') f.push(`w:${t.pos === 'NUM' || /^\d/.test(t.lower) ? '<num>' : t.lower}`);
    }
  }
  for (const x of c.cues) {
    if (x.dropped) {
      f.push(`dropped:${x.dropped}`);
      continue;
    }
    if (x.rule === LEAD_SENTENCE) continue;
    if (x.value.kind === 'event') f.push(`cue:${x.value.subType}`, `cue-text:${x.text.toLowerCase()}`, ...(x.anaphoric ? ['cue:anaphoric'] : []));
    else f.push(`mod:${x.value.modifier}`);
  }
  // the rest of the candidate's paragraphs, in their own namespace: who the victim was ("The victim had
  // a criminal record"), what the forces did next, told without an event word of their own (cross-
  // validated on ACLED's notes: event_type 0.870 to 0.885)
  const paragraphs = new Set(c.sentences.map((i) => sentences[i]!.paragraph));
  const own = new Set(c.sentences);
  // (not another incident's sentences: on wire copy a paragraph often tells two)
  const others = otherIncidentSentences(ctx, c);
  sentences.forEach((s, i) => {
    if (own.has(i) || others.has(i) || !paragraphs.has(s.paragraph)) return;
    for (let j = s.firstToken; j < s.lastToken; j++) {
      const t = tokens[j]!;
      if (t.pos !== 'PUNCT') f.push(`p:${t.pos === 'NUM' || /^\d/.test(t.lower) ? '<num>' : t.lower}`);
    }
  });
  // the words right around each cue, in their own namespace: "attacked a patrol" is not "attacked a
  // village", though both sentences hold both words (cross-validated: event_type 0.920 to 0.922)
  for (const x of k.live) {
    const { firstToken, lastToken } = sentences[x.sentence]!;
    let at = firstToken;
    while (at < lastToken && tokens[at]!.start < x.start) at++;
    for (let j = Math.max(firstToken, at - 3); j < Math.min(lastToken, at + 4); j++) if (tokens[j]!.pos !== 'PUNCT') f.push(`tw:${tokens[j]!.lower}`);
  }
  const lead = leadingSubType(k.live);
  // a lead read without an event word has no rules' reading: its own features say so
  if (rules.rule === LEAD_SENTENCE) f.push(`rule-by:${LEAD_SENTENCE}`);
  else f.push(`rule:${rules.subType}`, `rule-by:${rules.rule}`, `trigger:${trigger.text.toLowerCase()}`);
  if (lead) f.push(`lead:${lead.subType}`, `lead:${lead.subType}:${lead.score >= 5 ? 'strong' : 'weak'}`);
  const inEvent = (pos: number): boolean => c.sentences.some((i) => pos >= sentences[i]!.start && pos < sentences[i]!.end);
  for (const a of ctx.actors) if (inEvent(a.start)) f.push(`actor:${a.actorKind}`, `inter:${a.inter}`);
  f.push(`a1:${actor1?.actorKind ?? 'none'}`, `a2:${actor2?.actorKind ?? 'none'}`, `a1a2:${actor1?.actorKind ?? 'none'}_${actor2?.actorKind ?? 'none'}`);
  if (actor1) f.push(`i1:${actor1.inter}`);
  if (actor2) f.push(`i2:${actor2.inter}`);
  f.push(killed ? 'killed' : 'no-killed', injured ? 'injured' : 'no-injured');
  // whom the trigger struck, in its own namespace: "a police patrol was ambushed" is a clash
  // (for violence against people only: elsewhere the words added noise to the rare sub-types)
  if (lead && STRUCK_PEOPLE.has(lead.subType)) for (const w of k.target.toLowerCase().match(/[a-z]+/g) ?? []) f.push(`t:${w}`);
  // the victims: the words right after a casualty figure ("killed two soldiers", "3 policemen injured")
  for (const x of [killed, injured]) {
    if (!x) continue;
    const after = ctx.text.slice(x.start, Math.min(ctx.text.length, x.end + 40)).toLowerCase().match(/[a-z]+/g) ?? [];
    for (const w of after.slice(0, 6)) f.push(`victim:${w}`);
  }
  return f;
}

function round(x: number, digits = 5): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** The countries of the groups a report names that fight in one country only (the first of actors.tsv's countries where its lines agree). */
function actorHomes(actors: readonly ActorMention[]): string[] {
  const homes = new Set<string>();
  for (const a of actors) {
    const countries = new Set(a.entries.map((e) => (e.countries.length === 1 ? e.countries[0]! : '*')));
    if (countries.size === 1 && !countries.has('*')) homes.add([...countries][0]!);
  }
  return [...homes];
}

function documentCountry(ctx: DocContext, countries: Countries): { country: NonNullable<ReturnType<Countries['byCode']>>; start: number; end: number } | null {
  const datelineEnd = ctx.dateline?.end ?? 0;
  // (not a backer's: "a Turkey backed faction", "the Saudi-led coalition")
  const named = ctx.places.find((p) => p.kind === 'country' && !p.demonym && p.start >= datelineEnd && !/^[-\s](?:led|backed|based|made|born|supported)\b/.test(ctx.text.slice(p.end, p.end + 10)));
  if (named?.kind === 'country') return { country: named.country, start: named.start, end: named.end };
  const inDateline = ctx.places.find((p) => p.start < datelineEnd);
  if (inDateline?.kind === 'country') return { country: inDateline.country, start: inDateline.start, end: inDateline.end };
  // a mission that works in one country only: "the OSCE SMM observed explosions near Lozove"
  for (const { name, iso2 } of countryCues()) {
    const m = name.exec(ctx.text);
    const country = m ? countries.byCode(iso2) : undefined;
    if (m && country) return { country, start: m.index, end: m.index + m[0].length };
  }
  // a nationality, unless it names a force, which may fight abroad ("French Barkhane forces"): then the
  // home country of a group named comes first
  const demonyms = ctx.places.filter((p): p is Extract<PlaceMention, { kind: 'country' }> => p.kind === 'country');
  const ofForce = (p: { end: number }): boolean => FORCE_AFTER.test(ctx.text.slice(p.end, p.end + 40));
  const demonym = demonyms.find((p) => !ofForce(p));
  if (demonym) return { country: demonym.country, start: demonym.start, end: demonym.end };
  // a group's home country says where the report is, when its lines agree on it (the main country comes
  // first in actors.tsv): the Houthis in Yemen, the ADF in Congo, not the Islamic State
  for (const a of ctx.actors) {
    const homes = new Set(a.entries.map((e) => e.countries[0] ?? '*'));
    const home = homes.size === 1 ? [...homes][0]! : '*';
    const country = home === '*' ? undefined : countries.byCode(home);
    if (country) return { country, start: a.start, end: a.end };
  }
  const force = demonyms[0];
  return force ? { country: force.country, start: force.start, end: force.end } : null;
}

/**
 * The words after a nationality that make it a force's, which may act abroad ("Israeli forces", "French
 * Operation Barkhane"), or a neighbour's ("near the Turkish border").
 */
const FORCE_AFTER = /^[\s-]+(?:[\p{L}-]+\s+){0,2}?(?:forces|troops|army|military|soldiers|aircraft|warplanes|jets|drones?|air\s*strikes?|airstrikes|artillery|navy|operation|coalition|border|frontier)\b/iu;

const PASSIVE_BY = /^\s*(?:\w+\s+){0,3}?by\s+(?:the\s+|suspected\s+|alleged\s+)*$/i;
/** ... and after a passive verb, further on: the place and the time may come first */
const PASSIVE_BY_FAR = /^\s*(?:[\w'-]+\s+){0,7}?by\s+(?:(?:the|suspected|alleged|about|around|some|several|at\s+least|\d+|two|three|four|five|a|an)\s+)*$/i;

const SUPPORTED_BY = /^,?\s*(?:(?:who\s+(?:were|was)\s+)?(?:supported|backed|aided|assisted|accompanied|joined|reinforced)\s+by|alongside|together with|with the (?:help|support) of)\s+(?:the\s+)?(?:[\p{L}-]+\s+){0,2}$/iu;
const PRONOUN_SUBJECT = /(?:,|;|\band\b|\bbut\b|\bthen\b)\s+(?:\S+\s+){0,4}?(?:they|he|she)\s+(?:\S+\s+){0,2}$/i;

/**
 * actor1 acts, actor2 is acted on. Active voice: the nearest actor before the trigger acts and the
 * first after it is the target. Passive ("were attacked by X"): X acts and the subject is the target.
 */
export function assignRoles(text: string, actors: readonly ActorMention[], trigger: Cue): { actor1: ActorMention | null; actor2: ActorMention | null } {
  const before = actors.filter((a) => a.end <= trigger.start);
  const after = actors.filter((a) => a.start >= trigger.end);
  // in the passive the agent may come after the place ("a man was shot dead in the market by two armed men")
  const passive = PASSIVE_BEFORE.test(text.slice(Math.max(0, trigger.start - 40), trigger.start));
  const agentByPhrase = after.find((a) => PASSIVE_BY.test(text.slice(trigger.end, a.start)) || (passive && PASSIVE_BY_FAR.test(text.slice(trigger.end, a.start))));
  if (agentByPhrase) {
    // the subject is the target; where it names several ("a policeman and two civilians were killed"),
    // an armed one makes the event a clash in ACLED's terms, so it is the one that counts
    const clauseStart = Math.max(text.lastIndexOf(',', trigger.start), text.lastIndexOf(';', trigger.start), text.lastIndexOf('. ', trigger.start));
    const subject = before.filter((a) => a.start > clauseStart);
    const armed = subject.find((a) => a.actorKind === 'military' || a.actorKind === 'police' || (a.actorKind === 'group' && a.inter <= 4));
    // (and where nothing comes before, what the act struck comes after: "an IED planted by the Taliban
    // destroyed an army vehicle")
    const struck = after.find((a) => a !== agentByPhrase && a.start > agentByPhrase.end && (a.actorKind !== agentByPhrase.actorKind || a.name !== agentByPhrase.name || a.iso2 !== agentByPhrase.iso2));
    return { actor1: agentByPhrase, actor2: armed ?? before[before.length - 1] ?? struck ?? null };
  }
  // "the town fell to the militants": who took it comes after, and the town's people are not its defenders
  if (/\b(?:fell|fallen|falls|falling)\s+to$/i.test(trigger.text) || (/\b(?:fell|fallen|falls|falling)$/i.test(trigger.text) && /^\s+to\b/i.test(text.slice(trigger.end, trigger.end + 5)))) {
    const taker = after.find((a) => a.actorKind === 'group' || a.actorKind === 'military' || a.actorKind === 'unidentified' || a.actorKind === 'police');
    if (taker) return { actor1: taker, actor2: before.filter((a) => a.actorKind === 'military' || a.actorKind === 'police' || a.actorKind === 'group').pop() ?? null };
  }
  let actor1 = before[before.length - 1] ?? null;
  // "the army, supported by Russian fighters, took back the town": the supporters are not the actor
  const main = before[before.length - 2];
  if (actor1 && main && SUPPORTED_BY.test(text.slice(main.end, actor1.start))) actor1 = main;
  // "rebels fought soldiers on Saturday, and on Sunday they captured the town": a pronoun after the
  // nearest actor takes up the clause's subject, the first actor of the sentence, not its object
  const gap = actor1 ? text.slice(actor1.end, trigger.start) : '';
  if (actor1 && PRONOUN_SUBJECT.test(gap)) {
    const sentenceStart = Math.max(text.lastIndexOf('. ', trigger.start), text.lastIndexOf('\n', trigger.start)) + 1;
    const subject = before.find((a) => a.start >= sentenceStart);
    if (subject && subject !== actor1) {
      return { actor1: subject, actor2: actor1 };
    }
  }
  // (another actor: another kind, another group, or the forces of another country)
  let actor2 = after.find((a) => a !== actor1 && (actor1 === null || a.actorKind !== actor1.actorKind || a.name !== actor1.name || (a.iso2 !== null && a.iso2 !== actor1.iso2))) ?? null;
  if (!actor1 && after.length > 0) {
    actor1 = after[0]!;
    actor2 = after.find((a) => a.actorKind !== actor1!.actorKind) ?? null;
  }
  return { actor1, actor2 };
}
