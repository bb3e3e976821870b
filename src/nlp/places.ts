// Toponyms: find place names among proper-noun runs, look them up in the gazetteer and the country
// table, and pick the reading that fits the rest of the report (its countries, its admin areas, the
// population and rank of the place). Also reads how exactly a mention locates something: "Mosul's
// eastern outskirts" or "10 km north of Mosul" is near Mosul (precision 2), a province only a region (3).
import type { Country, Countries } from '../geo/countries.js';
import type { Gazetteer, Place } from '../geo/gazetteer.js';
import { areaName, nameSkeleton, placeKey } from '../geo/names.js';
import { dataPath } from '../paths.js';
import { readTsv } from './lexicon.js';
import type { Token } from './segment.js';

export type PlaceMention =
  | {
      readonly kind: 'place';
      readonly start: number;
      readonly end: number;
      readonly text: string;
      readonly place: Place;
      /** 1 the town itself, 2 part of or near it, 3 a region */
      readonly precision: 1 | 2 | 3;
      /** the words that made the precision coarser ("outskirts of"), if any */
      readonly qualifier: { start: number; end: number; text: string } | null;
      readonly confidence: number;
      readonly rule: string;
      /** names the area another mention lies in: "Ituri" in "Marabo (Irumu, Ituri)" */
      readonly adminOf?: boolean;
    }
  | {
      readonly kind: 'country';
      readonly start: number;
      readonly end: number;
      readonly text: string;
      readonly country: Country;
      /** "Iraqi" names a nationality, not a place */
      readonly demonym: boolean;
      readonly rule: string;
    };

export interface PlaceModels {
  readonly gazetteer: Gazetteer;
  readonly countries: Countries;
}

const MAX_NAME_TOKENS = 5;
// tokens that may sit inside a multi-word name: "Dar es Salaam", "Bab al-Hawa", "Ras al Ain", "Sistan and
// Baluchestan" (a list, "Idlib and Aleppo", is no name the gazetteer holds, and is read name by name)
// (the Arabic article as French and English copy spell it too: "Deir-ez-Zor", "Ras el-Ain", "Tell et-Tin")
const NAME_JOINERS = new Set(['-', 'al', 'el', 'ad', 'as', 'ash', 'ar', 'es', 'ez', 'ed', 'et', 'en', 'er', 'esh', 'az', 'at', 'adh', 'ath', 'de', 'del', 'da', 'do', 'di', 'du', 'bin', 'ibn', 'bani', 'an', 'ul', 'e', 'of', 'the', 'and']);

// ... and the words that join the parts of a name that the gazetteer may not hold whole
const INNER_JOINERS = new Set([...NAME_JOINERS, 'i', 'wa', 'y', 'o', 'imeni', 'la', 'las', 'los', 'le', 'les', 'des'].filter((w) => w !== 'of' && w !== 'the' && w !== 'and'));

/**
 * Whether the name ending at token `last` goes on, through joining words, into a capitalised word:
 * "Qala" + "i Naw", "Nawa" + "-e Barakzayi", "Mocimboa" + "da Praia". A hyphen alone joins nothing.
 */
function joinedToNext(last: number, tokens: readonly Token[], sentence: number): boolean {
  let k = last + 1;
  let word = false;
  while (k < tokens.length && k <= last + 3 && tokens[k]!.sentence === sentence && INNER_JOINERS.has(tokens[k]!.lower)) {
    const t = tokens[k]!;
    if (t.lower === '-') {
      // a bound hyphen, touching both neighbours
      if (t.start !== tokens[k - 1]!.end || tokens[k + 1]?.start !== t.end) return false;
    } else word = true;
    k++;
  }
  const next = tokens[k];
  return word && next !== undefined && next.sentence === sentence && isCapitalised(next) && /\p{L}/u.test(next.text);
}

/** Whether the name starting at token `first` is the tail of a longer one, through joining words. */
function joinedToPrevious(first: number, tokens: readonly Token[]): boolean {
  const sentence = tokens[first]!.sentence;
  let k = first - 1;
  let word = false;
  while (k >= 0 && k >= first - 3 && tokens[k]!.sentence === sentence && (TAIL_JOINERS.has(tokens[k]!.text) || tokens[k]!.text === '-')) {
    if (tokens[k]!.text !== '-') word = true;
    k--;
  }
  const head = tokens[k];
  return word && head !== undefined && head.sentence === sentence && isCapitalised(head) && !FUNCTION_WORDS.has(head.lower) && /\p{L}/u.test(head.text);
}

// (lower case only: "In Al Bostan" has no head)
const TAIL_JOINERS = new Set(['al', 'el', 'as', 'ad', 'ash', 'ar', 'az', 'at', 'an', 'de', 'del', 'da', 'do', 'di', 'du', 'e', 'i', 'ye', 'wa']);

const FUNCTION_WORDS = new Set(['of', 'the', 'and', 'in', 'at', 'on', 'near', 'to', 'from', 'by', 'for']);

function isCapitalised(t: Token): boolean {
  const c = t.text.charCodeAt(0);
  return (c >= 65 && c <= 90) || (c > 191 && t.text[0] !== t.text[0]!.toLowerCase());
}

// Capitalised words that may stand next to a place name without making it part of another name.
const NAME_NEIGHBOURS = new Set(
  ('province district city town village region state governorate county division municipality camp airport university hospital prison lga sector commune department ' +
    'market stadium bridge road highway street square mosque church base barracks checkpoint area zone valley river mountains hills ' +
    'airbase airfield airstrip port harbour refinery roundabout junction dam ' +
    'north south east west northern southern eastern western central upper lower greater old new').split(' '),
);

/**
 * A gazetteer hit inside a longer run of capitalised words is usually part of a person's or an
 * organisation's name ("Abu Bakr", "Brig. Gen. Haider"), and a lone capitalised word that the tagger
 * does not call a proper noun is an ordinary word at the start of a sentence ("Start", "Turn").
 */
function plausibleName(m: RawMention, tokens: readonly Token[], known: (word: string) => boolean): boolean {
  const first = tokens[m.firstToken]!;
  // (a function word capitalised by a careless writer is no part of a name: "the countryside Of Dar'a")
  const neighbour = (t: Token | undefined): boolean =>
    t !== undefined && t.sentence === first.sentence && isCapitalised(t) && t.pos !== 'PUNCT' && !NAME_NEIGHBOURS.has(t.lower) && !FUNCTION_WORDS.has(t.lower) && /\p{L}/u.test(t.text);
  const prev = tokens[m.firstToken - 1];
  const next = tokens[m.lastToken + 1];
  // a country's name inside a longer name is part of it: "Hajir Togo" is a place in Darfur
  if (m.country !== null && !m.country.demonym && neighbour(prev) && first.start - prev!.end <= 1 && !/^[A-Z]+$/.test(first.text)) return false;
  if (m.country === null) {
    // a neighbourhood of the town the report names ("in Ciudad Juarez, ... in Colonia Bellavista") is
    // no town of its own, whatever namesake the gazetteer holds
    if (/^(?:Colonia|Barrio|Fraccionamiento)\s/.test(m.text)) return false;
    if (neighbour(next) && next!.start - tokens[m.lastToken]!.end <= 1) return false;
    // the head of a longer name the gazetteer lacks: "Qala" of "Qala i Naw", "Nawa" of "Nawa-e Barakzayi"
    if (joinedToNext(m.lastToken, tokens, first.sentence)) return false;
    // ... nor the tail of a hyphenated one: "Ville" of "Petion-Ville"
    const before = tokens[m.firstToken - 2];
    if (prev?.text === '-' && prev.start === before?.end && first.start === prev.end && isCapitalised(before)) return false;
    // ... nor its head, where the rest is no place of its own: "Pobe" of "Pobe-Mengao", "Mayo" of
    // "Mayo-Sava" (but "Beirut" of "the Beirut-Damascus highway" is one)
    const after = tokens[m.lastToken + 2];
    if (next?.text === '-' && next.start === tokens[m.lastToken]!.end && after?.start === next.end && isCapitalised(after) && !known(after.text)) return false;
    // ... nor the tail of a name joined by an article: "Bostan" of "Ghadir al Bostan", "Kalan" of
    // "Dehyak-e Kalan"
    if (joinedToPrevious(m.firstToken, tokens)) return false;
    // a word and a number are a label, not a town: "Street 50", "Camp 3", "Route 7"
    if (next && /^\d/.test(next.text) && next.sentence === first.sentence && next.start - tokens[m.lastToken]!.end <= 1) return false;
    // an acronym is an organisation or a vehicle ("APC", "GNA"), except in a dateline
    if (m.firstToken === m.lastToken && /^[A-Z]{2,4}$/.test(first.text) && first.start > 40 && m.places.every((p) => p.name !== first.text)) return false;
    if (neighbour(prev) && first.start - prev!.end <= 1 && !/^[A-Z]+$/.test(first.text)) return false;
  }
  if (m.firstToken === m.lastToken) {
    if (first.text.endsWith('.')) return false; // abbreviations and titles: "Gen.", "Brig."
    if (first.pos !== 'PROPN' && !/^[A-Z]{3,}$/.test(first.text) && m.country === null) return false;
  }
  return true;
}

interface RawMention {
  start: number;
  end: number;
  text: string;
  firstToken: number;
  lastToken: number;
  places: readonly Place[];
  country: { country: Country; demonym: boolean } | null;
  /** found by its transliteration only: a reading must be confirmed by the report */
  fuzzy?: boolean;
}

/**
 * Propose: every run of capitalised tokens, longest reading first; a country name or a gazetteer
 * entry ends the search at that position. Tokens inside time expressions never start a place.
 */
function propose(text: string, tokens: readonly Token[], models: PlaceModels, blocked: (pos: number) => boolean): RawMention[] {
  const out: RawMention[] = [];
  let i = 0;
  while (i < tokens.length) {
    const t = tokens[i]!;
    if (!isCapitalised(t) || blocked(t.start) || t.pos === 'PUNCT') {
      i++;
      continue;
    }
    let found: RawMention | null = null;
    // extend over capitalised tokens and joiners, within one sentence
    let last = i;
    let words = 1;
    while (last + 1 < tokens.length && words < MAX_NAME_TOKENS) {
      const n = tokens[last + 1]!;
      if (n.sentence !== t.sentence) break;
      if (n.start - tokens[last]!.end > 1) break;
      if (isCapitalised(n)) words++;
      else if (!NAME_JOINERS.has(n.lower)) break;
      last++;
    }
    // (the run's last word: a joiner may trail it, "Rashad and")
    let lastWord = last;
    while (lastWord > i && !isCapitalised(tokens[lastWord]!)) lastWord--;
    for (let j = last; j >= i && !found; j--) {
      const lastTok = tokens[j]!;
      if (!isCapitalised(lastTok)) continue;
      const surface = text.slice(t.start, lastTok.end);
      const country = models.countries.lookup(surface);
      // "Niger State", "Portuguesa state": the word after says a province, not the country
      // (a nationality too: Ethiopia's "Somali region")
      if (country && PROVINCE_AFTER.test(text.slice(lastTok.end, lastTok.end + 20))) {
        // (a nationality by its exact name only: "Indian state" is no Indiana)
        const areas = [...models.gazetteer.lookup(surface), ...(country.demonym ? [] : models.gazetteer.areasLike(surface))].filter((p) => p.featureCode === 'ADM1');
        if (areas.length) {
          found = { start: t.start, end: lastTok.end, text: surface, firstToken: i, lastToken: j, places: areas, country: null };
          break;
        }
      }
      if (country) {
        found = { start: t.start, end: lastTok.end, text: surface, firstToken: i, lastToken: j, places: [], country };
        break;
      }
      let places = models.gazetteer.lookup(surface);
      // (a province by another name GeoNames lacks is one of its readings: "Michoacan de Ocampo")
      // (a short form only in brackets, where areaContext reads it)
      if (!/^[\p{Lu}&]+$/u.test(surface)) places = [...places, ...provincesNamed(surface, models)];
      // a province by another spelling, where the words say province: "Wassit province" is Wasit
      // (provinces only: a district or neighbourhood by its consonants alone is too often another one)
      if (places.length === 0 && PROVINCE_AFTER.test(text.slice(lastTok.end, lastTok.end + 20))) places = models.gazetteer.areasLike(surface).filter((p) => p.featureCode === 'ADM1');
      // (else by its transliteration, a fallback the rest of the report must confirm: "Zouq Mosbeh")
      let fuzzy = false;
      // (proper nouns only, never the capitalised word that opens a sentence: "Looting:", "Police")
      const properNoun = tokens.slice(i, j + 1).every((x) => x.pos === 'PROPN' || !isCapitalised(x)) && i > 0 && tokens[i - 1]!.sentence === t.sentence && !/[.:!?]$/.test(tokens[i - 1]!.text);
      if (places.length === 0 && j === lastWord && properNoun && (/\p{L}{5}/u.test(surface) || (j > i && surface.replace(/\P{L}/gu, '').length >= 7))) {
        places = models.gazetteer.lookupLike(surface).filter((p) => p.featureClass !== 'A');
        fuzzy = places.length > 0;
      }
      if (places.length > 0) found = { start: t.start, end: lastTok.end, text: surface, firstToken: i, lastToken: j, places, country: null, fuzzy };
    }
    if (found && plausibleName(found, tokens, (w) => models.gazetteer.lookup(w).length > 0 || models.countries.lookup(w) !== null)) {
      out.push(found);
      i = found.lastToken + 1;
    } else if (found) i = (joinedToNext(found.lastToken, tokens, t.sentence) ? last : found.lastToken) + 1; // (and not the tail of that name: "Praia" of "Mocimboa da Praia")
    else i++;
  }
  return out;
}

// "Mosul's eastern outskirts", "the outskirts of Mosul", "10 km north of Mosul", "near Mosul"
const NEAR_BEFORE = /(?:\b(?:outskirts|suburbs?|edge|vicinity|near|nearby|close to|around|outside)\b(?:\s+of)?(?:\s+the(?:\s+city|\s+town)?\s+of)?|\b\d+\s*(?:km|kilometres|kilometers|miles)\s+(?:\w+\s+){0,2}of|\b(?:north|south|east|west|northeast|northwest|southeast|southwest|northern|southern|eastern|western)\s+(?:part\s+)?of)\s+(?:the\s+)?$/i;
const NEAR_AFTER = /^(?:'s|’s)\s+(?:\w+\s+){0,2}(?:outskirts|suburbs?|edge|neighbou?rhoods?|districts?|areas?|countryside|environs|periphery)\b/i;

const PROVINCE_AFTER = /^\s+(?:province|state|governorate|region)\b/i;

/** The district-or-province words that say a name is an area, not a town. */
const AREA_AFTER = /^\s+(?:provinces?|regions?|states?|governorates?|county|district|division|territory|zone|prefecture|department|municipality)\b/i;

// After a place, the areas it lies in, as ACLED's notes and much news copy write them: "Janaale (Marka,
// Lower Shabelle)", "Marabo (Irumu, Ituri)", "Sambonaye [Sambonay] (Dori, Seno)", "in Ananindeua, Para".
// (the words for what the site is may stand between: "Sapele LGA (Delta)", "Naushera sector area (Rajouri)")
const SITE_KINDS = String.raw`(?:(?:town|village|city|area|district|camp|locality|LGA|county|sub-?county|commune|municipality|department|sector|neighbou?rhood|province|region|state|township|tehsil|taluka|parish|payam|subdivision|agency|zone|woreda|kebele)\s*){0,2}`;
const BRACKET_AFTER = new RegExp(String.raw`^\s*(?:\[[^\]\n]{1,40}\]\s*)?${SITE_KINDS}\(([^()\n]{2,80})\)`, 'i');
const COMMA_NAME = String.raw`\p{Lu}[\p{L}'’-]*(?:[ -](?:\p{Lu}[\p{L}'’-]*|de|do|da|del|dos|das))*(?:\s+(?:state|province|region|governorate|department|municipality|district|county)\b)?`;
// (one or two areas: "in Ananindeua, Para", "in Magdawat, Pinabacdao, Samar")
const COMMA_AFTER = new RegExp(String.raw`^(?:\s+(?:district|town|village|city|county|area|municipality|locality|commune)(?:\s+(?:center|centre|headquarters))?)?,\s+(${COMMA_NAME}(?:,\s+${COMMA_NAME})?)`, 'u');
// the words that name an area's kind inside such brackets: "(Mobbar LGA, Borno)", "(Central Equatoria state)"
const KIND_WORDS = /\b(?:LGA|district|province|state|county|region|governorate|territory|department|municipality|prefecture|commune|sub-?county|division|countryside|assumed to be|coded (?:as|at|to))\b/gi;

let areaNames: Map<string, { iso2: string; admin1: string; within: boolean }[]> | undefined;

/** data/area-names.tsv: "UP" is Uttar Pradesh, "Extreme-Nord" Cameroon's Far North, after a place. */
export function otherAreaNames(): Map<string, { iso2: string; admin1: string; within: boolean }[]> {
  if (!areaNames) {
    areaNames = new Map();
    for (const { cols } of readTsv(dataPath('area-names.tsv'))) {
      const list = areaNames.get(cols[0]!) ?? [];
      // ("<Est": a district that lies in the province, not another name of it)
      list.push({ iso2: cols[1]!, admin1: cols[2]!.replace(/^</, ''), within: cols[2]!.startsWith('<') });
      areaNames.set(cols[0]!, list);
    }
  }
  return areaNames;
}

export interface CountryCue {
  readonly name: RegExp;
  readonly iso2: string;
  /** the provinces the body works in, as GeoNames names them: none for a whole country */
  readonly areas: readonly string[];
}

let cues: CountryCue[] | undefined;

/** A name as written (case counts), as a whole word: "SMM" in "the SMM saw", not in "SMMS". */
export function nameAsWritten(text: string): RegExp {
  return new RegExp(`(?<!\\p{L})${text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?!\\p{L})`, 'u');
}

/** data/country-cues.tsv: names that tie a report to one country, longest first, each as a whole word. */
export function countryCues(): readonly CountryCue[] {
  cues ??= readTsv(dataPath('country-cues.tsv'))
    .map(({ cols }) => ({ text: cols[0]!, iso2: cols[1]!, areas: (cols[2] ?? '').split('|').filter(Boolean) }))
    .sort((a, b) => b.text.length - a.text.length)
    .map(({ text, iso2, areas }) => ({ name: nameAsWritten(text), iso2, areas }));
  return cues;
}

/** The provinces data/area-names.tsv gives for a name ("Saladin" is Salah ad Din, "Tapoa" lies in Est). */
function provincesNamed(name: string, models: PlaceModels): Place[] {
  return (otherAreaNames().get(name) ?? []).flatMap((o) => models.gazetteer.lookup(o.admin1).filter((p) => p.featureCode === 'ADM1' && p.iso2 === o.iso2));
}

/** Below this population a town abroad needs some other sign in the report to count as a place. */
const FOREIGN_TOWN_MIN_POPULATION = 100_000;

interface ContextPart {
  readonly text: string;
  readonly start: number;
  /** its readings as admin areas, by exact name and by consonants */
  readonly areas: readonly Place[];
  /** its readings as towns: "(Marka, Lower Shabelle)" names Marka the town, seat of the district */
  readonly towns: readonly Place[];
  readonly country: string | null;
  readonly exact: ReadonlySet<Place>;
  /** the words say a first-level area: "Merida state", "Anbar province" */
  readonly firstLevel?: boolean;
}

interface AreaContext {
  /** where the context's words stand */
  readonly start: number;
  readonly end: number;
  /** each named part with its readings as admin areas, towns or a country */
  readonly parts: readonly ContextPart[];
}

/** The areas named right after a mention ("(Irumu, Ituri)" or ", Para"), read as admin areas. */
function areaContext(text: string, end: number, models: PlaceModels): AreaContext | null {
  const after = text.slice(end, end + 120);
  const bracket = BRACKET_AFTER.exec(after);
  const comma = bracket ? null : COMMA_AFTER.exec(after);
  const inArea = bracket || comma ? null : IN_AREA_AFTER.exec(after);
  if (inArea) inArea[1] = inArea[1] ?? inArea[2]!;
  const m = bracket ?? comma ?? inArea;
  if (!m) return null;
  // (a country's possessive is a part of its own: "in Mozambique's Cabo Delgado province"; a bracket that
  // holds another name may be followed by the province: "Nad Ali (Marja) district, Helmand")
  const then = bracket ? COMMA_AFTER.exec(after.slice(m.index + m[0].length)) : null;
  if (then) m[0] += then[0];
  const inner = (then ? `${m[1]!}, ${then[1]!}` : m[1]!).replace(/(\p{Lu}[\p{L}-]+)['’]s\s/u, '$1, ');
  const innerStart = end + m.index + m[0].lastIndexOf(inner);
  const parts: ContextPart[] = [];
  let offset = 0;
  // (two names with no comma between them are two parts where the pair names nothing: "(Vadodara Gujarat)")
  const pieces = inner.split(',').flatMap((raw) => {
    const words = raw.trim().split(/\s+/);
    if (words.length !== 2 || !words.every((w) => /^\p{Lu}\p{Ll}{3,}$/u.test(w)) || models.gazetteer.lookup(raw.trim()).length) return [raw];
    return models.gazetteer.lookup(words[1]!).some((p) => p.featureCode === 'ADM1') ? words.map((w) => ` ${w}`) : [raw];
  });
  for (const raw of pieces) {
    const name = raw.replace(KIND_WORDS, ' ').replace(/\s+/g, ' ').trim();
    // "Portuguesa state", "Niger State": the kind word says area, even where a country has the name
    const saysArea = name !== raw.trim();
    const at = innerStart + offset + raw.indexOf(name.split(' ')[0] ?? '');
    offset += raw.length + 1;
    // a state by a name GeoNames lacks: its short form, in brackets only ("Nigohan (UP)", "(Kupwara
    // district, J&K)"), or its name in another language ("(Mayo-Sava, Extreme-Nord)", ", Metropolitana")
    const named = bracket || !/^[\p{Lu}&]+$/u.test(name) ? provincesNamed(name, models) : [];
    if (named.length && /^[\p{Lu}&]+$/u.test(name)) {
      parts.push({ text: name, start: at, areas: named, towns: [], country: null, exact: new Set(named) });
      continue;
    }
    if (name.length < 3 || !/^\p{Lu}/u.test(name)) continue;
    // an acronym in brackets is the short form of the name before it ("Karen National Liberation Army
    // (KNLA)"), not an area by its consonants
    if (/^[\p{Lu}&-]{2,6}$/u.test(name)) continue;
    const country = models.countries.lookup(name);
    // (spelling variants only inside brackets or after a kind word: after a bare comma, "Samah district,
    // Brig. Gen. ..." is no area; inside brackets, spellings too, beside the exact readings: "Nord-Ouest"
    // is Haiti's by its name and Cameroon's North-West by its consonants)
    const readings = models.gazetteer.lookup(name);
    const exact = readings.filter((p) => p.featureClass === 'A');
    const like = bracket || saysArea ? models.gazetteer.areasLike(name).filter((a) => !exact.some((e) => e.id === a.id) && (!country || a.featureCode === 'ADM1')) : [];
    if (country && !named.length && !(saysArea && exact.length + like.length > 0)) {
      parts.push({ text: name, start: at, areas: [], towns: [], country: country.country.iso2, exact: new Set() });
      continue;
    }
    const towns = readings.filter((p) => p.featureClass !== 'A');
    // (a province's seat stands for its province: "Reni, Odessa" is in Odesa oblast, whatever district of
    // Saskatchewan bears the city's name)
    const seats = exact.some((a) => a.featureCode === 'ADM1') ? [] : towns.filter((t) => t.featureCode === 'PPLA' && t.admin1).flatMap((t) => models.gazetteer.lookup(t.admin1!).filter((a) => a.featureCode === 'ADM1' && a.iso2 === t.iso2 && a.admin1 === t.admin1));
    const areas = [...named, ...exact, ...like, ...seats.filter((a) => !exact.some((e) => e.id === a.id))];
    // (where the words say state or province, a first-level reading rules out the districts of the name)
    const firstLevel = /\b(?:state|province|governorate|region)\b/i.test(raw);
    const levelled = firstLevel && areas.some((a) => a.featureCode === 'ADM1') ? areas.filter((a) => a.featureCode === 'ADM1') : areas;
    if (levelled.length || towns.length) parts.push({ text: name, start: at, areas: levelled, towns, country: null, exact: new Set([...named, ...exact]), firstLevel });
  }
  return parts.some((x) => x.areas.length || x.country) ? { start: end + m.index, end: end + m.index + m[0].length, parts } : null;
}

// "Ash-Shajara town in Dar'a", "Mansura in Ar-Raqqa", "Dardara in the countryside of Ras Al Ain": a place,
// then the place it lies in
const WITHIN_GAP = /^(?:(?:\s+(?:town|village|city|area|camp|neighbou?rhood|district|locality|hamlet))?\s+in\s+(?:the\s+)?(?:(?:[a-z]+\s+)?countryside\s+of\s+(?:the\s+)?)?|\s+(?:area|neighbou?rhood|quarter|suburb)\s+of\s+(?:the\s+)?(?:(?:city|town)\s+of\s+)?)$/;


/**
 * A place named inside another ("X town in Y") lies in the other's country: its readings elsewhere go.
 * Where it has none there, it is a site the gazetteer does not know (a village of Syria's Dar'a, not its
 * namesake in Jordan), to be placed at the container; unless the team's supplement holds it, or it is a
 * big town and the container no province. Returns the mentions so read, and those sites.
 */
function readWithin(text: string, proposed: readonly RawMention[]): { raw: RawMention[]; sitesWithin: { site: RawMention; container: RawMention }[] } {
  const raw: RawMention[] = [];
  const sitesWithin: { site: RawMention; container: RawMention }[] = [];
  proposed.forEach((r, k) => {
    const container = proposed[k + 1];
    if (r.country || r.places.length === 0 || !container || !WITHIN_GAP.test(text.slice(r.end, container.start))) {
      raw.push(r);
      return;
    }
    const countries = new Set(container.country ? (container.country.demonym ? [] : [container.country.country.iso2]) : container.places.map((p) => p.iso2));
    const inside = r.places.filter((p) => countries.has(p.iso2));
    if (inside.length) raw.push(inside.length === r.places.length ? r : { ...r, places: inside });
    else if (container.places.length && !r.places.some((p) => p.id < 0 && p.featureClass !== 'A') && (r.places.every((p) => p.population < FOREIGN_TOWN_MIN_POPULATION) || container.places.some((p) => p.featureCode === 'ADM1'))) sitesWithin.push({ site: r, container });
    else raw.push(r);
  });
  return { raw, sitesWithin };
}

/** Whether `p` lies in area `a` (an ADM1 or ADM2 row). */
function liesIn(p: Place, a: Place): boolean {
  if (a.iso2 !== p.iso2) return false;
  return a.featureCode === 'ADM1' ? a.admin1 === p.admin1 : a.admin2 === p.admin2 && a.admin1 === p.admin1;
}

// "near Kale in Sagaing Region", "outside Mocimboa da Praia in Mozambique's Cabo Delgado province": a
// province after "in", where the word for its kind says it is one
// (and Syrian copy's "countryside": "Mansura city in Ar-Raqqa countryside", "in the western countryside
// of Ar-Raqqa")
const IN_AREA_AFTER = /^(?:\s+(?:city|town|village|area|camp))?\s+in\s+(?:the\s+)?(?:(?:[a-z]+\s+)?countryside\s+of\s+(?:the\s+)?(\p{Lu}[\p{L}'’-]*(?:\s+\p{Lu}[\p{L}'’-]*){0,2})|(\p{Lu}[\p{L}'’-]*(?:\s+\p{Lu}[\p{L}'’-]*){0,3}\s+(?:region|province|state|governorate|district|territory|county|zone|department|prefecture|countryside)))\b/u;

// "Rabat area of Zari district, Balkh", "Blamadougdje neighbourhood of Kolofata town (Mayo-Sava, Extreme-
// Nord)": a part of a site, then the site with its areas
const PART_OF_SITE = /^(?:-\p{L}+)*\s+(?:[a-z]+\s+)?(?:area|village|neighbou?rhood|quarter|camp|sector|locality|part)\s+(?:of|in)\s+(?:the\s+)?\p{Lu}[\p{L}'’-]*(?:\s+(?:\p{Lu}[\p{L}'’-]*|wa|al|el|de|i|e))*(?:\s+(?:town|village|city|district|area|neighbou?rhood|taluka|tehsil|sub-?county|parish|subdivision))?/u;

/** The areas named after the site a mention is part of: those of "Zari district" in "Rabat area of Zari district, Balkh". */
function enclosingContext(text: string, end: number, models: PlaceModels): AreaContext | null {
  const m = PART_OF_SITE.exec(text.slice(end, end + 120));
  return m ? areaContext(text, end + m[0].length, models) : null;
}

/** How well a candidate place agrees with the areas named after it: in them, in their country, or elsewhere. */
function contextFit(p: Place, context: AreaContext | null): number {
  if (!context) return 0;
  let fit = -6;
  for (const part of context.parts) {
    if (part.country) {
      if (part.country === p.iso2) fit = Math.max(fit, 4);
      continue;
    }
    for (const a of part.areas) if (a.iso2 === p.iso2) fit = Math.max(fit, liesIn(p, a) && a.id !== p.id ? 8 : 2);
    // (a town named beside it, in the same province: "Bolsi (Torodi, Tillabery)"; or the town itself, by
    // the district named after it: "Tangier (Tangier)")
    // (the town itself vouches for itself only where the other areas named allow its country: "Muse
    // (Muse district, Shan-North)" is no Muse of Pennsylvania)
    const othersAllow = context.parts.every((x) => x === part || (!x.country && x.areas.length === 0) || x.country === p.iso2 || x.areas.some((a) => a.iso2 === p.iso2));
    for (const t of part.towns) if (t.iso2 === p.iso2 && (t.id !== p.id || othersAllow)) fit = Math.max(fit, t.admin1 === p.admin1 ? 6 : 2);
  }
  return fit;
}

/**
 * The finest area of a context that agrees with the others: "(Irumu, Ituri)" is Irumu, in Ituri. A
 * reading by its exact name beats one by its consonants ("Meluco" is no Omealca of Mexico when "Cabo
 * Delgado" is named beside it), readings in one country with the other parts beat the rest, and so do
 * areas that hold a town of the site's own name ("Sapele LGA (Delta)" is Nigeria's Delta) or lie in the
 * country the rest of the report points to. Where the finer part names a town in the chosen area and no
 * district ("Janaale town (Marka, Lower Shabelle)"), the site is placed at that town.
 */
function contextArea(context: AreaContext, site: readonly Place[], votes: (iso2: string) => number): Place | null {
  const countries = new Set(context.parts.flatMap((x) => (x.country ? [x.country] : [])));
  let best: Place | null = null;
  let bestPart: ContextPart | null = null;
  let bestScore = -Infinity;
  for (const part of context.parts) {
    for (const a of part.areas) {
      if (countries.size && !countries.has(a.iso2)) continue;
      // (the finer area wins only by a little; a unique reading of its words is worth more; three
      // consonants alone say little: "Marka" is no Marakei of Kiribati)
      const exact = part.exact.has(a);
      // (alone, a name after a site is its province more often than its district: "Sapele (Delta)")
      let score = (a.featureCode === 'ADM2' ? (part.firstLevel ? -3 : context.parts.length > 1 ? 0.5 : -0.5) : 0) + (exact ? 2 : nameSkeletonWeak(part.text) ? -1 : 0) + (part.areas.length === 1 ? 1 : 0);
      for (const other of context.parts) {
        if (other === part) continue;
        // (a part whose words say state or province speaks for its first-level readings only: "Merida,
        // Merida state" is Venezuela's Merida, not Mexico's)
        const provinces = other.firstLevel ? other.areas.filter((b) => b.featureCode === 'ADM1') : [];
        const same = (provinces.length ? provinces : [...other.areas, ...other.towns]).filter((b) => b.iso2 === a.iso2);
        // (a district its province confirms is the finest place the context gives)
        if (same.some((b) => b.admin1 === a.admin1)) score += a.featureCode === 'ADM2' ? 4.5 : 3;
        else if (same.length) score += 1;
        else if (other.areas.length) score -= provinces.length ? 6 : other.exact.size ? 3 : 1;
      }
      // (the more populous area, or the area of a big town of its name, is the one meant: the province
      // of Buenos Aires, not a district of Costa Rica; La Paz of Bolivia, not of Mendoza)
      const seat = Math.max(a.population, ...part.towns.filter((t) => liesIn(t, a)).map((t) => t.population));
      score += Math.log10(seat + 1) * 0.3;
      if (site.some((p) => liesIn(p, a))) score += exact ? 4 : 1;
      else if (site.length && site.every((p) => p.iso2 === a.iso2)) score += 1;
      score += Math.min(votes(a.iso2), 3);
      if (score > bestScore) {
        bestScore = score;
        best = a;
        bestPart = part;
      }
    }
  }
  if (!best || !bestPart) return best;
  // a district known by name only, whose seat town the gazetteer holds: the site is near that town
  const biggest = (towns: readonly Place[], area: Place): Place | undefined => towns.filter((t) => t.iso2 === area.iso2 && t.admin1 === area.admin1).sort((x, y) => y.population - x.population)[0];
  if (best.approximate) return biggest(bestPart.towns, best) ?? best;
  // a finer part with no area reading but a town in the chosen area: the site is at (or near) that town
  const finer = context.parts.slice(0, context.parts.indexOf(bestPart)).filter((x) => !x.areas.some((a) => a.iso2 === best!.iso2 && !a.approximate));
  for (const part of finer) {
    const town = part.towns.filter((t) => liesIn(t, best!)).sort((x, y) => y.population - x.population)[0];
    if (town) return town;
  }
  return best;
}

/** Whether a name's consonants are too few to identify an area by them alone. */
function nameSkeletonWeak(name: string): boolean {
  return nameSkeleton(name).replace(/ /g, '').length < 4;
}

// A name the gazetteer does not know, followed by the areas it lies in: the site is placed in the finest
// of them. "Location Charlie (Abadam LGA, Borno)", "Marabo (Irumu, Ituri)".
// Also "Qala i Naw district, Badghis": a kind word, then a comma and the province.
// A site's name: capitalised words and the small words that join them ("Qala i Naw", "Remedios de Escalada").
const SITE_NAME = String.raw`(\p{Lu}[\p{L}'’-]*(?:\s+(?:\p{Lu}[\p{L}'’-]*|al|el|as|ad|wa|de|del|la|las|los|le|les|da|do|dos|das|du|des|y|i|e|imeni))*)`;
const UNKNOWN_SITE = new RegExp(String.raw`${SITE_NAME}(?=\s*(?:\[[^\]\n]{1,40}\]\s*)?${SITE_KINDS}\(|\s+(?:district|village|town|locality|county|commune|municipality),\s+\p{Lu})`, 'gu');
// "the village of Umm Harmala in the countryside of Tal Tamer": a site named as such inside a place
const IN_PLACE_AHEAD = String.raw`\s+in\s+(?:the\s+)?(?:(?:[a-z]+\s+)?countryside\s+of\s+(?:the\s+)?)?\p{Lu}`;
const SITE_WITHIN = new RegExp(String.raw`(?<=\b(?:village|town|hamlet|locality|neighbou?rhood)\s+of\s+)${SITE_NAME}(?=${IN_PLACE_AHEAD})|(?<=\b(?:in|at|near)\s+)${SITE_NAME}(?=\s+(?:village|town|hamlet|locality)${IN_PLACE_AHEAD})`, 'gu');

const ORGANISATION = /\b(?:Army|Forces?|Front|Movement|Party|Council|Group|Brigade|Battalion|Committee|Union|Alliance|Organi[sz]ation|Militia|Police|Corps|Authority|Ministry|Company|Association|Federation|Network|Agency)\b/;

// The keys of an admin area's name, with and without its kind word: few names, asked for again and again.
const areaKeyMemo = new Map<string, [string, string]>();
function areaKeys(name: string): [string, string] {
  let keys = areaKeyMemo.get(name);
  if (!keys) {
    keys = [placeKey(name), placeKey(areaName(name))];
    if (areaKeyMemo.size > 100_000) areaKeyMemo.clear();
    areaKeyMemo.set(name, keys);
  }
  return keys;
}

/**
 * Spans of text, found by a position inside them: the first of them (in their own order) that holds
 * it. Sorted once; a lookup looks back only as far as the longest span reaches.
 */
function spansOf<T extends { start: number; end: number }>(spans: readonly T[]): { at(pos: number): T | null } {
  const order = spans.map((span, rank) => ({ span, rank })).sort((a, b) => a.span.start - b.span.start);
  const longest = Math.max(0, ...spans.map((x) => x.end - x.start));
  return {
    at(pos: number): T | null {
      let lo = 0;
      let hi = order.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (order[mid]!.span.start <= pos) lo = mid + 1;
        else hi = mid;
      }
      let best: { span: T; rank: number } | null = null;
      for (let k = lo - 1; k >= 0 && order[k]!.span.start >= pos - longest; k--) {
        const x = order[k]!;
        if (pos < x.span.end && (!best || x.rank < best.rank)) best = x;
      }
      return best?.span ?? null;
    },
  };
}

/** Whether more names follow the areas of a context, as in a list ("Garissa, Mandera and Wajir"). */
function listGoesOn(text: string, context: AreaContext): boolean {
  return /^\s*(?:,\s*\p{Lu}|and\s+\p{Lu}|&)/u.test(text.slice(context.end, context.end + 20));
}

const SITE_COMMA_AREA = new RegExp(String.raw`(?<=\b(?:in|at|near|outside|around|close\s+to)\s+(?:the\s+)?(?:(?:town|village|city|locality|area|municipality|district|commune|county)\s+of\s+)?)${SITE_NAME}(?=(?:\s+(?:city|town|village))?,\s+\p{Lu})`, 'gu');

export function findPlaces(text: string, tokens: readonly Token[], models: PlaceModels, blocked: (pos: number) => boolean, actorHomes: readonly string[] = []): PlaceMention[] {
  const { raw, sitesWithin } = readWithin(text, propose(text, tokens, models, blocked));
  const contexts = new Map(raw.map((r) => [r, areaContext(text, r.end, models) ?? enclosingContext(text, r.end, models)] as const));
  // context: countries named in the report, and every name that could be an admin area
  const countryVotes = new Map<string, number>();
  const vote = (iso2: string, n: number): void => void countryVotes.set(iso2, (countryVotes.get(iso2) ?? 0) + n);
  // (a backer's country is no sign of where the report is: "a Turkey backed faction", "Saudi-led")
  const backs = (r: RawMention): boolean => /^[-\s](?:led|backed|based|made|born|supported)\b/.test(text.slice(r.end, r.end + 10));
  // (nor is the country people came from: "refugees displaced from Syria" held a sit-in in Lebanon)
  const origin = (r: RawMention): boolean => /\bfrom\s+(?:the\s+)?$/i.test(text.slice(Math.max(0, r.start - 12), r.start));
  for (const r of raw) if (r.country && !backs(r) && !origin(r)) vote(r.country.country.iso2, 3);
  // a group that fights in one country only: a weak sign, since groups strike across borders
  for (const iso2 of actorHomes) vote(iso2, 1);
  // a mission or a word for a kind of place that one country only has: "the OSCE SMM", "Barangay"; a
  // mission that works in some provinces only puts its sites there
  const cueAreas: Place[] = [];
  for (const { name, iso2, areas } of countryCues()) {
    if (!name.test(text)) continue;
    vote(iso2, 2);
    for (const area of areas) cueAreas.push(...models.gazetteer.lookup(area).filter((p) => p.featureCode === 'ADM1' && p.iso2 === iso2));
  }
  const inCueArea = (p: Place): boolean => cueAreas.some((a) => liesIn(p, a));
  // places that are unambiguous vote for their country too (weaker: one reading may still be wrong)
  // (all its readings in one country count too: "Kirkuk" the city and the province)
  const oneCountry = (r: RawMention): boolean => !r.fuzzy && r.places.length > 0 && r.places.every((p) => p.iso2 === r.places[0]!.iso2);
  for (const r of raw) if (oneCountry(r)) vote(r.places[0]!.iso2, 1);
  // ... and so do names one reading dominates: a capital, or a city ten times the size of any namesake
  // abroad ("Beirut", whatever village of Poland shares the name)
  for (const r of raw) {
    const towns = r.places.filter((p) => p.featureClass !== 'A');
    if (oneCountry(r) || r.fuzzy || !towns.length) continue;
    const top = towns.reduce((a, b) => (b.population > a.population ? b : a));
    const rival = Math.max(0, ...towns.filter((p) => p.iso2 !== top.iso2).map((p) => p.population));
    if ((top.featureCode === 'PPLC' || top.population >= 100_000) && top.population >= 10 * rival) vote(top.iso2, top.featureCode === 'PPLC' ? 2 : 1);
  }
  // and so do the areas named in brackets, where all their readings lie in one country
  const areaContexts: AreaContext[] = [];
  const sites: { match: RegExpMatchArray; context: AreaContext }[] = [];
  for (const m of text.matchAll(UNKNOWN_SITE)) {
    const c = areaContext(text, m.index + m[0].length, models);
    if (c) {
      areaContexts.push(c);
      sites.push({ match: m, context: c });
    }
  }
  // "in Utinga, Bahia", "near Orikhove, Luhansk": after a locative word, a name and its province
  for (const m of text.matchAll(SITE_COMMA_AREA)) {
    const c = areaContext(text, m.index + m[0].length, models);
    if (c && !listGoesOn(text, c) && c.parts.some((x) => x.exact.size > 0)) {
      areaContexts.push(c);
      sites.push({ match: m, context: c });
    }
  }
  for (const c of areaContexts) {
    const countries = new Set(c.parts.flatMap((x) => (x.country ? [x.country] : x.areas.map((a) => a.iso2))));
    if (countries.size === 1) vote([...countries][0]!, 2);
  }
  const namesInText = new Map<string, number>();
  for (const r of raw) namesInText.set(placeKey(r.text), (namesInText.get(placeKey(r.text)) ?? 0) + 1);
  // an admin area "named in the text" must be named by another mention than the place itself:
  // "Tripoli" must not vouch for the Tripoli district of Libya
  // (by its name without the word for its kind: "San Salvador Department" is named by "San Salvador")
  const namedElsewhere = (name: string | null, own: string): boolean => {
    if (!name) return false;
    // (a name the place shares with its area vouches for nothing: "Athens" for Athens County, Ohio)
    const [key, short] = areaKeys(name);
    // (nor does the place's own name said twice: "Tripoli ... in Tripoli" is no sign of Libya's Tripoli district)
    return (key !== own && (namesInText.get(key) ?? 0) > 0) || (short !== own && (namesInText.get(short) ?? 0) > 0);
  };
  // ... and, the other way round, an area holds a place the text names: "Attica" is Greece's where the
  // text names Athens too, not a town of Indiana
  const namedWithin = new Map<string, Set<string>>();
  for (const r of raw) {
    for (const p of r.places) {
      if (p.featureCode === 'ADM1') continue;
      for (const k of [`${p.iso2}|${p.admin1}`, ...(p.admin2 ? [`${p.iso2}|${p.admin1}|${p.admin2}`] : [])]) {
        const names = namedWithin.get(k) ?? new Set<string>();
        names.add(placeKey(r.text));
        namedWithin.set(k, names);
      }
    }
  }
  const holdsNamed = (a: Place, own: string): boolean => {
    const names = namedWithin.get(a.featureCode === 'ADM1' ? `${a.iso2}|${a.admin1}` : `${a.iso2}|${a.admin1}|${a.admin2}`);
    return names !== undefined && [...names].some((n) => n !== own);
  };
  // (spans looked up by position, not searched one by one: a long report holds thousands of them)
  const siteContexts = spansOf(areaContexts);
  const allContexts = spansOf([...areaContexts, ...[...contexts.values()].filter((c): c is AreaContext => c !== null)]);
  const inContext = (pos: number): boolean => siteContexts.at(pos) !== null;
  // a name that stands among the areas after another is read as the area the whole context settles on:
  // "Samar" in "Magdawat, Pinabacdao, Samar" is the province, not Samara of Russia
  const settled = new Map<AreaContext, Place | null>();
  const settledArea = (pos: number): Place | null => {
    const c = allContexts.at(pos);
    // (not in a list of towns: "stormed Garissa, Mandera and Wajir")
    if (!c || listGoesOn(text, c)) return null;
    if (!settled.has(c)) settled.set(c, contextArea(c, [], (iso2) => countryVotes.get(iso2) ?? 0));
    return settled.get(c) ?? null;
  };
  // brackets right after a name hold its areas or its other name ("Chawkay (Suki) district", "Nad Ali
  // (Marja)"): what they name is never the event's place by itself
  const asides: [number, number][] = [];
  for (const m of text.matchAll(/\p{Lu}[\p{L}'’-]*(?:\s+(?:town|village|city|area|district|camp|locality))?\s*([([])([^()[\]\n]{1,80})[)\]]/gu)) {
    const open = m.index + m[0].length - m[2]!.length - 2;
    asides.push([open, m.index + m[0].length]);
  }
  const asideSpans = spansOf(asides.map(([a, b]) => ({ start: a + 1, end: b })));
  const aside = (pos: number): boolean => inContext(pos) || asideSpans.at(pos) !== null;
  // the country the report is about, where the words name it: a nationality does not count here, since
  // reports name the foreign side of a conflict by it ("a Russian drone", "Turkish troops")
  const lead = new Map(countryVotes);
  // ("Saudi-led", "Iranian-backed" too), while the dateline says where the reporter is, usually the country
  for (const r of raw) if (r.country && r.country.demonym && !backs(r)) lead.set(r.country.country.iso2, lead.get(r.country.country.iso2)! - 3);
  const dateline = raw.find((r) => r.start < 40 && r.places.length > 0 && r.text === r.text.toUpperCase() && /\p{Lu}{3}/u.test(r.text));
  if (dateline) for (const iso2 of new Set(dateline.places.map((p) => p.iso2))) lead.set(iso2, (lead.get(iso2) ?? 0) + 3);
  // (any sign will do, as long as one country leads: a small foreign town needs signs of its own)
  const ranked = [...lead].filter(([, v]) => v >= 1).sort((a, b) => b[1] - a[1]);
  const leadCountry = ranked.length && (ranked.length === 1 || ranked[0]![1] > ranked[1]![1]) ? ranked[0]![0] : null;
  // (and, where no country leads, the one most named, nationalities too: "Lebanese protesters")
  const voted = [...countryVotes].sort((a, b) => b[1] - a[1]);
  const mostVoted = voted.length && (voted.length === 1 || voted[0]![1] > voted[1]![1]) ? voted[0]![0] : null;

  // one name, one place: "Guerrero" read as the state where areas are named ("in El Parotal, Guerrero")
  // is the state where the report names it again ("Guerrero ejido commissioners")
  const settledByName = new Map<string, Place>();
  for (const r of raw) {
    const area = r.places.length ? settledArea(r.start) : null;
    if (area && r.places.some((p) => p.id === area.id)) settledByName.set(placeKey(r.text), area);
  }


  const out: PlaceMention[] = [];
  const covered: [number, number][] = [];
  for (const r of raw) {
    if (r.country) {
      out.push({ kind: 'country', start: r.start, end: r.end, text: r.text, country: r.country.country, demonym: r.country.demonym, rule: 'country-name' });
      continue;
    }
    const context = contexts.get(r) ?? null;
    const after = text.slice(r.end, r.end + 60);
    const namesArea = AREA_AFTER.test(after);
    let best: Place | null = null;
    let bestScore = -Infinity;
    let second = -Infinity;
    const standsAmongAreas = settledArea(r.start);
    const areaHere = standsAmongAreas ?? settledByName.get(placeKey(r.text)) ?? null;
    // (a name that stands among the areas and can be the settled one, or its province, is that area)
    const namesAreaHere = standsAmongAreas !== null && r.places.some((p) => p.id === standsAmongAreas.id || (p.featureClass === 'A' && liesIn(standsAmongAreas, p)));
    // a name followed by "neighbourhood" names a part of a town: a town elsewhere is no reading of it
    const partOfTown = /^\s+(?:neighbou?rhood|quarter|suburb)\b/i.test(after);
    const areaReadings = r.places.filter((p) => p.featureClass === 'A');
    const namesProvince = PROVINCE_AFTER.test(after);
    for (const p of r.places) {
      if (partOfTown && p.featureCode !== 'PPLX' && !p.partOf) continue;
      // a reading by transliteration only stands where the report leads to its country or its areas
      // (or, where nothing in the report points anywhere, where all its readings lie in one country)
      const alone = countryVotes.size === 0 && r.places.every((x) => x.iso2 === p.iso2) && /\b(?:in|at|near)\s+(?:the\s+)?$/i.test(text.slice(Math.max(0, r.start - 10), r.start));
      // (or where the report names the town the place is part of: "the Isawiyah neighbourhood of Jerusalem")
      if (r.fuzzy && !alone && p.iso2 !== (leadCountry ?? mostVoted) && contextFit(p, context) < 6 && !inCueArea(p) && !namedElsewhere(p.partOf, placeKey(r.text))) continue;
      // a district known by name only is read as one only where the words or the areas after it say so,
      // or in a report about its country, standing alone: "Sadr" of "Sadr City" is no district
      // (where no country leads, it must stand where a place would: "killed the driver in Azaz")
      const standsAlone = !/^\s+\p{Lu}/u.test(after);
      const inItsCountry = (countryVotes.get(p.iso2) ?? 0) >= 2 || ((leadCountry === null || leadCountry === p.iso2) && /\b(?:in|at|near|around|outside)\s+$/.test(text.slice(Math.max(0, r.start - 8), r.start)));
      if (p.approximate && !namesArea && contextFit(p, context) < 8 && !(inItsCountry && standsAlone)) continue;
      const area = p.featureClass === 'A';
      // a town before the area of the same name ("Kaduna" the city), unless the words say area
      let score = area ? (namesArea ? 1.5 : -1.5) : Math.log10(p.population + 10) * 0.6;
      // (and where they say area, a town that lies in no area of the name is another place: "Anbar
      // province" is no Ambar of Turkey)
      if (namesArea && !area && areaReadings.length && !areaReadings.some((a) => liesIn(p, a))) score -= 4;
      // (and a province's word rules out what lies in no province of the name: "Zulia state" is no El Zulia)
      const provinces = namesProvince ? areaReadings.filter((a) => a.featureCode === 'ADM1') : [];
      if (provinces.length && p.featureCode !== 'ADM1' && !provinces.some((a) => liesIn(p, a))) score -= 4;
      // ("state", "province", "governorate" name the first level: "Merida state" is Venezuela's state,
      // not Mexico's municipality)
      if (namesProvince && p.featureCode === 'ADM2') score -= 2;
      score += (countryVotes.get(p.iso2) ?? 0) * 1.5;
      // (a capital, or a seat of government: La Paz of Bolivia)
      if (p.featureCode === 'PPLC' || p.featureCode === 'PPLG') score += 1.5;
      else if (p.featureCode.startsWith('PPLA')) score += 1;
      const own = placeKey(r.text);
      if (namedElsewhere(p.admin1, own)) score += 3;
      if (namedElsewhere(p.admin2, own)) score += 3;
      if (namedElsewhere(p.partOf, own)) score += 4;
      if (area && (p.featureCode === 'ADM1' || p.featureCode === 'ADM2') && holdsNamed(p, own)) score += 4;
      score += contextFit(p, context);
      if (inCueArea(p)) score += 3;
      // (the province of the district the context settles on is read as that province: "Bihar" in
      // "(Kaimur, Bihar)" is no Bihar Sharif)
      // (and a name that stands among the areas is the area settled on, whatever big city shares its name:
      // "Sofia" in "(Analalava, Sofia)" is Madagascar's region)
      if (areaHere) score += p.id === areaHere.id || (p.featureClass === 'A' && liesIn(areaHere, p)) ? (namesAreaHere ? 12 : 6) : !namesAreaHere && (liesIn(p, areaHere) || liesIn(areaHere, p)) ? 3 : 0;
      // the name as written, not only an alternate spelling
      if (placeKey(p.name) === placeKey(r.text)) score += 0.5;
      if (score > bestScore) {
        second = bestScore;
        bestScore = score;
        best = p;
      } else if (score > second) second = score;
    }
    if (!best) continue;
    // the areas named after it rule out every reading: the name is another place, in those areas
    const fit = contextFit(best, context);
    if (context && fit < 0) continue;
    // ... and so does a province named after it, by its exact name, that none of its readings lies in:
    // "near Orikhove, Luhansk" is no Orekhovo of Crimea (the site is placed in Luhansk below)
    // (not in a list of towns: "stormed Garissa, Mandera and Wajir")
    if (context && !listGoesOn(text, context) && best.featureClass !== 'A' && fit < 8 && context.parts.some((x) => [...x.exact].some((a) => a.iso2 === best!.iso2))) continue;
    // a small town abroad that nothing else in a report about another country points to is a word
    // the gazetteer happens to hold ("Keran" of "Keran wa Menjan", an "APC"), not a place
    const ownVotes = (countryVotes.get(best.iso2) ?? 0) - (oneCountry(r) ? 1 : 0);
    // (the areas after it, or the town it is part of, named in the report, confirm it)
    const confirmed = fit >= 8 || namedElsewhere(best.partOf, placeKey(r.text));
    // (a city too, short of the biggest, where the report points to its own country many times over: "Gorgan"
    // beside Azerbaijan named, "Artsakh" and Fizuli is a village of Karabakh, not the city of Iran)
    const foreignTownMax = leadCountry && (lead.get(leadCountry) ?? 0) >= 5 ? 1_000_000 : FOREIGN_TOWN_MIN_POPULATION;
    if (leadCountry && leadCountry !== best.iso2 && ownVotes <= 0 && !confirmed && best.population < foreignTownMax && best.featureCode !== 'PPLC') continue;
    // ... and so is a small town outside the provinces the report's mission works in: the OSCE's
    // ceasefire reports name villages on the contact line, not their namesakes elsewhere in Ukraine
    if (cueAreas.length && !inCueArea(best) && !confirmed && best.population < FOREIGN_TOWN_MIN_POPULATION) continue;
    covered.push([r.start, r.end]);
    // a lone capitalised word at the start of a sentence is weak evidence of a name
    const sentenceInitial = r.firstToken === 0 || tokens[r.firstToken - 1]!.sentence !== tokens[r.firstToken]!.sentence;
    // a name with several readings is never as certain as a unique one
    let confidence = r.places.length === 1 ? 0.8 : Math.min(0.7, 0.4 + (bestScore - second) * 0.1);
    if (confirmed) confidence = Math.max(confidence, 0.8);
    if (sentenceInitial && r.firstToken === r.lastToken) confidence *= 0.6;

    const before = text.slice(Math.max(0, r.start - 60), r.start);
    let precision: 1 | 2 | 3 = 1;
    let qualifier: { start: number; end: number; text: string } | null = null;
    const nb = NEAR_BEFORE.exec(before);
    const na = NEAR_AFTER.exec(after);
    if (best.partOf) precision = 2;
    if (nb) {
      precision = 2;
      qualifier = { start: r.start - nb[0].length, end: r.start, text: nb[0] };
    } else if (na) {
      precision = 2;
      qualifier = { start: r.end, end: r.end + na[0].length, text: na[0] };
    }
    if (best.featureCode === 'ADM2') precision = 2;
    if (best.featureCode === 'ADM1' || best.approximate || (namesArea && !best.featureCode.startsWith('PPL'))) precision = 3;
    const rule = best.featureClass === 'A' ? 'gazetteer-area' : best.id < 0 ? 'gazetteer-supplement' : 'gazetteer';
    // (a place found by its transliteration keeps the report's spelling: the report's is the one confirmed)
    const place = r.fuzzy ? { ...best, name: r.text } : best;
    out.push({ kind: 'place', start: r.start, end: r.end, text: r.text, place, precision, qualifier, confidence: r.fuzzy ? confidence * 0.8 : confidence, rule: r.fuzzy ? 'gazetteer-transliterated' : rule, adminOf: aside(r.start) });
  }

  // sites the gazetteer knows only elsewhere, named inside a place it knows here: placed at that place
  for (const { site, container } of sitesWithin) {
    const at = out.find((m) => m.start === container.start);
    if (at?.kind !== 'place' || blocked(site.start)) continue;
    covered.push([site.start, site.end]);
    out.push({ kind: 'place', start: site.start, end: site.end, text: site.text, place: { ...at.place, name: site.text, population: 0, partOf: null }, precision: at.precision === 3 ? 3 : 2, qualifier: null, confidence: 0.6, rule: 'unknown-site-in-place' });
  }

  // ... and sites it does not know at all, named as such inside a place it knows: "the village of Umm
  // Harmala in the countryside of Tal Tamer"
  if (out.length) {
    const known = spansOf(out);
    for (const m of text.matchAll(SITE_WITHIN)) {
      const name = m[1] ?? m[2]!;
      const [start, end] = [m.index!, m.index! + name.length];
      if (known.at(start) !== null || blocked(start)) continue;
      const at = out.find((x) => x.start > end && WITHIN_GAP.test(text.slice(end, x.start)));
      if (at?.kind !== 'place') continue;
      covered.push([start, end]);
      out.push({ kind: 'place', start, end, text: name, place: { ...at.place, name, population: 0, partOf: null }, precision: at.precision === 3 ? 3 : 2, qualifier: null, confidence: 0.6, rule: 'unknown-site-in-place' });
    }
  }

  // sites the gazetteer does not know (or knows only elsewhere), placed in the areas named after them
  const coveredSpans = spansOf(covered.map(([a, b]) => ({ start: a, end: b })));
  const overlapsCovered = (start: number, end: number): boolean => coveredSpans.at(start) !== null || coveredSpans.at(end - 1) !== null;
  // (built only for a report that has such sites)
  let tokenAt: Map<number, Token> | undefined;
  for (const { match: m, context } of sites) {
    const [start, end] = [m.index!, m.index! + m[0].length];
    if (overlapsCovered(start, end) || blocked(start) || inContext(start)) continue;
    // (without a leading "In" and a trailing kind word: "Sapele LGA" is the site Sapele)
    const lead = /^(?:(?:The|In|At|Near|On|Barangay|Brgy\.?)\s+)?/.exec(m[1]!)![0].length;
    const name = m[1]!.slice(lead).replace(/\s+(?:LGA|District|County|Municipality|Commune|Department|Sector)$/, '');
    const siteReadings = models.gazetteer.lookup(name);
    const area = contextArea(context, siteReadings, (iso2) => countryVotes.get(iso2) ?? 0);
    if (!area) continue;
    // a sentence's first word, or a word that is no name ("Fatalities (10)"), is not a site, nor is an
    // organisation ("Karen National Liberation Army (KNLA)")
    if (ORGANISATION.test(name)) continue;
    tokenAt ??= new Map(tokens.map((t) => [t.start, t] as const));
    const first = tokenAt.get(start);
    if (name.length < 3 || !/\p{L}{3}/u.test(name) || (first && first.pos !== 'PROPN' && (start === 0 || /[.!?]\s*$/.test(text.slice(Math.max(0, start - 8), start))))) continue;
    const place: Place = { ...area, name, population: 0, partOf: null };
    const from = start + lead;
    out.push({ kind: 'place', start: from, end: from + name.length, text: name, place, precision: area.featureCode === 'ADM1' || area.approximate ? 3 : 2, qualifier: null, confidence: 0.6, rule: 'unknown-site-in-area' });
  }
  // sites the gazetteer does not know, named where a mission that works in some provinces only saw
  // something ("explosions near Novoluhanske"): placed in the first of its provinces, a region only
  if (cueAreas.length) {
    const found = spansOf(out);
    for (const m of text.matchAll(CUE_SITE)) {
      const [start, end] = [m.index!, m.index! + m[1]!.length];
      if (overlapsCovered(start, end) || found.at(start) !== null || found.at(end - 1) !== null || blocked(start)) continue;
      const place: Place = { ...cueAreas[0]!, name: m[1]!, population: 0, partOf: null };
      out.push({ kind: 'place', start, end, text: m[1]!, place, precision: 3, qualifier: null, confidence: 0.5, rule: 'site-in-mission-area' });
    }
  }
  // a place named as the container of the one before it is no event's place of its own: "the Qalandia
  // refugee camp in Jerusalem", "the Isawiyah neighbourhood of Jerusalem", "Mansura in Ar-Raqqa"
  const sorted = out.sort((a, b) => a.start - b.start);
  return sorted.map((m, i) => {
    const prev = sorted[i - 1];
    if (m.kind !== 'place' || !prev || prev.kind !== 'place' || m.adminOf) return m;
    const between = text.slice(prev.end, m.start);
    return CONTAINER_BETWEEN.test(between) || WITHIN_GAP.test(between) ? { ...m, adminOf: true } : m;
  });
}

const CONTAINER_BETWEEN = /^\s+(?:refugee\s+)?(?:camp|neighbou?rhood|area|district|quarter|village|town|suburb|sector)\s+(?:in|of)\s+(?:the\s+)?(?:city\s+of\s+)?$/i;

// a name after a word that places something: "near Novoluhanske", "in the area of Shyrokyne"
const CUE_SITE = /(?<=\b(?:near|in|at|around|outside|(?:area|vicinity|outskirts)\s+of)\s+(?:the\s+)?(?:(?:village|town|settlement|area|vicinity)\s+of\s+)?)(\p{Lu}[\p{L}'’-]+(?:\s+\p{Lu}[\p{L}'’-]+){0,2})(?![\p{L}'’]|\s+\p{Lu})/gu;
