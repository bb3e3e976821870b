// Table-driven tests for findCasualties and parseNumberWord. Each row is an invented sentence and what
// an analyst would code: the killed and injured figures, or null when the sentence gives none.
// A bare number is the best figure; a triple is [low, best, high] for ranges.
import { describe, expect, it } from 'vitest';
import { CODED_RULE, findCasualties, parseNumberWord, type CasualtyKind } from './casualties.js';

type Figure = number | readonly [low: number, best: number, high: number] | null;

interface Row {
  readonly text: string;
  readonly killed: Figure;
  readonly injured: Figure;
}

const ROWS: readonly Row[] = [
  // ---- digits and words ----
  { text: 'Gunmen killed 7 villagers in the raid.', killed: 7, injured: null },
  { text: 'Seven villagers were killed in the raid.', killed: 7, injured: null },
  { text: 'Eight were killed.', killed: 8, injured: null },
  { text: 'Eleven fighters were wounded in the crossfire.', killed: null, injured: 11 },
  { text: 'Twenty-three people were killed when the ferry was shelled.', killed: 23, injured: null },
  { text: 'Thirty-one soldiers were killed in the counter-offensive.', killed: 31, injured: null },
  { text: 'Officials said 1,200 people have died since the fighting began.', killed: 1200, injured: null },
  { text: 'The 3 men were wounded by shrapnel.', killed: null, injured: 3 },
  { text: 'Villagers said 2 children died.', killed: 2, injured: null },
  { text: 'Four civilians lost their lives in the shelling.', killed: 4, injured: null },
  { text: 'One policeman was shot dead at the roundabout.', killed: 1, injured: null },
  { text: 'A soldier was killed at the checkpoint.', killed: 1, injured: null },
  { text: 'A police officer was wounded by a stray bullet.', killed: null, injured: 1 },
  { text: 'Both gunmen were killed in the exchange of fire.', killed: 2, injured: null },
  { text: 'Two of the attackers were killed.', killed: 2, injured: null },
  { text: 'Nine people were hurt when police fired live rounds.', killed: null, injured: 9 },

  // ---- vague quantities and qualifiers ----
  { text: 'A dozen fighters were killed in the clash.', killed: 12, injured: null },
  { text: 'Dozens of protesters were wounded.', killed: null, injured: 12 },
  { text: 'Hundreds were injured in the stampede at the rally.', killed: null, injured: 100 },
  { text: 'More than 20 people were killed in the assault.', killed: 20, injured: null },
  { text: 'At least 5 soldiers died in the ambush.', killed: 5, injured: null },
  { text: 'About 30 people were injured.', killed: null, injured: 30 },
  { text: 'An estimated 200 people were killed in the massacre.', killed: 200, injured: null },
  { text: 'The attack killed at least 15 people.', killed: 15, injured: null },
  { text: 'The clashes left at least 9 dead.', killed: 9, injured: null },

  // ---- ranges keep low, best (the conservative figure) and high ----
  { text: 'Between 5 and 10 civilians were killed.', killed: [5, 5, 10], injured: null },
  { text: 'Between 20 and 30 rebels were killed.', killed: [20, 20, 30], injured: null },
  { text: 'Witnesses said between 2 and 4 traders were injured.', killed: null, injured: [2, 2, 4] },
  { text: '5-10 people were killed when the truck exploded.', killed: [5, 5, 10], injured: null },
  { text: '5 to 10 people were killed when the truck exploded.', killed: [5, 5, 10], injured: null },

  // ---- coordinated counts are summed ----
  { text: 'Two soldiers and a civilian were killed.', killed: 3, injured: null },
  { text: 'Three police officers and a villager were injured.', killed: null, injured: 4 },

  // ---- active verbs: the count or the person after the verb ----
  { text: 'Troops returned fire, killing the attacker.', killed: 1, injured: null },
  { text: 'The drone strike killed the commander.', killed: 1, injured: null },
  { text: 'They killed the bomber before he reached the gate.', killed: 1, injured: null },
  { text: 'The army said it killed 25 militants.', killed: 25, injured: null },
  { text: 'Unidentified gunmen shot and killed 3 traders.', killed: 3, injured: null },
  { text: 'The blast wounded four soldiers.', killed: null, injured: 4 },
  { text: 'Police fired tear gas, injuring 14 protesters.', killed: null, injured: 14 },
  { text: 'The bomb ripped through a market, leaving 7 dead.', killed: 7, injured: null },
  { text: 'Two days after the clash, 5 bodies were recovered.', killed: 5, injured: null },

  // ---- one victim, where the verb is singular and no number is given ----
  { text: 'A retired customs officer was shot dead outside his home.', killed: 1, injured: null },
  { text: 'The village chief was beaten to death by a crowd.', killed: 1, injured: null },
  { text: 'A suspected smuggler was killed after an exchange of fire with the border guard.', killed: 1, injured: null },
  { text: 'The young shepherd was stabbed to death near the well.', killed: 1, injured: null },
  { text: 'A motorcycle taxi driver was reportedly gunned down in the market.', killed: 1, injured: null },
  { text: 'A local councillor was murdered in front of his shop.', killed: 1, injured: null },
  { text: 'An elderly farmer was seriously wounded by a stray round.', killed: null, injured: 1 },
  { text: 'Nobody was killed in the blast.', killed: 0, injured: null },
  // ---- a count written as a trailer, and killings named otherwise ----
  { text: 'The body of a trader was found on the road. 1 fatality.', killed: 1, injured: null },
  { text: 'A mob lynched two men accused of theft.', killed: 2, injured: null },
  { text: 'Unknown men assassinated the district judge.', killed: 1, injured: null },

  // ---- killed and injured in separate sentences ----
  { text: 'Two soldiers were killed on Tuesday. Five others were wounded.', killed: 2, injured: 5 },

  // ---- explicit zero ----
  { text: 'No casualties were reported.', killed: 0, injured: 0 },
  { text: 'Shelling lasted 3 hours; no casualties were reported.', killed: 0, injured: 0 },
  { text: 'Nobody was hurt.', killed: null, injured: 0 },
  { text: 'No one was killed in the attack.', killed: 0, injured: null },
  { text: 'Police said no one was injured.', killed: null, injured: 0 },
  { text: 'There were no fatalities.', killed: 0, injured: null },
  { text: 'The explosion caused no injuries.', killed: null, injured: 0 },

  // ---- numbers that are not casualties ----
  { text: 'The convoy was ambushed 10 km from the town.', killed: null, injured: null },
  { text: 'The militia was founded in 2014.', killed: null, injured: null },
  { text: 'The rebels held the town for 3 hours.', killed: null, injured: null },
  { text: 'Militants seized 3 trucks on Monday.', killed: null, injured: null },
  { text: 'The convoy was ambushed 10 km from the town and two soldiers were killed.', killed: 2, injured: null },
  { text: 'The patrol was hit 10 km south of the camp; two soldiers died.', killed: 2, injured: null },
  { text: 'Police said the blast, 3 km from the stadium, injured 6 fans.', killed: null, injured: 6 },
  { text: 'Fighting lasted 3 hours and killed four fighters.', killed: 4, injured: null },
  { text: 'After 3 hours of fighting, nine militants were killed.', killed: 9, injured: null },
  { text: 'Clashes lasting 3 hours left 2 dead.', killed: 2, injured: null },
  { text: 'The siege lasted 3 hours and ended with 4 hostages dead.', killed: 4, injured: null },
  { text: 'Fighters advanced 10 km and killed six guards.', killed: 6, injured: null },
  { text: '4 people were killed in 2014.', killed: 4, injured: null },
  { text: 'In 2014, the town was shelled and 3 people were killed.', killed: 3, injured: null },
  { text: 'In 2014 the group was formed. Two of its members were killed on Friday.', killed: 2, injured: null },
  { text: 'He said 300 troops were deployed, and one was killed.', killed: 1, injured: null },
  { text: 'At 6 am, two men were killed.', killed: 2, injured: null },
  { text: 'Around 15 percent of the town was destroyed; four residents died.', killed: 4, injured: null },
  { text: 'The army deployed 10 tanks; one soldier was killed.', killed: 1, injured: null },
];

const NUMBER_WORDS: readonly (readonly [string, number | null])[] = [
  ['7', 7],
  ['42', 42],
  ['1,200', 1200],
  ['seven', 7],
  ['Eleven', 11],
  ['twenty', 20],
  ['Twenty-three', 23],
  ['twenty three', 23],
  ['ninety-nine', 99],
  ['a dozen', 12],
  ['dozens', 12],
  ['hundreds', 100],
  ['both', 2],
  ['a couple of', 2],
  ['one', 1],
  ['foo', null],
  ['', null],
  ['seven-ish', null],
];

function figureOf(text: string, what: CasualtyKind): Figure {
  const ms = findCasualties(text).filter((m) => m.what === what);
  if (ms.length === 0) return null;
  if (ms.length > 1) throw new Error(`${ms.length} ${what} mentions: ${JSON.stringify(ms.map((m) => m.text))}`);
  const m = ms[0]!;
  expect(text.slice(m.start, m.end)).toBe(m.text);
  expect(m.low).toBeLessThanOrEqual(m.best);
  expect(m.best).toBeLessThanOrEqual(m.high);
  return m.low === m.best && m.best === m.high ? m.best : [m.low, m.best, m.high];
}

/** A bare number in a row is the best figure; compare it alone when the code carries a range. */
function comparable(actual: Figure, expected: Figure): Figure {
  if (typeof expected === 'number' && Array.isArray(actual)) return actual[1];
  return actual;
}

describe('findCasualties', () => {
  it('has a table of at least 60 rows', () => {
    expect(ROWS.length).toBeGreaterThanOrEqual(60);
  });

  it.each(ROWS)('$text → killed $killed, injured $injured', (row) => {
    const killed = figureOf(row.text, 'killed');
    const injured = figureOf(row.text, 'injured');
    expect({ killed: comparable(killed, row.killed), injured: comparable(injured, row.injured) }).toEqual({ killed: row.killed, injured: row.injured });
  });

  it('marks every mention as a casualty with a rule', () => {
    for (const row of ROWS) for (const m of findCasualties(row.text)) {
      expect(m.kind).toBe('casualty');
      expect(m.rule).toMatch(/\S/);
    }
  });
});

describe('the coder\'s own figure', () => {
  it.each([
    ['Fatalities coded as 0 (the local outlet reported 2).', 0],
    ['Unknown reported fatalities coded as 10.', 10],
    ['They said many fighters died; total fatalities coded as 12 and spread across two locations.', 12],
    ['Fatalities were coded to 3 after the army\'s statement.', 3],
  ] as const)('%s → %d', (text, n) => {
    const coded = findCasualties(text).filter((m) => m.rule === CODED_RULE);
    expect(coded.map((m) => m.best)).toEqual([n]);
  });
});

describe('parseNumberWord', () => {
  it.each(NUMBER_WORDS)('%j → %j', (word, value) => {
    expect(parseNumberWord(word)).toBe(value);
  });
});
