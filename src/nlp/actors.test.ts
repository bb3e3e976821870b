// Table-driven tests for the actor dictionary: findActors finds who is named, resolveActor names them
// in ACLED's style once the event's country and date are known, pickEntry chooses among an alias's
// lines, parsePeriod reads the years column. Each row is an invented sentence, the event's country and
// date, and the actors an analyst would code, in text order.
import { describe, expect, it } from 'vitest';
import { testModels } from '../../test/models.js';
import { findActors, parsePeriod, pickEntry, resolveActor, type ActorKind, type GroupEntry } from './actors.js';

const models = testModels();

interface ExpectedActor {
  /** a piece of the text the mention must cover */
  readonly at: string;
  readonly kind: ActorKind;
  /** the ACLED name for this event's country and date; null when it cannot be named */
  readonly name: string | null;
  readonly inter?: number;
}

interface Row {
  readonly name: string;
  readonly text: string;
  /** the event's country (ISO2), or null */
  readonly country: string | null;
  readonly date: string | null;
  readonly actors: readonly ExpectedActor[];
}

function resolveAll(text: string, country: string | null, date: string | null): { text: string; kind: ActorKind; name: string | null; inter: number | null }[] {
  const c = country ? models.countries.byCode(country) : null;
  if (country) expect(c, `country ${country}`).toBeTruthy();
  const event = c ? { iso2: c.iso2, name: c.name } : null;
  return findActors(text, models.actors, models.countries).map((a) => {
    expect(text.slice(a.start, a.end)).toBe(a.text);
    const r = resolveActor(a, event, date, models.actors, models.countries);
    return { text: a.text, kind: a.actorKind, name: r?.name ?? null, inter: r?.inter ?? null };
  });
}

function check(row: Row): void {
  const got = resolveAll(row.text, row.country, row.date);
  const shown = got.map((g, i) => {
    const want = row.actors[i];
    const out: Record<string, unknown> = { at: want && g.text.includes(want.at) ? want.at : g.text, kind: g.kind, name: g.name };
    if (want?.inter !== undefined) out.inter = g.inter;
    return out;
  });
  expect(shown).toEqual(row.actors.map((a) => ({ ...a })));
}

// ---- state forces ----
const STATE_ROWS: readonly Row[] = [
  {
    name: 'nationality + special forces, in the current period',
    text: 'Iraqi special forces raided a hideout.',
    country: 'IQ',
    date: '2020-05-03',
    actors: [{ at: 'Iraqi special forces', kind: 'military', name: 'Military Forces of Iraq (2014-)', inter: 1 }],
  },
  {
    name: 'the period that contains the event date (earlier government)',
    text: 'Iraqi troops stormed a farmhouse.',
    country: 'IQ',
    date: '2012-06-01',
    actors: [{ at: 'Iraqi troops', kind: 'military', name: 'Military Forces of Iraq (2006-2014)' }],
  },
  {
    name: 'the month before a change of government',
    text: 'Iraqi troops stormed a farmhouse.',
    country: 'IQ',
    date: '2014-08-20',
    actors: [{ at: 'Iraqi troops', kind: 'military', name: 'Military Forces of Iraq (2006-2014)' }],
  },
  {
    name: 'the boundary month belongs to the later period',
    text: 'Iraqi troops stormed a farmhouse.',
    country: 'IQ',
    date: '2014-09-20',
    actors: [{ at: 'Iraqi troops', kind: 'military', name: 'Military Forces of Iraq (2014-)' }],
  },
  {
    name: 'capitalised nationality + Security Forces',
    text: 'Iraqi Security Forces raided a hideout.',
    country: 'IQ',
    date: '2020-05-03',
    actors: [{ at: 'Iraqi Security Forces', kind: 'military', name: 'Military Forces of Iraq (2014-)' }],
  },
  {
    name: 'police officers with nationality',
    text: 'Iraqi police officers were wounded.',
    country: 'IQ',
    date: '2020-05-03',
    actors: [{ at: 'Iraqi police officers', kind: 'police', name: 'Police Forces of Iraq (2014-)', inter: 1 }],
  },
  {
    name: 'police at the start of a sentence take the event country',
    text: 'Police fired tear gas at the crowd.',
    country: 'IQ',
    date: '2020-05-03',
    actors: [{ at: 'Police', kind: 'police', name: 'Police Forces of Iraq (2014-)' }],
  },
  {
    name: 'troops at the start of a sentence',
    text: 'Troops advanced on the town.',
    country: 'IQ',
    date: '2020-05-03',
    actors: [{ at: 'Troops', kind: 'military', name: 'Military Forces of Iraq (2014-)' }],
  },
  {
    name: 'the nationality beats the event country',
    text: 'Turkish troops shelled a village.',
    country: 'SY',
    date: '2019-10-12',
    actors: [{ at: 'Turkish troops', kind: 'military', name: 'Military Forces of Turkey (2016-)' }],
  },
  {
    name: 'Iraqi army units in Syria',
    text: 'Iraqi army units crossed the border.',
    country: 'SY',
    date: '2019-10-12',
    actors: [{ at: 'Iraqi army', kind: 'military', name: 'Military Forces of Iraq (2014-)' }],
  },
  {
    name: 'Nigerian soldiers and Boko Haram, 2014',
    text: 'Nigerian soldiers repelled Boko Haram.',
    country: 'NG',
    date: '2014-03-02',
    actors: [
      { at: 'Nigerian soldiers', kind: 'military', name: 'Military Forces of Nigeria (2010-2015)' },
      { at: 'Boko Haram', kind: 'group', name: 'Boko Haram - Jamaatu Ahli is-Sunnah lid-Dawatai wal-Jihad', inter: 2 },
    ],
  },
  {
    name: 'Nigerian soldiers and Boko Haram, 2019',
    text: 'Nigerian soldiers repelled Boko Haram.',
    country: 'NG',
    date: '2019-03-02',
    actors: [
      { at: 'Nigerian soldiers', kind: 'military', name: 'Military Forces of Nigeria (2015-2023)' },
      { at: 'Boko Haram', kind: 'group', name: 'Boko Haram - Jamaatu Ahli is-Sunnah lid-Dawatai wal-Jihad' },
    ],
  },
  {
    name: 'Somali police',
    text: 'Somali police arrested five suspects.',
    country: 'SO',
    date: '2020-05-02',
    actors: [{ at: 'Somali police', kind: 'police', name: 'Police Forces of Somalia (2017-2022)' }],
  },
  {
    name: 'security forces without nationality',
    text: 'Security forces dispersed demonstrators.',
    country: 'IQ',
    date: '2020-05-03',
    actors: [
      { at: 'forces', kind: 'military', name: 'Military Forces of Iraq (2014-)' },
      { at: 'demonstrators', kind: 'protesters', name: 'Protesters (Iraq)', inter: 6 },
    ],
  },
  {
    name: 'troops with no country anywhere cannot be named',
    text: 'Troops were deployed.',
    country: null,
    date: '2020-05-03',
    actors: [{ at: 'Troops', kind: 'military', name: null }],
  },
  {
    name: 'a nationality names the forces even with no event country',
    text: 'Iraqi troops were deployed.',
    country: null,
    date: null,
    actors: [{ at: 'Iraqi troops', kind: 'military', name: 'Military Forces of Iraq (2014-)' }],
  },
];

describe('findActors + resolveActor: state forces', () => {
  it.each(STATE_ROWS.map((r) => [r.name, r] as const))('%s', (_n, row) => check(row));
});

// ---- generic actors ----
const GENERIC_ROWS: readonly Row[] = [
  {
    name: 'rioters, unidentified gunmen, civilians',
    text: 'Rioters burned tyres while unidentified gunmen fired on civilians.',
    country: 'IQ',
    date: '2020-05-03',
    actors: [
      { at: 'Rioters', kind: 'rioters', name: 'Rioters (Iraq)', inter: 5 },
      { at: 'unidentified gunmen', kind: 'unidentified', name: 'Unidentified Armed Group (Iraq)', inter: 3 },
      { at: 'civilians', kind: 'civilians', name: 'Civilians (Iraq)', inter: 7 },
    ],
  },
  {
    name: 'unknown assailants and a teacher',
    text: 'Unknown assailants killed a teacher.',
    country: 'KE',
    date: '2020-05-03',
    actors: [
      { at: 'Unknown assailants', kind: 'unidentified', name: 'Unidentified Armed Group (Kenya)' },
      { at: 'teacher', kind: 'civilians', name: 'Civilians (Kenya)' },
    ],
  },
  {
    name: 'gunmen and farmers',
    text: 'Gunmen shot dead two farmers.',
    country: 'NG',
    date: '2020-05-03',
    actors: [
      { at: 'Gunmen', kind: 'unidentified', name: 'Unidentified Armed Group (Nigeria)' },
      { at: 'farmers', kind: 'civilians', name: 'Civilians (Nigeria)' },
    ],
  },
  {
    name: 'suspected militants and aid workers',
    text: 'Suspected militants abducted aid workers.',
    country: 'IQ',
    date: '2020-05-03',
    actors: [
      { at: 'Suspected militants', kind: 'unidentified', name: 'Unidentified Armed Group (Iraq)' },
      { at: 'aid workers', kind: 'civilians', name: 'Civilians (Iraq)' },
    ],
  },
  {
    name: 'strikers and activists are protesters',
    text: 'Strikers and activists marched to parliament.',
    country: 'IN',
    date: '2020-05-03',
    actors: [
      { at: 'Strikers', kind: 'protesters', name: 'Protesters (India)' },
      { at: 'activists', kind: 'protesters', name: 'Protesters (India)' },
    ],
  },
  {
    name: 'an angry mob',
    text: 'An angry mob beat a suspected thief.',
    country: 'KE',
    date: '2020-05-03',
    actors: [{ at: 'angry mob', kind: 'rioters', name: 'Rioters (Kenya)' }],
  },
  {
    name: 'protesters with no event country',
    text: 'Protesters marched.',
    country: null,
    date: null,
    actors: [{ at: 'Protesters', kind: 'protesters', name: 'Protesters' }],
  },
];

describe('findActors + resolveActor: generic actors', () => {
  it.each(GENERIC_ROWS.map((r) => [r.name, r] as const))('%s', (_n, row) => check(row));
});

// ---- named groups: one alias, a line per country and period ----
const GROUP_ROWS: readonly Row[] = [
  { name: 'Islamic State in Iraq', text: 'Islamic State claimed the raid.', country: 'IQ', date: '2020-05-03', actors: [{ at: 'Islamic State', kind: 'group', name: 'Islamic State (Iraq)', inter: 2 }] },
  { name: 'Islamic State in Syria', text: 'Islamic State claimed the raid.', country: 'SY', date: '2020-05-03', actors: [{ at: 'Islamic State', kind: 'group', name: 'Islamic State (Syria)' }] },
  { name: 'Islamic State in Nigeria, 2019', text: 'Islamic State claimed the raid.', country: 'NG', date: '2019-03-02', actors: [{ at: 'Islamic State', kind: 'group', name: 'Islamic State (West Africa)' }] },
  {
    name: 'Islamic State in Nigeria before August 2016',
    text: 'Islamic State claimed the raid.',
    country: 'NG',
    date: '2016-01-15',
    actors: [{ at: 'Islamic State', kind: 'group', name: 'Boko Haram - Wilayat Gharb Ifriqiyyah' }],
  },
  { name: 'Islamic State in Nigeria, the boundary month', text: 'Islamic State claimed the raid.', country: 'NG', date: '2016-08-10', actors: [{ at: 'Islamic State', kind: 'group', name: 'Islamic State (West Africa)' }] },
  { name: 'Islamic State in Somalia, 2020', text: 'Islamic State claimed the raid.', country: 'SO', date: '2020-05-02', actors: [{ at: 'Islamic State', kind: 'group', name: 'Islamic State (Somalia)' }] },
  { name: 'Islamic State in Somalia, the last month of a year-bounded line', text: 'Islamic State claimed the raid.', country: 'SO', date: '2023-12-30', actors: [{ at: 'Islamic State', kind: 'group', name: 'Islamic State (Somalia)' }] },
  { name: 'Islamic State in Somalia, 2024', text: 'Islamic State claimed the raid.', country: 'SO', date: '2024-03-02', actors: [{ at: 'Islamic State', kind: 'group', name: 'Islamic State Somalia Province (ISSP)' }] },
  { name: 'ISWAP acronym in Nigeria', text: 'ISWAP claimed the raid.', country: 'NG', date: '2020-05-02', actors: [{ at: 'ISWAP', kind: 'group', name: 'Islamic State (West Africa)' }] },
  { name: 'Taliban before August 2021', text: 'The Taliban attacked a post.', country: 'AF', date: '2021-07-20', actors: [{ at: 'Taliban', kind: 'group', name: 'Taliban', inter: 2 }] },
  { name: 'Taliban from August 2021 are state forces', text: 'The Taliban attacked a post.', country: 'AF', date: '2021-08-20', actors: [{ at: 'Taliban', kind: 'group', name: 'Military Forces of Afghanistan (2021-)', inter: 1 }] },
  { name: 'Taliban in Pakistan', text: 'The Taliban attacked a post.', country: 'PK', date: '2022-05-03', actors: [{ at: 'Taliban', kind: 'group', name: 'TTP: Tehreek-i-Taliban Pakistan' }] },
  { name: 'al-Qaeda where no affiliate is listed', text: 'The attack was blamed on al-Qaeda.', country: 'IQ', date: '2020-05-03', actors: [{ at: 'al-Qaeda', kind: 'group', name: 'Al Qaeda' }] },
  { name: 'al-Qaeda in Yemen is AQAP', text: 'The attack was blamed on al-Qaeda.', country: 'YE', date: '2020-05-03', actors: [{ at: 'al-Qaeda', kind: 'group', name: 'AQAP: Al Qaeda in the Arabian Peninsula' }] },
  { name: 'Houthi forces before 2015', text: 'Houthi forces shelled a town.', country: 'YE', date: '2010-05-03', actors: [{ at: 'Houthi forces', kind: 'group', name: 'Houthi Movement - Ansar Allah', inter: 2 }] },
  {
    name: 'Houthi forces after 2016 are a faction of the state',
    text: 'Houthi forces shelled a town.',
    country: 'YE',
    date: '2020-05-03',
    actors: [{ at: 'Houthi forces', kind: 'group', name: 'Military Forces of Yemen (2016-) Supreme Political Council', inter: 1 }],
  },
];

describe('findActors + resolveActor: named groups by country and date', () => {
  it.each(GROUP_ROWS.map((r) => [r.name, r] as const))('%s', (_n, row) => check(row));
});

// ---- overlapping mentions keep the named group ----
const OVERLAP_ROWS: readonly Row[] = [
  { name: 'Al-Shabaab militants', text: 'Al-Shabaab militants attacked a base.', country: 'SO', date: '2020-05-02', actors: [{ at: 'Al-Shabaab militants', kind: 'group', name: 'Al Shabaab' }] },
  { name: 'Taliban fighters', text: 'Taliban fighters stormed a checkpoint.', country: 'AF', date: '2020-05-02', actors: [{ at: 'Taliban fighters', kind: 'group', name: 'Taliban' }] },
  { name: 'Boko Haram insurgents', text: 'Boko Haram insurgents attacked Gwoza.', country: 'NG', date: '2019-05-02', actors: [{ at: 'Boko Haram insurgents', kind: 'group', name: 'Boko Haram - Jamaatu Ahli is-Sunnah lid-Dawatai wal-Jihad' }] },
  { name: 'UPDF in Uganda is the army', text: 'UPDF soldiers raided the market.', country: 'UG', date: '2020-05-02', actors: [{ at: 'UPDF soldiers', kind: 'group', name: 'Military Forces of Uganda (1986-)' }] },
  { name: 'UPDF in Bangladesh is the party', text: 'UPDF activists blocked the road.', country: 'BD', date: '2020-05-02', actors: [{ at: 'UPDF', kind: 'group', name: "UPDF: United People's Democratic Front" }] },
  {
    name: 'Houthi forces is a group, not bare "forces"',
    text: 'Houthi forces shelled a town.',
    country: 'YE',
    date: '2010-05-03',
    actors: [{ at: 'Houthi forces', kind: 'group', name: 'Houthi Movement - Ansar Allah' }],
  },
];

describe('findActors: overlapping mentions', () => {
  it.each(OVERLAP_ROWS.map((r) => [r.name, r] as const))('%s', (_n, row) => check(row));

  it('mentions come out in text order without overlaps', () => {
    const text = 'Al-Shabaab militants and Somali troops clashed as civilians fled; unidentified gunmen later attacked protesters.';
    const got = findActors(text, models.actors, models.countries);
    expect(got.length).toBe(5);
    for (let i = 1; i < got.length; i++) expect(got[i]!.start).toBeGreaterThanOrEqual(got[i - 1]!.end);
  });
});

// ---- the dictionary line for a country and a date ----
const entry = (name: string, countries: string[], years: string): GroupEntry => ({ name, inter: 2, countries, ...parsePeriod(years) });
const IRAQ = entry('Group (Iraq)', ['IQ'], '2013-');
const OLD_WA = entry('Group (West Africa, old name)', ['NG', 'CM'], '2015.03-2016.08');
const NEW_WA = entry('Group (West Africa)', ['NG', 'CM'], '2016.08-');
const ANYWHERE = entry('Group (anywhere)', [], '');
const AFFILIATE = entry('Group (Yemen affiliate)', ['YE'], '2009-');

describe('pickEntry', () => {
  it.each([
    ['the line for the country', [IRAQ, NEW_WA], 'IQ', '2020-05-01', IRAQ],
    ['a second country of a multi-country line', [IRAQ, NEW_WA], 'CM', '2020-05-01', NEW_WA],
    ['the period that contains the date', [OLD_WA, NEW_WA], 'NG', '2016-01-10', OLD_WA],
    ['the later line in a shared boundary month', [OLD_WA, NEW_WA], 'NG', '2016-08-10', NEW_WA],
    ['after the boundary month', [OLD_WA, NEW_WA], 'NG', '2016-09-01', NEW_WA],
    ['no date: the latest line of the country', [OLD_WA, NEW_WA], 'NG', null, NEW_WA],
    ['a country line beats a line for anywhere', [ANYWHERE, AFFILIATE], 'YE', '2020-05-01', AFFILIATE],
    ['a line for anywhere where the country has none', [ANYWHERE, AFFILIATE], 'IQ', '2020-05-01', ANYWHERE],
    ['a line for anywhere when the country is unknown', [ANYWHERE, AFFILIATE], null, '2020-05-01', ANYWHERE],
    ['the country at another date before a line for anywhere out of period', [entry('Old (Iraq)', ['IQ'], '2003-2010'), entry('Anywhere later', [], '2015-')], 'IQ', '2012-01-01', 'Old (Iraq)'],
  ] as const)('%s', (_n, entries, iso2, date, want) => {
    const got = pickEntry(entries, iso2, date);
    expect(got?.name).toBe(typeof want === 'string' ? want : want.name);
  });

  it('no lines, no entry', () => {
    expect(pickEntry([], 'IQ', '2020-05-01')).toBeUndefined();
  });
});

describe('parsePeriod', () => {
  it.each([
    ['2015.03-2016.08', '2015.03', '2016.08'],
    ['2006-', '2006.01', null],
    ['2019.06-', '2019.06', null],
    ['1996-2001', '1996.01', '2001.13'],
    ['2014.09-2021', '2014.09', '2021.13'],
    ['', null, null],
    ['   ', null, null],
  ] as const)('"%s" → [%s, %s]', (years, from, to) => {
    expect(parsePeriod(years)).toEqual({ from, to });
  });

  it('bounds compare as strings in date order', () => {
    const p = parsePeriod('2015.03-2016');
    expect('2016.12' <= p.to!).toBe(true);
    expect('2017.01' <= p.to!).toBe(false);
    expect('2015.02' >= p.from!).toBe(false);
  });
});

describe('ActorDictionary.stateForcesName', () => {
  it.each([
    ['military', 'IQ', 'Iraq', '2020-05-01', 'Military Forces of Iraq (2014-)'],
    ['military', 'IQ', 'Iraq', '2010-05-01', 'Military Forces of Iraq (2006-2014)'],
    ['military', 'IQ', 'Iraq', null, 'Military Forces of Iraq (2014-)'],
    ['police', 'NG', 'Nigeria', '2016-01-01', 'Police Forces of Nigeria (2015-2023)'],
    ['police', 'NG', 'Nigeria', '2023-05-15', 'Police Forces of Nigeria (2023-)'],
    ['military', 'AF', 'Afghanistan', '2016-01-01', 'Military Forces of Afghanistan (2014-2021)'],
    ['military', 'AF', 'Afghanistan', '2021-08-15', 'Military Forces of Afghanistan (2021-)'],
    ['military', 'SO', 'Somalia', '2023-01-01', 'Military Forces of Somalia (2022-)'],
  ] as const)('%s of %s on %s', (kind, iso2, name, date, want) => {
    expect(models.actors.stateForcesName(kind, iso2, name, date)).toBe(want);
  });

  it('a country without a line gets no period', () => {
    expect(models.actors.stateForcesName('military', 'ZZ', 'Atlantis', '2020-01-01')).toBe('Military Forces of Atlantis');
  });
});
