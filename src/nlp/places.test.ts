// Table-driven tests for findPlaces: each row is an invented sentence or two and the toponyms an
// analyst would read in it: countries (and nationalities, which are not places), towns with the reading
// that fits the rest of the text, and how exactly the words locate something (precision 1 the town
// itself, 2 part of it or near it).
import { describe, expect, it } from 'vitest';
import { testModels } from '../../test/models.js';
import { findPlaces, type PlaceMention } from './places.js';
import { segment } from './segment.js';

const models = testModels();

function places(text: string, blocked: (pos: number) => boolean = () => false): PlaceMention[] {
  return findPlaces(text, segment(models.nlp, text).tokens, models, blocked);
}

/** What a row checks of a mention. */
type Expected =
  | { readonly text: string; readonly kind: 'country'; readonly iso2: string; readonly demonym: boolean }
  | {
      readonly text: string;
      readonly kind: 'place';
      readonly iso2: string;
      /** the gazetteer's name of the place, when the row pins it */
      readonly name?: string;
      readonly admin1?: string;
      readonly precision: 1 | 2 | 3;
      /** a piece of the qualifier words ("outskirts"); null when the mention has none */
      readonly qualifier?: string | null;
      readonly supplement?: boolean;
    };

function summary(p: PlaceMention, want: Expected | undefined): Record<string, unknown> {
  if (p.kind === 'country') return { text: p.text, kind: p.kind, iso2: p.country.iso2, demonym: p.demonym };
  const s: Record<string, unknown> = { text: p.text, kind: p.kind, iso2: p.place.iso2, precision: p.precision };
  if (want?.kind === 'place') {
    if (want.name !== undefined) s.name = p.place.name;
    if (want.admin1 !== undefined) s.admin1 = p.place.admin1;
    if (want.qualifier !== undefined) s.qualifier = want.qualifier === null ? p.qualifier : p.qualifier && p.qualifier.text.includes(want.qualifier) ? want.qualifier : (p.qualifier?.text ?? null);
    if (want.supplement !== undefined) s.supplement = p.rule === 'gazetteer-supplement';
  }
  return s;
}

interface Row {
  readonly name: string;
  readonly text: string;
  readonly places: readonly Expected[];
}

function check(row: Row): void {
  const got = places(row.text);
  expect(got.map((p, i) => summary(p, row.places[i]))).toEqual(row.places.map((e) => ({ ...e })));
  for (const p of got) expect(row.text.slice(p.start, p.end)).toBe(p.text);
}

// ---- countries and nationalities ----
const COUNTRY_ROWS: readonly Row[] = [
  {
    name: 'a demonym and a country name',
    text: 'Iraqi troops entered Iraq from the north.',
    places: [
      { text: 'Iraqi', kind: 'country', iso2: 'IQ', demonym: true },
      { text: 'Iraq', kind: 'country', iso2: 'IQ', demonym: false },
    ],
  },
  {
    name: 'a demonym of one country, the name of another',
    text: 'Nigerian soldiers crossed into Cameroon.',
    places: [
      { text: 'Nigerian', kind: 'country', iso2: 'NG', demonym: true },
      { text: 'Cameroon', kind: 'country', iso2: 'CM', demonym: false },
    ],
  },
  {
    name: '"Congo" is the DRC in conflict reporting',
    text: 'Fighting spread from Congo into Uganda.',
    places: [
      { text: 'Congo', kind: 'country', iso2: 'CD', demonym: false },
      { text: 'Uganda', kind: 'country', iso2: 'UG', demonym: false },
    ],
  },
  {
    name: 'a demonym beside a town',
    text: 'Somali troops clashed with militants near Afgoye.',
    places: [
      { text: 'Somali', kind: 'country', iso2: 'SO', demonym: true },
      { text: 'Afgoye', kind: 'place', iso2: 'SO', precision: 2, qualifier: 'near' },
    ],
  },
  {
    name: 'a plural of a demonym is a nationality too, not a place',
    text: 'Iraqi forces fought in Mosul; Iraqis fled.',
    places: [
      { text: 'Iraqi', kind: 'country', iso2: 'IQ', demonym: true },
      { text: 'Mosul', kind: 'place', iso2: 'IQ', name: 'Mosul', precision: 1 },
      { text: 'Iraqis', kind: 'country', iso2: 'IQ', demonym: true },
    ],
  },
];

describe('findPlaces: countries and demonyms', () => {
  it.each(COUNTRY_ROWS.map((r) => [r.name, r] as const))('%s', (_n, row) => check(row));
});

// ---- spelling variants resolve to one place ----
describe('findPlaces: spelling variants name the same place', () => {
  it.each([
    ['Erbil', ['Irbil', 'Erbil', 'Arbil'], 'IQ', 'Erbil'],
    ['Mosul', ['Mosul', 'Al Mawsil', 'Al-Mawsil'], 'IQ', 'Mosul'],
    ['Fallujah', ['Fallujah', 'Falluja'], 'IQ', 'Al Fallūjah'],
    ['Gogjali (supplement)', ['Gogjali', 'Kokjali'], 'IQ', 'Gogjali'],
  ] as const)('%s', (_n, spellings, iso2, name) => {
    const ids = spellings.map((spelling) => {
      const text = `Shelling was reported in ${spelling} overnight.`;
      const got = places(text);
      expect(got, text).toHaveLength(1);
      const p = got[0]!;
      expect(p.kind).toBe('place');
      if (p.kind !== 'place') return null;
      expect(p.text).toBe(spelling);
      expect(p.place.iso2).toBe(iso2);
      expect(p.place.name).toBe(name);
      return p.place.id;
    });
    expect(new Set(ids).size).toBe(1);
  });
});

// ---- how exactly the words locate the event ----
const PRECISION_ROWS: readonly Row[] = [
  { name: 'the town itself', text: 'Fighting was reported in Mosul.', places: [{ text: 'Mosul', kind: 'place', iso2: 'IQ', precision: 1, qualifier: null }] },
  { name: 'a town name before "city"', text: 'The attack took place in Kandahar city.', places: [{ text: 'Kandahar', kind: 'place', iso2: 'AF', precision: 1, qualifier: null }] },
  { name: "Mosul's eastern outskirts", text: "Fighting raged in Mosul's eastern outskirts.", places: [{ text: 'Mosul', kind: 'place', iso2: 'IQ', precision: 2, qualifier: 'outskirts' }] },
  { name: '10 km north of Kandahar', text: 'Rockets hit a village 10 km north of Kandahar.', places: [{ text: 'Kandahar', kind: 'place', iso2: 'AF', precision: 2, qualifier: '10 km north of' }] },
  { name: 'the outskirts of Mosul', text: 'Fighting raged on the outskirts of Mosul.', places: [{ text: 'Mosul', kind: 'place', iso2: 'IQ', precision: 2, qualifier: 'outskirts of' }] },
  { name: 'near Kirkuk', text: 'A convoy was ambushed near Kirkuk.', places: [{ text: 'Kirkuk', kind: 'place', iso2: 'IQ', precision: 2, qualifier: 'near' }] },
  { name: 'west of Kirkuk', text: 'A mortar round landed west of Kirkuk.', places: [{ text: 'Kirkuk', kind: 'place', iso2: 'IQ', precision: 2, qualifier: 'west of' }] },
  { name: 'kilometres south of', text: 'A mortar round landed 15 kilometres south of Baghdad.', places: [{ text: 'Baghdad', kind: 'place', iso2: 'IQ', precision: 2, qualifier: 'kilometres south of' }] },
  {
    name: 'a district of a city',
    text: "A bomb went off in Baghdad's Sadr City district.",
    places: [
      { text: 'Baghdad', kind: 'place', iso2: 'IQ', precision: 2, qualifier: 'district' },
      { text: 'Sadr City', kind: 'place', iso2: 'IQ', name: 'Sadr City', precision: 2 },
    ],
  },
  { name: 'the suburbs of', text: 'Troops entered the suburbs of Aleppo.', places: [{ text: 'Aleppo', kind: 'place', iso2: 'SY', precision: 2, qualifier: 'suburbs of' }] },
  { name: 'the vicinity of', text: 'Shelling hit the vicinity of Mosul.', places: [{ text: 'Mosul', kind: 'place', iso2: 'IQ', precision: 2, qualifier: 'vicinity of' }] },
  { name: 'a city with no qualifier', text: 'Troops entered Aleppo.', places: [{ text: 'Aleppo', kind: 'place', iso2: 'SY', precision: 1, qualifier: null }] },
];

describe('findPlaces: precision', () => {
  it.each(PRECISION_ROWS.map((r) => [r.name, r] as const))('%s', (_n, row) => check(row));
});

// ---- words that are in the gazetteer but are not places here ----
interface NotPlaceRow {
  readonly name: string;
  readonly text: string;
  /** the places the text does name (usually none) */
  readonly places: readonly string[];
  /** words of the text the gazetteer lists as places, so the row really tests the filter */
  readonly gazetteerWords: readonly string[];
}

const NOT_PLACE_ROWS: readonly NotPlaceRow[] = [
  // person's names that contain a place word
  { name: 'Brig. Gen. + a town name', text: 'Brig. Gen. Hassan said troops advanced on the town.', places: [], gazetteerWords: ['Hassan'] },
  { name: 'Brig. Gen. + name mid-sentence', text: 'A spokesman for Brig. Gen. Hassan said the town was calm.', places: [], gazetteerWords: ['Hassan'] },
  { name: 'Abu + a town name', text: 'Abu Omar, a local commander, was killed.', places: [], gazetteerWords: ['Omar'] },
  { name: 'a three-part name of town words', text: 'Ali Hassan Kamal was arrested in Mosul.', places: ['Mosul'], gazetteerWords: ['Ali', 'Hassan', 'Kamal'] },
  { name: 'Abu Bakr', text: 'Militants loyal to Abu Bakr al-Baghdadi attacked Tikrit.', places: ['Tikrit'], gazetteerWords: [] },
  { name: 'Brig. Gen. Haider', text: 'Brig. Gen. Haider Jaafar inspected the front line.', places: [], gazetteerWords: [] },
  // sentence-initial verbs
  { name: 'Start', text: 'Start the engines, the commander said.', places: [], gazetteerWords: ['Start'] },
  { name: 'Send', text: 'Send reinforcements, the mayor pleaded.', places: [], gazetteerWords: ['Send'] },
  { name: 'Say', text: 'Say what you will, the army held the town.', places: [], gazetteerWords: ['Say'] },
  { name: 'Ask', text: 'Ask anyone in the camp and they will tell you.', places: [], gazetteerWords: ['Ask'] },
  { name: 'Come', text: 'Come back tomorrow, the officer said.', places: [], gazetteerWords: ['Come'] },
  { name: 'Hope', text: 'Hope faded for the missing fishermen.', places: [], gazetteerWords: ['Hope'] },
  { name: 'Turn', text: 'Turn left at the checkpoint, the guard said.', places: [], gazetteerWords: [] },
];

describe('findPlaces: names and verbs that are not places', () => {
  it.each(NOT_PLACE_ROWS.map((r) => [r.name, r] as const))('%s', (_n, row) => {
    for (const w of row.gazetteerWords) expect(models.gazetteer.lookup(w).length, `"${w}" should be a gazetteer name`).toBeGreaterThan(0);
    expect(places(row.text).map((p) => p.text)).toEqual(row.places);
  });

  it('the same word mid-sentence after a preposition is still a place', () => {
    const got = places('Protesters marched through Hassan on Monday.');
    expect(got.map((p) => p.text)).toEqual(['Hassan']);
  });
});

// ---- choosing among places of the same name ----
interface ReadingRow {
  readonly name: string;
  readonly text: string;
  /** the mention to check */
  readonly at: string;
  readonly iso2: string;
  readonly admin1?: string;
}

const READING_ROWS: readonly ReadingRow[] = [
  { name: 'Tripoli alone is the capital of Libya', text: 'Clashes erupted in Tripoli on Friday.', at: 'Tripoli', iso2: 'LY' },
  { name: 'Tripoli with Libya beside it', text: 'Clashes erupted in Tripoli, Libya.', at: 'Tripoli', iso2: 'LY' },
  { name: 'Tripoli with Lebanon named in the next sentence', text: 'Clashes erupted in Tripoli on Friday. The army of Lebanon sent reinforcements.', at: 'Tripoli', iso2: 'LB', admin1: 'North Lebanon' },
  { name: 'Tripoli with a Lebanese demonym in the next sentence', text: 'Clashes erupted in Tripoli on Friday. The Lebanese army sent reinforcements.', at: 'Tripoli', iso2: 'LB' },
  { name: 'Hyderabad with Pakistan named later', text: 'Police dispersed a rally in Hyderabad. The protest was the largest in Pakistan this year.', at: 'Hyderabad', iso2: 'PK', admin1: 'Sindh' },
  { name: 'Hyderabad with India named later', text: 'Police dispersed a rally in Hyderabad. The protest was the largest in India this year.', at: 'Hyderabad', iso2: 'IN', admin1: 'Telangana' },
  { name: 'Victoria with the Seychelles named later', text: 'Protesters gathered in Victoria. Police in the Seychelles said the rally was peaceful.', at: 'Victoria', iso2: 'SC' },
  { name: 'Alexandria with an Egyptian demonym', text: 'A bomb exploded in Alexandria. Egyptian police cordoned off the area.', at: 'Alexandria', iso2: 'EG' },
  { name: 'Sidon with Lebanon in the same sentence', text: 'Rebels seized Sidon, the main city of southern Lebanon.', at: 'Sidon', iso2: 'LB' },
  { name: 'Bama, a Nigerian town also found in China and Indonesia', text: 'Gunmen attacked Bama and Gwoza on Sunday.', at: 'Bama', iso2: 'NG', admin1: 'Borno State' },
];

describe('findPlaces: the reading that fits the rest of the text', () => {
  it.each(READING_ROWS.map((r) => [r.name, r] as const))('%s', (_n, row) => {
    expect(models.gazetteer.lookup(row.at).length, `"${row.at}" should be ambiguous`).toBeGreaterThan(1);
    const hit = places(row.text).find((p) => p.text === row.at);
    expect(hit?.kind).toBe('place');
    if (hit?.kind !== 'place') return;
    expect(hit.place.iso2).toBe(row.iso2);
    if (row.admin1 !== undefined) expect(hit.place.admin1).toBe(row.admin1);
  });

  it('an unambiguous place is more certain than a contested one', () => {
    const got = places('Clashes erupted in Tripoli on Friday. The army of Lebanon sent reinforcements to Zgharta.');
    const conf = (t: string): number => {
      const p = got.find((x) => x.text === t);
      return p?.kind === 'place' ? p.confidence : NaN;
    };
    expect(conf('Zgharta')).toBeGreaterThan(conf('Tripoli'));
  });
});

// ---- the team's supplement ----
const SUPPLEMENT_ROWS: readonly Row[] = [
  {
    name: 'a Mosul district from the supplement is part of Mosul',
    text: 'Gunmen stormed Gogjali before dawn.',
    places: [{ text: 'Gogjali', kind: 'place', iso2: 'IQ', name: 'Gogjali', admin1: 'Nineveh', precision: 2, supplement: true }],
  },
  {
    name: 'a supplement alias',
    text: 'Clashes erupted in Kokjali district.',
    places: [{ text: 'Kokjali', kind: 'place', iso2: 'IQ', name: 'Gogjali', precision: 2, supplement: true }],
  },
  {
    name: 'a supplement district and its city',
    text: 'Militants attacked a base in Gogjali, in eastern Mosul.',
    places: [
      { text: 'Gogjali', kind: 'place', iso2: 'IQ', precision: 2, supplement: true },
      { text: 'Mosul', kind: 'place', iso2: 'IQ', precision: 1, supplement: false },
    ],
  },
  {
    name: 'a supplement village',
    text: 'Bandits attacked Jangebe in Nigeria.',
    places: [
      { text: 'Jangebe', kind: 'place', iso2: 'NG', name: 'Jangebe', precision: 1, supplement: true },
      { text: 'Nigeria', kind: 'country', iso2: 'NG', demonym: false },
    ],
  },
  { name: 'a supplement border town', text: 'Rebels attacked Bunagana at dawn.', places: [{ text: 'Bunagana', kind: 'place', iso2: 'CD', precision: 1, supplement: true }] },
];

describe('findPlaces: places from data/places-supplement.tsv', () => {
  it.each(SUPPLEMENT_ROWS.map((r) => [r.name, r] as const))('%s', (_n, row) => check(row));

  it('supplement places carry negative ids and their city', () => {
    const p = places('Gunmen stormed Gogjali before dawn.')[0];
    expect(p?.kind).toBe('place');
    if (p?.kind !== 'place') return;
    expect(p.place.id).toBeLessThan(0);
    expect(p.place.partOf).toBe('Mosul');
  });
});

// ---- blocked positions (time expressions) ----
describe('findPlaces: blocked positions', () => {
  it('a blocked token never starts a place', () => {
    const text = 'Fighting resumed in Mosul and Kirkuk.';
    const mosul = text.indexOf('Mosul');
    expect(places(text).map((p) => p.text)).toEqual(['Mosul', 'Kirkuk']);
    expect(places(text, (pos) => pos === mosul).map((p) => p.text)).toEqual(['Kirkuk']);
  });

  it('no tokens, no places', () => {
    expect(findPlaces('', [], models, () => false)).toEqual([]);
  });
});
