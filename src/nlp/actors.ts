// Actors: who acted and against whom. Named groups come from the team's actor dictionary
// (data/actors.tsv); state forces ("Iraqi special forces", "troops", "police") and generic actors
// (protesters, rioters, civilians, unidentified gunmen) are recognised by pattern and named in ACLED's
// style once the event's country and date are known.
import { existsSync } from 'node:fs';
import type { Countries } from '../geo/countries.js';
import { dataPath } from '../paths.js';
import { Lexicon, readTsv, type LexiconEntry } from './lexicon.js';

export type ActorKind = 'group' | 'military' | 'police' | 'protesters' | 'rioters' | 'civilians' | 'unidentified';

export interface ActorMention {
  readonly kind: 'actor';
  readonly start: number;
  readonly end: number;
  readonly text: string;
  readonly actorKind: ActorKind;
  /** the dictionary name for named groups; null when it depends on the event's country */
  readonly name: string | null;
  /** the country the words themselves give ("Iraqi troops"), if any */
  readonly iso2: string | null;
  readonly inter: number;
  readonly rule: string;
}

export interface GroupEntry {
  readonly name: string;
  readonly inter: number;
  readonly iso2: string | null;
  readonly years: string;
}

interface StateForces {
  readonly name: string;
  /** periods such as "2014-" or "2004-2014", as ACLED appends them to the actor name */
  readonly military: readonly string[];
  readonly police: readonly string[];
}

export class ActorDictionary {
  readonly groups: Lexicon<GroupEntry>;
  private readonly states = new Map<string, StateForces>();

  constructor(groupsFile = dataPath('actors.tsv'), statesFile = dataPath('state-forces.tsv')) {
    const entries: LexiconEntry<GroupEntry>[] = [];
    if (existsSync(groupsFile)) {
      for (const { cols, line } of readTsv(groupsFile)) {
        const [name, inter, country, years, aliases] = cols;
        if (!name || !inter) continue;
        const value: GroupEntry = { name, inter: Number(inter), iso2: country && country !== '*' ? country : null, years: years ?? '' };
        const surfaces = new Set([name.replace(/\s*\([^)]*\)\s*$/, ''), ...(aliases ?? '').split('|')]);
        for (const s of surfaces) if (s.trim().length > 2) entries.push({ pattern: s, value, where: `actors.tsv:${line}` });
      }
    }
    this.groups = new Lexicon(entries, { literal: true });
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
    const year = date ? Number(date.slice(0, 4)) : Infinity;
    const fits = periods.find((p) => {
      const [from, to] = p.split('-');
      return Number(from) <= year && (!to || year <= Number(to));
    });
    return `${base} (${fits ?? periods[periods.length - 1]})`;
  }
}

const FORCE_MODIFIERS = '(?:(?:special|security|government|govt|armed|regular|elite|federal|national|military|army|naval|air|border|riot|counter[- ]terrorism|anti[- ]terror(?:ism)?|paramilitary|state|pro[- ]government)\\s+){0,3}';
const FORCE_NOUNS = '(forces|force|troops|soldiers?|army|military|policem[ae]n|police(?:\\s+officers?)?|officers|personnel|gendarmes|gendarmerie|marines|commandos|paratroopers|servicem[ae]n|security agents)';
const STATE_FORCES = new RegExp(`(?:\\b([A-Z][\\p{L}'-]+(?:\\s[A-Z][\\p{L}'-]+)?)\\s+)?\\b${FORCE_MODIFIERS}${FORCE_NOUNS}\\b`, 'gu');

const GENERIC: readonly { kind: Exclude<ActorKind, 'group' | 'military' | 'police'>; inter: number; re: RegExp }[] = [
  { kind: 'protesters', inter: 6, re: /\b(?:protesters|protestors|demonstrators|marchers|rally-goers|strikers|striking workers|activists)\b/gi },
  { kind: 'rioters', inter: 5, re: /\b(?:rioters|(?:an? |the )?(?:angry )?mob|vigilantes)\b/gi },
  {
    kind: 'unidentified',
    inter: 3,
    re: /\b(?:(?:unidentified|unknown|suspected)\s+(?:armed\s+)?(?:gunmen|assailants|attackers|men|militants|group|persons|individuals)|gunmen|armed men|armed assailants|assailants|militants|insurgents|rebels|jihadists|extremists|terrorists|bandits|armed groups?|fighters|attackers)\b/gi,
  },
  {
    kind: 'civilians',
    inter: 7,
    re: /\b(?:civilians?|villagers?|residents?|farmers?|herders?|passengers?|worshippers?|students?|pupils|teachers?|traders?|shopkeepers?|journalists?|aid workers?|health workers?|doctors?|nurses?|women|children|girls?|boys?|men|a man|a woman|people|family|families|pedestrians|motorists|fishermen|miners?|refugees|displaced persons|idps|locals?)\b/gi,
  },
];

/** Every actor mention in the text, with what the words alone say about it. */
export function findActors(text: string, dictionary: ActorDictionary, countries: Countries): ActorMention[] {
  const out: ActorMention[] = [];
  for (const m of dictionary.groups.matches(text)) {
    const g = m.entry.value;
    out.push({ kind: 'actor', start: m.start, end: m.end, text: m.text, actorKind: 'group', name: g.name, iso2: g.iso2, inter: g.inter, rule: m.entry.where });
  }
  STATE_FORCES.lastIndex = 0;
  for (let m = STATE_FORCES.exec(text); m !== null; m = STATE_FORCES.exec(text)) {
    const nationality = m[1] ? countries.lookup(m[1]) : undefined;
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
      iso2: nationality?.country.iso2 ?? null,
      inter: 1,
      rule: nationality ? 'state-forces-with-nationality' : 'state-forces',
    });
  }
  for (const g of GENERIC) {
    g.re.lastIndex = 0;
    for (let m = g.re.exec(text); m !== null; m = g.re.exec(text)) {
      out.push({ kind: 'actor', start: m.index, end: m.index + m[0].length, text: m[0], actorKind: g.kind, name: null, iso2: null, inter: g.inter, rule: `generic-${g.kind}` });
    }
  }
  // overlapping mentions: the earlier, then the longer, wins ("Islamic State fighters" over "fighters")
  out.sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: ActorMention[] = [];
  for (const a of out) {
    const last = kept[kept.length - 1];
    if (last && a.start < last.end) {
      if (a.actorKind === 'group' && last.actorKind !== 'group') kept[kept.length - 1] = a;
      continue;
    }
    kept.push(a);
  }
  return kept;
}

/** ACLED's name for a mention, given the event's country and date. */
export function actorName(a: ActorMention, eventCountry: { iso2: string; name: string } | null, date: string | null, dictionary: ActorDictionary, countries: Countries): string | null {
  const iso2 = a.iso2 ?? eventCountry?.iso2 ?? null;
  const countryName = iso2 ? (countries.byCode(iso2)?.name ?? eventCountry?.name ?? null) : null;
  switch (a.actorKind) {
    case 'group':
      return a.name;
    case 'military':
    case 'police':
      return iso2 && countryName ? dictionary.stateForcesName(a.actorKind, iso2, countryName, date) : null;
    case 'protesters':
      return countryName ? `Protesters (${countryName})` : 'Protesters';
    case 'rioters':
      return countryName ? `Rioters (${countryName})` : 'Rioters';
    case 'civilians':
      return countryName ? `Civilians (${countryName})` : 'Civilians';
    case 'unidentified':
      return countryName ? `Unidentified Armed Group (${countryName})` : 'Unidentified Armed Group';
  }
}
