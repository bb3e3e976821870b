// Actors: who acted and against whom. Named groups come from the team's actor dictionary
// (data/actors.tsv); state forces ("Iraqi special forces", "troops", "police") and generic actors
// (protesters, rioters, civilians, unidentified gunmen) are recognised by pattern and named in ACLED's
// style once the event's country and date are known.
import { existsSync } from 'node:fs';
import type { Countries } from '../geo/countries.js';
import { dataPath } from '../paths.js';
import { PhraseIndex, phraseKey, readTsv, type LexiconEntry } from './lexicon.js';

export type ActorKind = 'group' | 'military' | 'police' | 'protesters' | 'rioters' | 'civilians' | 'unidentified';

export interface ActorMention {
  readonly kind: 'actor';
  readonly start: number;
  readonly end: number;
  readonly text: string;
  readonly actorKind: ActorKind;
  /** the dictionary name for named groups; null when it depends on the event's country */
  readonly name: string | null;
  /** every dictionary line the words may mean ("Islamic State" has a line per country and period) */
  readonly entries: readonly GroupEntry[];
  /** the country the words themselves give ("Iraqi troops"), if any */
  readonly iso2: string | null;
  readonly inter: number;
  readonly rule: string;
}

export interface GroupEntry {
  readonly name: string;
  readonly inter: number;
  /** the countries the line applies in (main country first); empty for anywhere ("*") */
  readonly countries: readonly string[];
  /** validity as [from, to) in YYYY.MM, either open */
  readonly from: string | null;
  readonly to: string | null;
}

/** "2015.03-2016.08", "2006-", "1996-2001" → comparable YYYY.MM bounds (a bare end year includes the year). */
export function parsePeriod(years: string): { from: string | null; to: string | null } {
  if (!years.trim()) return { from: null, to: null };
  const [a, b] = years.split('-');
  const norm = (x: string | undefined, end: boolean): string | null => {
    if (!x) return null;
    return x.includes('.') ? x : `${x}.${end ? '13' : '01'}`;
  };
  return { from: norm(a, false), to: norm(b, true) };
}

function inPeriod(e: { from: string | null; to: string | null }, date: string | null): boolean {
  if (!date) return true;
  const ym = `${date.slice(0, 4)}.${date.slice(5, 7)}`;
  return (e.from === null || ym >= e.from) && (e.to === null || ym <= e.to);
}

/**
 * The dictionary line meant in this event: one for the event's country and date, else one for anywhere,
 * else one for the country at another date, else the first. Later lines win ties: periods are listed
 * oldest first and share their boundary.
 */
export function pickEntry(entries: readonly GroupEntry[], iso2: string | null, date: string | null): GroupEntry | undefined {
  const here = (e: GroupEntry): boolean => iso2 !== null && e.countries.includes(iso2);
  const tiers = [
    (e: GroupEntry) => here(e) && inPeriod(e, date),
    (e: GroupEntry) => e.countries.length === 0 && inPeriod(e, date),
    (e: GroupEntry) => here(e),
    (e: GroupEntry) => e.countries.length === 0,
  ];
  for (const t of tiers) {
    const hits = entries.filter(t);
    if (hits.length) return hits[hits.length - 1];
  }
  return entries[0];
}

interface StateForces {
  readonly name: string;
  /** periods such as "2014-" or "2004-2014", as ACLED appends them to the actor name */
  readonly military: readonly string[];
  readonly police: readonly string[];
}

export class ActorDictionary {
  readonly groups: PhraseIndex<GroupEntry[]>;
  private readonly states = new Map<string, StateForces>();

  constructor(groupsFile = dataPath('actors.tsv'), statesFile = dataPath('state-forces.tsv')) {
    // one lexicon entry per surface form, holding every line that uses it
    const bySurface = new Map<string, { lines: GroupEntry[]; where: string }>();
    if (existsSync(groupsFile)) {
      for (const { cols, line } of readTsv(groupsFile)) {
        const [name, inter, country, years, aliases] = cols;
        if (!name || !inter) continue;
        const value: GroupEntry = { name, inter: Number(inter), countries: !country || country === '*' ? [] : country.split('|'), ...parsePeriod(years ?? '') };
        // the canonical name is matched only when it is also an alias (data/README.md): "Militia (X)" must not make every militia X
        const surfaces = new Set((aliases ?? '').split('|'));
        for (const surface of surfaces) {
          const key = phraseKey(surface);
          if (key.length <= 2) continue;
          const slot = bySurface.get(key) ?? { lines: [], where: `actors.tsv:${line}` };
          slot.lines.push(value);
          bySurface.set(key, slot);
        }
      }
    }
    const entries: LexiconEntry<GroupEntry[]>[] = [...bySurface].map(([pattern, slot]) => ({ pattern, value: slot.lines, where: slot.where }));
    this.groups = new PhraseIndex(entries);
    if (existsSync(statesFile)) {
      for (const { cols } of readTsv(statesFile)) {
        const [iso2, name, , military, police] = cols;
        if (!iso2 || !name) continue;
        this.states.set(iso2, { name, military: (military ?? '').split('|').filter(Boolean), police: (police ?? '').split('|').filter(Boolean) });
      }
    }
  }

  /** "Military Forces of Iraq (2014-)": the period that contains the event date, else the latest. */
  stateForcesName(kind: 'military' | 'police', iso2: string, countryName: string, date: string | null): string {
    const s = this.states.get(iso2);
    const base = `${kind === 'military' ? 'Military' : 'Police'} Forces of ${s?.name ?? countryName}`;
    const periods = s ? (kind === 'military' ? s.military : s.police) : [];
    if (periods.length === 0) return base;
    // the latest period that contains the date (periods share their boundary month)
    const fits = [...periods].reverse().find((p) => inPeriod(parsePeriod(p), date)) ?? periods[periods.length - 1]!;
    // ACLED labels periods by year only: "(2014-)", "(2004-2014)"
    return `${base} (${fits.replace(/\.\d{2}/g, '')})`;
  }
}

// Either case for the first letter: "Iraqi Security Forces" and "security forces" are the same actor.
const anyCase = (alternation: string): string => alternation.replace(/(^|[(|:])([a-z])/g, (_m, pre: string, c: string) => `${pre}[${c}${c.toUpperCase()}]`);
const FORCE_MODIFIERS_RAW = '(?:(?:special|security|government|govt|armed|regular|elite|federal|national|military|army|naval|air|border|riot|counter[- ]terrorism|anti[- ]terror(?:ism)?|paramilitary|state|pro[- ]government)\\s+){0,3}';
const FORCE_NOUNS_RAW = '(forces|force|troops|soldiers?|army|military|policem[ae]n|police(?:\\s+officers?)?|officers|personnel|gendarmes|gendarmerie|marines|commandos|paratroopers|servicem[ae]n|security agents)';
const FORCE_MODIFIERS = anyCase(FORCE_MODIFIERS_RAW);
const FORCE_NOUNS = anyCase(FORCE_NOUNS_RAW);
const STATE_FORCES = new RegExp(`(?:\\b([A-Z][\\p{L}'-]+(?:\\s[A-Z][\\p{L}'-]+)?)\\s+)?\\b${FORCE_MODIFIERS}${FORCE_NOUNS}\\b`, 'gu');

// "the military forces of Azerbaijan", "security forces of Iraq": the country after the noun
const FORCES_OF = /\b(?:[Tt]he\s+)?([Mm]ilitary|[Aa]rmed|[Ss]ecurity|[Pp]olice|[Dd]efen[cs]e|[Gg]overnment)\s+forces\s+of\s+(?:the\s+)?([A-Z][\p{L}'-]+(?:\s[A-Z][\p{L}'-]+)?)/gu;

const GENERIC: readonly { kind: Exclude<ActorKind, 'group' | 'military' | 'police'>; inter: number; re: RegExp }[] = [
  { kind: 'protesters', inter: 6, re: /\b(?:protesters|protestors|demonstrators|marchers|rally-goers|strikers|striking workers|activists)\b/gi },
  { kind: 'rioters', inter: 5, re: /\b(?:rioters|(?:an? |the )?(?:angry )?mob|vigilantes|youths|a group of (?:youths|young men|people|men|villagers|residents|locals))\b/gi },
  {
    kind: 'unidentified',
    inter: 3,
    re: /\b(?:(?:unidentified|unknown|suspected)\s+(?:armed\s+)?(?:gunmen|assailants|attackers|men|militants|group|persons|individuals)|gunmen|armed men|armed assailants|assailants|militants|insurgents|rebels|jihadists|extremists|terrorists|bandits|armed groups?|fighters|attackers|militiam[ae]n|(?:communal |ethnic |clan |armed )?militias?|armed youths?|(?:armed |criminal )?gangs|gang members|gangsters|cartel gunmen|cartel members)\b/gi,
  },
  {
    kind: 'civilians',
    inter: 7,
    re: /\b(?:civilians?|villagers?|residents?|farmers?|herders?|passengers?|worshippers?|students?|pupils|teachers?|traders?|shopkeepers?|journalists?|aid workers?|health workers?|doctors?|nurses?|women|children|girls?|boys?|men|a man|a woman|people|family|families|pedestrians|motorists|fishermen|miners?|refugees|displaced persons|idps|locals?|(?:migrant |daily |farm |factory )?(?:workers|labou?rers)|vendors|hawkers|supporters|migrants)\b/gi,
  },
];

/** Every actor mention in the text, with what the words alone say about it. */
export function findActors(text: string, dictionary: ActorDictionary, countries: Countries): ActorMention[] {
  const out: ActorMention[] = [];
  for (const m of dictionary.groups.matches(text)) {
    const lines = m.entry.value;
    const g = lines[0]!;
    out.push({ kind: 'actor', start: m.start, end: m.end, text: m.text, actorKind: 'group', name: g.name, entries: lines, iso2: null, inter: g.inter, rule: m.entry.where });
  }
  STATE_FORCES.lastIndex = 0;
  for (let m = STATE_FORCES.exec(text); m !== null; m = STATE_FORCES.exec(text)) {
    // "Ukrainian Security Forces": the capitalised words before the noun may hold more than the nationality
    const nationality = m[1] ? (countries.lookup(m[1]) ?? countries.lookup(m[1].split(/\s/)[0]!)) : undefined;
    const noun = m[2]!.toLowerCase();
    const police = /police|gendarm/.test(noun);
    const start = nationality ? m.index : m.index + (m[1] ? m[0].indexOf(m[1]) + m[1].length + 1 : 0);
    const surface = text.slice(start, m.index + m[0].length).trim();
    out.push({
      kind: 'actor',
      start,
      end: m.index + m[0].length,
      text: surface,
      actorKind: police ? 'police' : 'military',
      name: null,
      entries: [],
      iso2: nationality?.country.iso2 ?? null,
      inter: 1,
      rule: nationality ? 'state-forces-with-nationality' : 'state-forces',
    });
  }
  for (const m of text.matchAll(FORCES_OF)) {
    const nationality = countries.lookup(m[2]!) ?? countries.lookup(m[2]!.split(/\s/)[0]!);
    if (!nationality) continue;
    const police = /^police$/i.test(m[1]!);
    out.push({ kind: 'actor', start: m.index, end: m.index + m[0].length, text: m[0], actorKind: police ? 'police' : 'military', name: null, entries: [], iso2: nationality.country.iso2, inter: 1, rule: 'state-forces-of-country' });
  }
  for (const g of GENERIC) {
    g.re.lastIndex = 0;
    for (let m = g.re.exec(text); m !== null; m = g.re.exec(text)) {
      // a capitalised "People" or "Youths" inside a sentence belongs to a name ("Donetsk People's Republic")
      if (/^[A-Z]/.test(m[0]) && !/(?:^|[.!?:"“(—–-]\s*|\n\s*)$/.test(text.slice(Math.max(0, m.index - 3), m.index))) continue;
      out.push({ kind: 'actor', start: m.index, end: m.index + m[0].length, text: m[0], actorKind: g.kind, name: null, entries: [], iso2: null, inter: g.inter, rule: `generic-${g.kind}` });
    }
  }
  // overlapping mentions: the earlier, then the longer, wins ("Islamic State fighters" over "fighters")
  out.sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: ActorMention[] = [];
  for (const a of out) {
    const last = kept[kept.length - 1];
    // a named group's members are the group: "Islamic State fighters", "ISWAP militants"
    if (last && last.actorKind === 'group' && a.actorKind !== 'group' && a.start - last.end <= 1 && a.start >= last.end) {
      kept[kept.length - 1] = { ...last, end: a.end, text: text.slice(last.start, a.end) };
      continue;
    }
    if (last && a.start < last.end) {
      if (a.actorKind === 'group' && last.actorKind !== 'group') kept[kept.length - 1] = a;
      continue;
    }
    kept.push(a);
  }
  // "the militants", "the fighters": a group the report has named already, not an unidentified one
  return kept.map((a, i) => {
    if (a.actorKind !== 'unidentified' || !ANAPHORIC.test(text.slice(Math.max(0, a.start - 6), a.start)) || !/^(?:militants|fighters|insurgents|rebels|jihadists|extremists|terrorists|gunmen|attackers|group)$/i.test(a.text)) return a;
    const named = kept.slice(0, i).reverse().find((b) => b.actorKind === 'group' && b.inter >= 2 && b.inter <= 4);
    return named ? { ...named, start: a.start, end: a.end, text: a.text, rule: `${named.rule};anaphor` } : a;
  });
}

const ANAPHORIC = /\b(?:the|these|those|his|their|its)\s+$/i;

/** ACLED's name and interaction code for a mention, given the event's country and date. */
export function resolveActor(a: ActorMention, eventCountry: { iso2: string; name: string } | null, date: string | null, dictionary: ActorDictionary, countries: Countries): { name: string; inter: number } | null {
  const iso2 = a.iso2 ?? eventCountry?.iso2 ?? null;
  const countryName = iso2 ? (countries.byCode(iso2)?.name ?? eventCountry?.name ?? null) : null;
  const generic = (label: string): { name: string; inter: number } => ({ name: countryName ? `${label} (${countryName})` : label, inter: a.inter });
  switch (a.actorKind) {
    case 'group': {
      const e = pickEntry(a.entries, eventCountry?.iso2 ?? null, date);
      return e ? { name: e.name, inter: e.inter } : a.name ? { name: a.name, inter: a.inter } : null;
    }
    case 'military':
    case 'police':
      return iso2 && countryName ? { name: dictionary.stateForcesName(a.actorKind, iso2, countryName, date), inter: 1 } : null;
    case 'protesters':
      return generic('Protesters');
    case 'rioters':
      return generic('Rioters');
    case 'civilians':
      return generic('Civilians');
    case 'unidentified':
      return generic('Unidentified Armed Group');
  }
}
