// Table-driven tests for the event stage: which cues report something that happened (refineCue,
// findQuotes), how sentences group into incidents (groupCandidates), which sub-type an incident gets
// (classify) and whether it is political violence at all (isRelevant). Inputs are short invented
// reports run through the pipeline's stages; each row says what an analyst would code.
// Report date 2020-05-06 is a Wednesday: Sunday 3 May, Monday 4 May, Tuesday 5 May.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { testModels } from '../../test/models.js';
import { createContext, STAGES, type DocContext } from '../pipeline.js';
import type { SubEventType } from '../schema.js';
import { bareListSites, classify, codedLabel, codedSplit, findQuotes, groupCandidates, isRelevant, loadEventCues, namedSites, refineCue, type Candidate, type Cue } from './events.js';
import type { Sentence } from './segment.js';

const models = testModels();
const REPORT_DATE = '2020-05-06';

/** Run every stage of the pipeline on an invented report. */
function run(text: string, date: string | null = REPORT_DATE): DocContext {
  const ctx = createContext({ id: 'test', date, text, origin: { file: 'test' }, messages: [] });
  for (const stage of STAGES) stage.run(ctx, models);
  return ctx;
}

/** The cue that starts inside the (unique) piece `at` of the text. */
function cueAt(ctx: DocContext, at: string): Cue {
  const from = ctx.text.indexOf(at);
  expect(from, `"${at}" in the text`).toBeGreaterThanOrEqual(0);
  expect(ctx.text.indexOf(at, from + 1), `"${at}" is unique in the text`).toBe(-1);
  const cue = ctx.cues.find((c) => c.start >= from && c.start < from + at.length);
  expect(cue, `a cue in "${at}"; cues: ${ctx.cues.map((c) => c.text).join(', ')}`).toBeDefined();
  return cue!;
}

// ---- refinement of single cues ----

interface CueRow {
  readonly name: string;
  readonly text: string;
  /** a unique piece of the text where the cue starts */
  readonly at: string;
  readonly dropped: Cue['dropped'];
  readonly anaphoric?: boolean;
}

const CUE_ROWS: readonly CueRow[] = [
  // ---- what happened, as the reporter tells it ----
  { name: 'a plain report', text: 'Rebels fought troops near the dam on Monday.', at: 'fought', dropped: null, anaphoric: false },
  { name: 'a bomb that went off', text: 'A bomb exploded near the market on Monday.', at: 'bomb', dropped: null, anaphoric: false },
  { name: 'a relative clause', text: 'Militants who ambushed the convoy fled into the hills.', at: 'ambushed', dropped: null },
  { name: 'attribution after the fact', text: 'Rebels shelled the port on Monday, according to officials.', at: 'shelled', dropped: null },

  // ---- speech inside quotes ----
  { name: 'straight quotes', text: 'The minister said: "Militants attacked our base." Nothing else happened.', at: 'attacked', dropped: 'quote' },
  { name: 'curly quotes', text: '“We ambushed them at dawn,” a commander said.', at: 'ambushed', dropped: 'quote' },
  { name: 'outside the quote in the same sentence', text: 'Rebels ambushed a convoy on Monday, a commander said, adding: "It was easy."', at: 'ambushed', dropped: null },

  // ---- negation ----
  { name: 'did not attack', text: 'Militants did not attack the base on Monday.', at: 'attack', dropped: 'negated' },
  { name: 'denied shelling', text: 'The army denied shelling the village.', at: 'shelling', dropped: 'negated' },
  { name: 'no clashes', text: 'No clashes were reported in the district.', at: 'clashes', dropped: 'negated' },
  { name: 'no one was killed', text: 'Police said no one was killed.', at: 'killed', dropped: 'negated' },
  { name: 'denied that its jets had bombed', text: 'The army denied that its jets had bombed the village.', at: 'jets', dropped: 'negated' },
  { name: 'rejected claims that they abducted', text: 'Rebels rejected claims that they abducted the aid workers.', at: 'abducted', dropped: 'negated' },
  { name: 'without clashes', text: 'The convoy reached the town without clashes.', at: 'clashes', dropped: 'negated' },
  {
    name: 'a denial of reports, further back',
    text: 'The defence ministry on Tuesday denied reports circulating online that its aircraft had carried out an airstrike on the market.',
    at: 'airstrike',
    dropped: 'negated',
  },

  // ---- irrealis: threats, plans, calls, conditions ----
  { name: 'threatened to attack', text: 'Rebels threatened to attack the town.', at: 'attack', dropped: 'irrealis' },
  { name: 'will protest', text: 'Students will protest on Friday.', at: 'protest', dropped: 'irrealis' },
  { name: 'vowed to attack', text: 'Insurgents vowed to attack more checkpoints.', at: 'attack', dropped: 'irrealis' },
  { name: 'could resume fighting, if', text: 'If talks fail, the militia could resume fighting.', at: 'fighting', dropped: 'irrealis' },
  { name: 'called for protests', text: 'The opposition called for protests on Friday.', at: 'protests', dropped: 'irrealis' },
  { name: 'warned of clashes', text: 'Officials warned of clashes ahead of the vote.', at: 'clashes', dropped: 'irrealis' },
  { name: 'planning to march', text: 'Unions are planning to march on parliament.', at: 'march', dropped: 'irrealis' },
  {
    name: 'a threat with its circumstances in between',
    text: 'The group threatened in a video message on Tuesday to step up attacks on the capital.',
    at: 'attacks',
    dropped: 'irrealis',
  },

  // ---- habits and ongoing states ----
  { name: 'have been fighting for years', text: 'The two clans have been fighting for years over grazing land.', at: 'fighting', dropped: 'habitual' },
  { name: 'regularly ambush', text: 'Bandits regularly ambush travellers on the highway.', at: 'ambush', dropped: 'habitual' },
  { name: 'have besieged ... since', text: 'The insurgents have besieged several districts since 2019.', at: 'besieged', dropped: 'habitual' },
  { name: 'continue to clash', text: 'Herders continue to clash with farmers over water.', at: 'clash', dropped: 'habitual' },

  // ---- anaphora: it adds to an incident, never starts one ----
  {
    name: 'claimed responsibility for the attack',
    text: 'Gunmen raided a checkpoint in Kirkuk on Monday. Islamic State claimed responsibility for the attack.',
    at: 'attack.',
    dropped: null,
    anaphoric: true,
  },
  { name: 'claimed responsibility for the blast', text: 'Islamic State claimed responsibility for the blast.', at: 'blast', dropped: null, anaphoric: true },
  { name: 'killed in the fighting', text: 'He was killed in the fighting.', at: 'fighting', dropped: null, anaphoric: true },
  { name: 'charged with the killing', text: 'Two men were charged with the killing of a judge.', at: 'killing', dropped: null, anaphoric: true },
  { name: 'in connection with the explosion', text: 'Police questioned two men in connection with the explosion.', at: 'explosion', dropped: null, anaphoric: true },
  { name: 'the attack, in the same report as the attack', text: 'Gunmen attacked a checkpoint in Kirkuk on Monday. The attack lasted an hour.', at: 'attacked', dropped: null, anaphoric: false },
];

describe('refineCue (through the event-cues stage)', () => {
  it.each(CUE_ROWS.map((r) => [r.name, r] as const))('%s', (_n, row) => {
    const cue = cueAt(run(row.text), row.at);
    expect(cue.dropped).toBe(row.dropped);
    if (row.anaphoric !== undefined) expect(cue.anaphoric).toBe(row.anaphoric);
  });
});

describe('refineCue (direct)', () => {
  const sentence = (start: number, end: number): Sentence => ({ start, end, firstToken: 0, lastToken: 1, paragraph: 0 });
  const cueOf = (text: string, word: string): Omit<Cue, 'dropped' | 'anaphoric'> => {
    const start = text.indexOf(word);
    return { kind: 'cue', start, end: start + word.length, text: word, value: { kind: 'event', subType: 'Armed clash', weight: 5 }, sentence: 0, rule: 'test' };
  };

  it('a cue inside the dateline is dropped as dateline first', () => {
    const text = 'CLASHES IN THE NORTH — Militants did not attack.';
    expect(refineCue(text, sentence(0, text.length), cueOf(text, 'CLASHES'), () => true, 22).dropped).toBe('dateline');
  });

  it('speech outranks negation', () => {
    const text = 'He said they never fought there.';
    expect(refineCue(text, sentence(0, text.length), cueOf(text, 'fought'), () => true, 0).dropped).toBe('quote');
    expect(refineCue(text, sentence(0, text.length), cueOf(text, 'fought'), () => false, 0).dropped).toBe('negated');
  });

  it('a negation in the previous sentence does not reach the cue', () => {
    const text = 'Nobody denied it. Rebels fought troops.';
    const s2 = text.indexOf('Rebels');
    expect(refineCue(text, sentence(0, text.length), cueOf(text, 'fought'), () => false, 0).dropped).toBe('negated');
    expect(refineCue(text, sentence(s2, text.length), cueOf(text, 'fought'), () => false, 0).dropped).toBe(null);
  });

  it('keeps everything else about the cue', () => {
    const text = 'Rebels fought troops.';
    const base = cueOf(text, 'fought');
    const got = refineCue(text, sentence(0, text.length), base, () => false, 0);
    expect(got).toEqual({ ...base, dropped: null, anaphoric: false });
  });
});

describe('findQuotes', () => {
  it.each([
    ['straight quotes', 'He said "we fought" and left.', [[8, 19]]],
    ['curly quotes', 'He said “we fought” and left.', [[8, 19]]],
    ['two quotes', '"One." Then “two.”', [[0, 6], [12, 18]]],
    ['an unclosed quote', 'He said "we fought and left.', []],
    ['an empty quote', 'He said "" and left.', []],
    ['single quotes are not speech marks', "He said 'we fought' and left.", []],
    ['no quotes', 'Rebels fought troops.', []],
  ] as const)('%s', (_n, text, spans) => {
    expect(findQuotes(text).map((q) => [q.start, q.end])).toEqual(spans);
  });

  it('a quote spans its marks', () => {
    const text = 'A commander said “the base fell” on Monday.';
    const [q] = findQuotes(text);
    expect(text.slice(q!.start, q!.end)).toBe('“the base fell”');
  });
});

// ---- grouping sentences into incidents ----

interface GroupRow {
  readonly name: string;
  readonly text: string;
  /** the sentence indexes of each candidate */
  readonly sentences: readonly (readonly number[])[];
  readonly newIncident?: readonly boolean[];
  /** each candidate's own date, or null when it has none */
  readonly dates?: readonly (string | null)[];
  /** each candidate's own place name, or null */
  readonly places?: readonly (string | null)[];
}

const GROUP_ROWS: readonly GroupRow[] = [
  {
    name: 'a summary and its retelling in the next paragraph are one incident',
    text: 'Militants ambushed an army patrol near Tikrit on Sunday, officials said.\n\nA police officer said militants ambushed a patrol near Tikrit early on Sunday.',
    sentences: [[0, 1]],
    dates: ['2020-05-03'],
    places: ['Tikrit'],
  },
  {
    name: 'a retelling told with anaphora, over two paragraphs',
    text: 'Gunmen attacked a checkpoint in Kirkuk on Monday, killing two soldiers.\n\nThe assault began at dawn when the gunmen fired on the soldiers at the checkpoint in Kirkuk. Two soldiers were killed.',
    sentences: [[0, 1, 2]],
  },
  {
    name: 'a detail that refers back',
    text: 'Islamic State fighters clashed with Iraqi troops in Kirkuk on Monday. The fighting lasted three hours.',
    sentences: [[0, 1]],
    dates: ['2020-05-04'],
  },
  {
    name: '"In a separate attack" starts a new incident, same day and place',
    text: 'Gunmen attacked a checkpoint in Kirkuk on Monday. In a separate attack, militants ambushed a patrol in Kirkuk on Monday.',
    sentences: [[0], [1]],
    newIncident: [false, true],
  },
  {
    name: '"Hours later" starts a new incident',
    text: 'Militants attacked an army patrol near Tikrit on Sunday. Hours later, a roadside bomb struck a police car in Tikrit.',
    sentences: [[0], [1]],
    newIncident: [false, true],
  },
  {
    name: '"Meanwhile" starts a new incident',
    text: 'Militants attacked an army patrol near Tikrit on Sunday. Meanwhile, protesters gathered in Baghdad.',
    sentences: [[0], [1]],
    newIncident: [false, true],
    places: ['Tikrit', 'Baghdad'],
  },
  {
    name: 'another day starts a new incident',
    text: 'Gunmen attacked a checkpoint in Kirkuk on Monday. On Tuesday, militants ambushed a patrol in Kirkuk.',
    sentences: [[0], [1]],
    dates: ['2020-05-04', '2020-05-05'],
  },
  {
    name: 'another place starts a new incident',
    text: 'Gunmen attacked a checkpoint in Kirkuk on Monday. Militants also ambushed a patrol in Tikrit on Monday.',
    sentences: [[0], [1]],
    places: ['Kirkuk', 'Tikrit'],
  },
  {
    name: 'two days in one sentence are two incidents',
    text: 'Rebels fought troops near Tikrit on Saturday, and on Sunday they seized the town of Baiji.',
    sentences: [[0], [0]],
    dates: ['2020-05-02', '2020-05-03'],
  },
  { name: 'only dropped cues: no incident', text: 'Rebels threatened to attack the town. The army denied shelling the village.', sentences: [] },
];

describe('namedSites', () => {
  // invented notes in ACLED's notation: a site, then its district and province in brackets
  it.each([
    ['two sites in two districts', 'Rebels attacked Kalo (Waru, Nord) and Bisa (Tenke, Nord) on Monday.', ['Kalo', 'Bisa']],
    ['two sites in one district are still two', 'Troops shelled Mabu (Waru, Nord) and Upper Tessa (Waru, Nord) on Monday.', ['Mabu', 'Upper Tessa']],
    ['a site with an alternative name in square brackets', 'Troops shelled Kisi [Old Kisi] (Waru, Nord) and Dora (Waru, Nord).', ['Kisi', 'Dora']],
    ['a site with its province alone, beside one in the full notation', 'Fighting on the Lero (Nord) and Tamba (Waru, Nord) fronts.', ['Lero', 'Tamba']],
    ['one site is no list', 'Rebels attacked Kalo (Waru, Nord) on Monday.', []],
    ['a news agency or an acronym in brackets is no site', 'KABUL (Reuters) - Fighters of the Islamic State (ISKP) attacked Kalo (Waru, Nord).', []],
    ['no site in the full notation: nothing', 'Fighting on the Lero (Nord) and Tamba (Sud) fronts.', []],
    ['a name with a bracket that is not in the list of sites', 'In Kalo (Waru, Nord), fighters of the Front and the Night Hawks (Fixed Wing) attacked a camp.', []],
    ['a third site with its province alone, last in the list', 'Troops repelled attacks in Kalo (Waru, Nord), Bisa (Tenke, Nord) and Lero (Nord).', ['Kalo', 'Bisa', 'Lero']],
    ['a site named with its kind before its province', 'Troops shelled Kalo (Waru, Nord) and Bisa district (Nord).', ['Kalo', 'Bisa']],
    ['a site placed by its direction from a named one', 'Troops shelled Kalo (Waru, Nord), and north of Bisa district (Nord).', ['Kalo', 'Bisa']],
    ['a bracket that belongs to another place is not the list\'s', 'Troops fired at Kalo and Bisa villages in Tenke sector area (Waru, Nord).', []],
  ] as const)('%s', (_n, text, names) => {
    const sentence: Sentence = { start: 0, end: text.length, firstToken: 0, lastToken: 0, paragraph: 0 };
    const sites = namedSites(text, sentence);
    expect(sites.map((x) => x.text)).toEqual(names);
    for (const x of sites) expect(text.slice(x.start, x.end)).toBe(x.text);
  });
});

describe('codedSplit', () => {
  // the coder's own count of the events a note stands for
  it.each([
    ['Fatalities split across 3 events (4).', 3],
    ['Unknown number of fatalities coded as 10 and spread across three locations.', 3],
    ['Fatalities distributed across six events.', 6],
    ['Fatalities split up between 2 events.', 2],
    ['Casualties were split over 2 locations (5).', 2],
    ['Families from two villages (coded as two separate events) fled the fighting.', 2],
    ['The vote was split between two candidates.', null],
    ['Fatalities split across 1 event.', null],
    ['The rebels spread across three provinces.', null],
  ] as const)('%s', (text, n) => {
    const split = codedSplit(text);
    expect(split?.n ?? null).toBe(n);
    if (split) expect(text.slice(split.start, split.end)).toMatch(/^(?:split|spread|distributed|coded)/);
  });
});

describe('codedLabel', () => {
  // the coder's label that opens a note on a strategic development
  it.each([
    ['Movement of forces: On 3 May 2021, troops arrived in Kidal.', 'Change to group/activity'],
    ['Security measures: On 3 May 2021, police set up checkpoints.', 'Change to group/activity'],
    ['Property destruction: On 3 May 2021, a school was torched.', 'Looting/property destruction'],
    ['Weapons seizure: On 3 May 2021, troops found a cache.', 'Disrupted weapons use'],
    ['Agreement: On 3 May 2021, 30 fighters surrendered.', 'Agreement'],
    ['Explosive remnants of war: On 3 May 2021, a shell went off.', 'Other'],
    ['KABUL: On 3 May 2021, rebels attacked.', null],
    ['On 3 May 2021, rebels attacked: three died.', null],
  ] as const)('%s', (text, subType) => {
    const label = codedLabel(text);
    expect(label?.subType ?? null).toBe(subType);
    if (label) expect(text.slice(label.start, label.end)).toBe(label.text);
  });
  it('makes a labelled note an event of that sub-type', () => {
    const ctx = run('Security measures: On 4 May 2020, police set up checkpoints at the entrances of Kano city.');
    expect(ctx.events.map((e) => e.sub_event_type)).toEqual(['Change to group/activity']);
  });
});

describe('bareListSites', () => {
  it.each([
    ['three districts', 'Troops killed 9 rebels in Kalo, Bisa, and Upper Tessa districts, Nord.', 3, ['Kalo', 'Bisa', 'Upper Tessa']],
    ['a district and a city', 'Operations killed 10 fighters in Waru district and Tenke city, Nord.', 2, ['Waru', 'Tenke']],
    ['items with brackets', 'Raids in Dora (Old Dora) and Mabu hit rebel camps.', 2, ['Dora', 'Mabu']],
    ['a list of another length is not taken', 'Troops killed 9 rebels in Kalo, Bisa, and Upper Tessa districts.', 2, []],
    ['no locative word before the list: the sides of a fight', 'Kalo and Bisa militias clashed on Monday.', 2, []],
  ] as const)('%s', (_n, text, n, names) => {
    const sentence: Sentence = { start: 0, end: text.length, firstToken: 0, lastToken: 0, paragraph: 0 };
    const sites = bareListSites(text, sentence, n);
    expect(sites.map((x) => x.text)).toEqual(names);
    for (const x of sites) expect(text.slice(x.start, x.end)).toBe(x.text);
  });
});

describe('groupCandidates', () => {
  it.each(GROUP_ROWS.map((r) => [r.name, r] as const))('%s', (_n, row) => {
    const ctx = run(row.text);
    expect(ctx.candidates.map((c) => [...c.sentences].sort((a, b) => a - b))).toEqual(row.sentences.map((s) => [...s]));
    if (row.newIncident) expect(ctx.candidates.map((c) => c.newIncident)).toEqual([...row.newIncident]);
    if (row.dates) expect(ctx.candidates.map((c) => c.time?.date ?? null)).toEqual([...row.dates]);
    if (row.places) expect(ctx.candidates.map((c) => (c.place?.kind === 'place' ? c.place.text : null))).toEqual([...row.places]);
  });

  it('no sentences, no candidates', () => {
    expect(groupCandidates([])).toEqual([]);
  });
});

// ---- classification ----

interface ClassRow {
  readonly name: string;
  readonly text: string;
  readonly subType: SubEventType;
  readonly rule?: string;
}

const CLASS_ROWS: readonly ClassRow[] = [
  // protests refined by how the state responded
  { name: 'a protest with tear gas', text: 'Police fired tear gas to disperse protesters in Baghdad on Tuesday.', subType: 'Protest with intervention', rule: 'protest-intervention' },
  { name: 'arrests at a protest', text: 'Police arrested 20 protesters during a demonstration in Basra on Monday.', subType: 'Protest with intervention', rule: 'protest-intervention' },
  { name: 'an arrest the protest is about, told in its own sentence', text: 'Lawyers protested in Lahore on Monday, demanding the release of a colleague. He was detained over a speech he gave.', subType: 'Peaceful protest', rule: 'protest' },
  { name: 'marchers who disperse by themselves', text: 'Garment workers blocked a main road in Gazipur on Sunday to demand unpaid wages. The workers dispersed after the owners promised to pay.', subType: 'Peaceful protest', rule: 'protest' },
  { name: 'a protest that burns a police station', text: 'Hundreds of residents protested in Bamako on Monday against the election results and burned a police station.', subType: 'Violent demonstration', rule: 'protest-turned-violent' },
  { name: 'police dispersing the marchers in the next sentence', text: 'Nurses marched through Kano on Monday to demand unpaid salaries. They were later dispersed by police near the governor\'s office.', subType: 'Protest with intervention', rule: 'protest-intervention' },
  { name: 'protesters detained in the next sentence', text: 'Farmers rallied in Patna on Monday against the new law. Police detained 30 protesters near the assembly.', subType: 'Protest with intervention', rule: 'protest-intervention' },
  { name: 'a protest and nothing else', text: 'Hundreds of people protested in Baghdad on Tuesday.', subType: 'Peaceful protest', rule: 'protest' },
  { name: 'gang members burning a police station destroy property', text: 'Gang members ransacked and set fire to the police station in Cabaret, north of Port-au-Prince, on Saturday.', subType: 'Looting/property destruction', rule: 'destruction-by-armed-group' },
  { name: 'a bomb found and safely detonated is disrupted', text: 'Soldiers discovered and safely detonated a roadside bomb on the road between Douentza and Boni in Mali on Monday.', subType: 'Disrupted weapons use' },
  { name: 'troops that drove fighters out of a town regain it', text: 'Iraqi army units drove Islamic State fighters out of the town of Hamdaniya, east of Mosul, on Tuesday.', subType: 'Government regains territory' },
  { name: 'drones that destroyed a hideout', text: "The army's drones destroyed a militant hideout near Menaka in Mali on Thursday.", subType: 'Air/drone strike' },
  { name: 'an agreement pledging to stop attacks is an agreement', text: 'Leaders of a militia faction signed a cessation-of-hostilities agreement with the authorities in Bunia on Tuesday, pledging to stop attacks on villages.', subType: 'Agreement' },
  { name: 'a drone used to drop explosives', text: 'Rebels used a drone to drop explosives on a police station in Suarez on Sunday, injuring two officers.', subType: 'Air/drone strike' },
  { name: 'explosives dropped from drones', text: 'Militants dropped explosives from drones on an army outpost near Kidal on Sunday.', subType: 'Air/drone strike' },
  { name: 'an arms shipment arriving', text: 'A ship loaded with tanks and heavy weapons reportedly arrived at the port of Mukalla on Monday.', subType: 'Change to group/activity' },
  { name: 'a detachment sent to secure a town', text: 'On Monday, a unit of the National Guard was moved to secure the coastal town of Tucacas.', subType: 'Change to group/activity' },
  { name: 'youths killed by gunmen are victims, not a side', text: 'Gunmen ambushed and killed five youths near Jos in Plateau State on Sunday.', subType: 'Attack', rule: 'violence-civilian-target' },
  { name: 'live ammunition at a protest', text: 'Police fired live ammunition at demonstrators in Basra on Monday.', subType: 'Excessive force against protesters', rule: 'protest-lethal-force' },
  { name: 'protesters killed', text: 'Police shot dead two demonstrators during a protest in Basra on Monday.', subType: 'Excessive force against protesters', rule: 'protest-lethal-force' },
  { name: 'protesters throwing stones', text: 'Protesters threw stones at police in Basra on Monday.', subType: 'Violent demonstration' },
  // violence by who it targets
  { name: 'armed men killing civilians', text: 'Gunmen killed four people in Basra on Monday.', subType: 'Attack', rule: 'violence-civilian-target' },
  { name: 'an assault on a village killing civilians', text: 'Gunmen attacked villagers near Tikrit on Sunday, killing three civilians.', subType: 'Attack', rule: 'violence-civilian-target' },
  { name: 'armed men killing soldiers', text: 'Gunmen shot dead two soldiers in Kirkuk on Monday.', subType: 'Armed clash', rule: 'violence-armed-target' },
  { name: 'a bomb that went off in its makers\' hands', text: 'Two militants were killed in Ghazni on Monday when the landmine they were planting exploded prematurely.', subType: 'Disrupted weapons use', rule: 'weapon-disrupted' },
  { name: 'gunmen blocking a road', text: 'Gunmen blocked the highway near Katari on Sunday and opened fire on passing cars.', subType: 'Attack' },
  { name: 'soldiers firing on farmers', text: 'Soldiers fired live bullets at farmers near Tubas on Monday, wounding two.', subType: 'Attack' },
  { name: 'a killing, then the killer arrested', text: 'A judge was shot dead by a gunman in Herat on Monday. The gunman was arrested later.', subType: 'Attack' },
  { name: 'a former soldier is a civilian', text: 'Gunmen shot dead a former soldier in Herat on Monday.', subType: 'Attack' },
  { name: 'the army taking a town', text: 'The army took control of Kidal on Monday after the rebels left.', subType: 'Government regains territory', rule: 'territory-taken-by-state' },
  { name: 'rebels recapturing a town', text: 'Rebels recaptured Kidal on Monday, residents said.', subType: 'Non-state actor overtakes territory', rule: 'territory-taken-by-non-state' },
  { name: 'crowds fighting the police', text: 'Migrant workers clashed with police in Surat on Monday.', subType: 'Mob violence', rule: 'clash-between-crowds' },
  { name: 'a fight between crowds', text: 'Villagers clashed with herders near Tikrit on Monday.', subType: 'Mob violence', rule: 'clash-between-crowds' },
  { name: 'a lynching', text: 'A mob lynched a suspected thief in Basra on Monday.', subType: 'Mob violence' },
  // explosives that never struck
  { name: 'a suicide car bomb intercepted', text: 'Soldiers intercepted a suicide car bomb near Kirkuk on Monday.', subType: 'Disrupted weapons use', rule: 'weapon-disrupted' },
  { name: 'a car bomb destroyed before it reached its target', text: 'Soldiers destroyed a car bomb before it could reach the checkpoint near Kirkuk on Monday.', subType: 'Disrupted weapons use' },
  { name: 'an IED defused', text: 'Soldiers defused an IED on the road to Kirkuk on Monday.', subType: 'Disrupted weapons use' },
  // explosions that did strike
  { name: 'a roadside bomb', text: 'A roadside bomb struck an army patrol near Kirkuk on Monday.', subType: 'Remote explosive/landmine/IED' },
  { name: 'a suicide bombing', text: 'A suicide bomber blew himself up at a checkpoint in Kirkuk on Monday.', subType: 'Suicide bomb' },
];

describe('classify', () => {
  it.each(CLASS_ROWS.map((r) => [r.name, r] as const))('%s', (_n, row) => {
    const ctx = run(row.text);
    expect(ctx.classified, 'one relevant incident').toHaveLength(1);
    const { candidate, actor1, actor2, killed, injured } = ctx.classified[0]!;
    const victims = [killed, injured].map((x) => (x ? ctx.text.slice(x.start, x.end + 30) : '')).join(' ');
    const { sentences } = ctx.segmentation;
    const own = (pos: number): boolean => candidate.sentences.some((i) => pos >= sentences[i]!.start && pos < sentences[i]!.end);
    const around = ctx.cues.filter((x) => !own(x.start));
    const cls = classify(candidate, actor2, actor1, killed?.best ?? 0, victims, around);
    expect(cls.subType).toBe(row.subType);
    if (row.rule) expect(cls.rule).toBe(row.rule);
    // the evidence is live cues of the incident
    for (const e of cls.evidence) {
      expect(candidate.cues).toContain(e);
      expect(e.dropped).toBe(null);
    }
  });

  it('needs a live event cue', () => {
    const c: Candidate = { sentences: [0], cues: [], time: null, place: null, newIncident: false };
    expect(() => classify(c, null, null, 0)).toThrow(/live event cue/);
  });
});

// ---- relevance ----

interface RelevanceRow {
  readonly name: string;
  readonly text: string;
  readonly relevant: boolean;
  /** a piece of the reason when the candidate is dropped */
  readonly reason?: string;
}

const RELEVANCE_ROWS: readonly RelevanceRow[] = [
  // dropped: sport, weather and disasters, fiction, drills, crime, business
  { name: 'a footballer attacking', text: 'The striker scored twice as United attacked relentlessly in the second half.', relevant: false, reason: 'sport' },
  { name: 'a goalkeeper attacked by fans', text: 'The goalkeeper was attacked by fans after the match in Basra on Monday.', relevant: false, reason: 'sport' },
  { name: 'a storm that killed', text: 'The storm killed four people in Basra on Monday.', relevant: false, reason: 'disaster' },
  { name: 'a fire that killed', text: 'Firefighters said the fire killed two people in Basra on Monday.', relevant: false, reason: 'disaster' },
  { name: 'rebels in a film', text: 'The new film shows rebels ambushing a convoy in the desert.', relevant: false, reason: 'fiction' },
  { name: 'a car bomb in a thriller', text: 'The thriller opens with a car bomb exploding in a crowded market.', relevant: false, reason: 'fiction' },
  { name: 'artillery in a drill', text: 'Troops fired artillery during a military exercise near Basra on Monday.', relevant: false, reason: 'drill' },
  { name: 'an arrest for shoplifting', text: 'Police arrested two men for shoplifting in Basra on Monday.', relevant: false, reason: 'crime' },
  { name: 'a company recruiting', text: 'The company recruited 200 new workers in Basra on Monday.', relevant: false, reason: 'no sign of political conflict' },
  { name: 'a lone "killed" with no armed actor', text: 'Four people were killed in Basra on Monday.', relevant: false, reason: 'generic verb' },
  // kept
  { name: '"killed" with an armed actor', text: 'Gunmen killed four people in Basra on Monday.', relevant: true },
  { name: 'fans protesting after a match are protesters', text: 'Fans protested outside the stadium in Basra after the match on Monday.', relevant: true },
  { name: 'rebels attacking after a football match', text: 'Rebels attacked an army base after the football match in Basra on Monday.', relevant: true },
  { name: 'a militia recruiting', text: 'The militia recruited 200 new fighters in Basra on Monday.', relevant: true },
  { name: 'a court sentencing and executing a murderer', text: 'A court in Basra sentenced a man to death for murder and he was executed on Monday.', relevant: false, reason: 'judicial' },
  { name: "an armed group's own court executing a man", text: 'Militants held a court in Basra which sentenced a man to death and executed him on Monday.', relevant: true },
  { name: 'a protest over a death by accident', text: 'Relatives of a guard who was accidentally shot dead protested outside the hospital in Basra on Monday.', relevant: true },
  { name: 'a death by accident, no protest', text: 'A guard was accidentally shot dead while cleaning his rifle in Basra on Monday.', relevant: false, reason: 'accident' },
  { name: 'a roadside bomb needs no actor', text: 'A roadside bomb struck a minibus on the highway near Kirkuk on Monday.', relevant: true },
];

describe('isRelevant', () => {
  it.each(RELEVANCE_ROWS.map((r) => [r.name, r] as const))('%s', (_n, row) => {
    const ctx = run(row.text);
    expect(ctx.candidates, 'one candidate incident').toHaveLength(1);
    const c = ctx.candidates[0]!;
    const { sentences } = ctx.segmentation;
    const inEvent = (pos: number): boolean => c.sentences.some((i) => pos >= sentences[i]!.start && pos < sentences[i]!.end);
    const paragraphs = new Set(c.sentences.map((i) => sentences[i]!.paragraph));
    const inParagraph = (pos: number): boolean => sentences.some((s) => paragraphs.has(s.paragraph) && pos >= s.start && pos < s.end);
    const got = isRelevant(c, ctx.actors.filter((a) => inEvent(a.start)), ctx.offTopic.filter((o) => inParagraph(o.start)), ctx.cues);
    expect(got.relevant).toBe(row.relevant);
    if (row.reason) expect(got.reason).toContain(row.reason);
    if (row.relevant) expect(got.reason).toBe('');
    // the pipeline agrees: a dropped candidate never becomes an event
    expect(ctx.classified.length).toBe(row.relevant ? 1 : 0);
  });
});

// ---- the cue lexicon ----

describe('loadEventCues', () => {
  const cues = loadEventCues();
  it.each([
    ['airstrike', 'airstrike', 'event', 'Air/drone strike'],
    ['air strikes', 'air strikes', 'event', 'Air/drone strike'],
    ['the longest cue wins', 'suicide car bomb', 'event', 'Suicide bomb'],
    ['a hyphen for a space', 'car-bomb', 'event', 'Remote explosive/landmine/IED'],
    ['tear gas is a modifier', 'tear gas', 'modifier', 'intervention'],
    ['live ammunition is a modifier', 'live ammunition', 'modifier', 'lethal'],
    ['abducted', 'abducted', 'event', 'Abduction/forced disappearance'],
  ] as const)('%s', (_n, text, kind, what) => {
    const [m] = cues.matches(`Reports mention ${text} today.`);
    expect(m?.text).toBe(text);
    const v = m!.entry.value;
    expect(v.kind).toBe(kind);
    expect(v.kind === 'event' ? v.subType : v.modifier).toBe(what);
    expect(m!.entry.where).toMatch(/^event-cues\.tsv:\d+$/);
  });

  it('reads a file of its own: weights, modifiers, comments', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sitrep-cues-'));
    try {
      const file = path.join(dir, 'cues.tsv');
      writeFileSync(file, '# a comment\nskirmish*\tArmed clash\t4\ngas\t@intervention\t1\nscuffle\tMob violence\n');
      const lex = loadEventCues(file);
      const got = lex.matches('A skirmishing party met a scuffle and gas.').map((m) => [m.text, m.entry.value, m.entry.where]);
      expect(got).toEqual([
        ['skirmishing', { kind: 'event', subType: 'Armed clash', weight: 4 }, 'event-cues.tsv:2'],
        ['scuffle', { kind: 'event', subType: 'Mob violence', weight: 1 }, 'event-cues.tsv:4'],
        ['gas', { kind: 'modifier', modifier: 'intervention', weight: 1 }, 'event-cues.tsv:3'],
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    ['an unknown sub-event type', 'clash\tArmed fight\t5\n', /not an ACLED sub-event type/],
    ['a missing sub-event type', 'clash\n', /want pattern/],
  ])('rejects %s', (_n, content, error) => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sitrep-cues-'));
    try {
      const file = path.join(dir, 'bad.tsv');
      writeFileSync(file, content);
      expect(() => loadEventCues(file)).toThrow(error);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

// ---- one event per listed site ----

describe('listed places (one event per site, as ACLED codes a list of locations)', () => {
  it.each([
    ['two towns joined by "and"', 'On Monday, gunmen attacked the towns of Maiduguri and Damaturu, killing five people.', ['Maiduguri', 'Damaturu'], [3, 2]],
    ['three towns in a list', 'Militants stormed Garissa, Mandera and Wajir on Sunday, officials said.', ['Garissa', 'Mandera', 'Wajir'], [0, 0, 0]],
    ['admin names in brackets are not sites', 'On Monday, gunmen attacked Jos (Plateau) and Bauchi (Bauchi), killing four residents.', ['Jos', 'Bauchi'], [2, 2]],
    ['a town and its state are one site', 'On Monday, in Tijuana, Baja California, a police officer was shot dead by gunmen.', null, null],
    ['a line between two towns is one event', 'Troops clashed with militants on the road between Maiduguri and Damaturu on Monday.', null, null],
    ['a lone comma is not a list', 'Gunmen attacked a bus in Garissa, near Mandera, on Sunday.', null, null],
    ['sites with their own bracketed admin names', 'On 3 May, troops shelled militants in Kolofata (Mayo-Sava, Far North) and in Tourou (Mayo-Tsanaga, Far North).', ['Kolofata', 'Tourou'], [0, 0]],
    ['one bracketed admin is one site', 'On 3 May, troops shelled militants in Kolofata and Tourou areas (Mayo-Sava, Far North).', null, null],
  ] as const)('%s', (_n, text, locations, fatalities) => {
    const ctx = run(text);
    if (locations === null) {
      expect(ctx.events.length).toBe(1);
      return;
    }
    expect(ctx.events.map((e) => e.location)).toEqual(locations);
    expect(ctx.events.map((e) => e.fatalities)).toEqual(fatalities);
    for (const e of ctx.events) expect(e.evidence.location?.[0]?.text).toBe(e.location);
  });
});

// ---- the day of the telling is not the day of the event ----

describe('attribution times', () => {
  it('keeps a lead told "on Wednesday" and its retelling "on Tuesday" as one event on Tuesday', () => {
    // report date 2020-05-06 is a Wednesday
    const ctx = run('The army said on Wednesday its troops had retaken the town of Gao from rebels. The rebels withdrew from Gao on Tuesday after a day of fighting, a spokesman said.');
    expect(ctx.events.map((e) => e.event_date)).toEqual(['2020-05-05']);
  });

  // report date 2020-05-06 (a Wednesday)
  it.each([
    ['a time that opens the sentence dates its main clause, not what a relative clause recalls', 'On 4 May 2020, an activist who was arrested on 16 April was beaten by police in Baku.', '2020-05-04'],
    ['... nor a cause told with "the day before"', 'On 4 May 2020, villagers clashed with herders near Mopti after the killing of a farmer the day before.', '2020-05-04'],
    ['a bracketed range after the opening date only elaborates it', 'Around 2 May 2020 (from 2 - 4 May), residents protested in Kayes against the curfew.', '2020-05-02'],
    ['speech after the opening time: the time nearest the event', 'On Tuesday, police said gunmen had killed three traders on Sunday near Jos.', '2020-05-03'],
    ['no opening time: the time nearest the event', 'Gunmen killed three traders near Jos on Sunday, police said on Tuesday.', '2020-05-03'],
    ['no time but the telling: the day it was told', 'Rebels have retaken the town of Kidal in Mali, the army said on Monday.', '2020-05-04'],
    ['a lead told by attribution, dated by the next sentence', 'Rebels have seized an army outpost near Bhamo in Myanmar, a spokesman said on Wednesday. It fell on Tuesday morning, he added.', '2020-05-05'],
    ['a later sentence that only refers back gives the day', 'Fighting between two militias near Beni in Congo has left nine dead, officials said on Tuesday. The clashes erupted on Sunday, they added.', '2020-05-03'],
  ] as const)('%s', (_n, text, date) => {
    const ctx = run(text, '2020-05-06');
    expect(ctx.events.map((e) => e.event_date)).toEqual([date]);
  });
  it('a telling in one sentence does not reach the time that opens the next', () => {
    const ctx = run('Four soldiers were killed on Sunday when their truck hit a landmine near Gao in Mali, sources told AFP. On Monday, jihadists set fire to fuel tankers near Kati.', '2020-05-06');
    expect(ctx.events.map((e) => e.event_date)).toEqual(['2020-05-03', '2020-05-04']);
  });
});

