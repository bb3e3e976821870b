// Who did it to whom, as ACLED codes it: a table of reports in the team's own words and the actors and
// toll of their first event. The conventions are ACLED's (every protest's actor1 is Protesters, every
// attack on civilians has Civilians as actor2, an unknown perpetrator is an unidentified armed group);
// the names come from data/actors.tsv and data/state-forces.tsv.
import { describe, expect, it } from 'vitest';
import { runReport as run } from './models.js';

interface Want {
  actor1?: string | null;
  actor2?: string | null;
  fatalities?: number;
}

// [what it tests, report, what the first event must say]
const TABLE: [string, string, Want][] = [
  ['a protest against a named group is the protesters\' event', 'On 6 June 2024, hundreds of traders protested in Idlib against new taxes imposed by Hayat Tahrir al-Sham.', { actor1: 'Protesters (Syria)', actor2: null }],
  ['a protest the police broke up has the police as actor2', 'On 6 June 2024, police fired tear gas to disperse teachers protesting over unpaid wages in Nairobi.', { actor1: 'Protesters (Kenya)', actor2: 'Police Forces of Kenya (2022-)' }],
  ['rioters who stoned the police fought the police, not the villagers with them', 'On 6 June 2024, villagers and youths pelted stones at police in a village of Jaipur district, Rajasthan, injuring three officers.', { actor1: 'Rioters (India)', actor2: 'Police Forces of India (2014-)' }],
  ['a killing with no perpetrator named is an unidentified armed group\'s', 'On 6 June 2024, a shopkeeper was shot dead in his shop in Kaduna.', { actor1: 'Unidentified Armed Group (Nigeria)', actor2: 'Civilians (Nigeria)', fatalities: 1 }],
  ['where the report speaks of cartels, an unknown killer is a gang', 'On 6 June 2024, in Celaya, Guanajuato, a man was shot dead outside a bar; police suspect a cartel dispute.', { actor1: 'Unidentified Gang (Mexico)', actor2: 'Civilians (Mexico)', fatalities: 1 }],
  ['the victims of an abduction are civilians, whatever the words call them', 'On 6 June 2024, gunmen abducted four farmers on the road to Birnin Gwari, Kaduna.', { actor1: 'Unidentified Armed Group (Nigeria)', actor2: 'Civilians (Nigeria)' }],
  ['the forces of two countries named after "military forces of" are two actors', 'On 6 June 2024, the military forces of Armenia opened fire with rifles on a post held by the military forces of Azerbaijan outside Tovuz.', { actor1: 'Military Forces of Armenia (2018-)', actor2: 'Military Forces of Azerbaijan (2003-)' }],
  ['a bomb planted by a group struck what comes after it', 'On 6 June 2020, a roadside bomb planted by the Taliban destroyed an army vehicle in Helmand, wounding three soldiers.', { actor1: 'Taliban', actor2: 'Military Forces of Afghanistan (2014-2021)' }],
  ['a town that fell to a group was taken by it, not by its people', 'On 6 June 2024, the town of Baga in Borno, home to thousands of people, fell to ISWAP fighters after a night of fighting.', { actor1: 'Islamic State (West Africa)' }],
  ['"the militants" are the group the report has named', 'On 6 June 2024, al-Shabaab attacked a police station in Mandera; the militants were repelled after an hour.', { actor1: 'Al Shabaab' }],
  ['ceasefire monitors\' reports of fire are between the two sides of that war', 'On 6 June 2020, the OSCE SMM recorded 14 explosions near Avdiivka.', { actor1: 'Military Forces of Ukraine (2019-)', actor2: 'NAF: United Armed Forces of Novorossiya' }],
  ['a second attack told with no one named is between the sides of the first', 'On 6 June 2024, Al Shabaab fighters attacked an army base in Lower Shabelle with a car bomb, killing two soldiers.\n\nA second car bomb exploded at the base\'s gate an hour later.', { actor1: 'Al Shabaab' }],
  ['the coder\'s figure stands for the note', 'On 6 June 2024, 2 soldiers were killed by a Taliban ambush in Nirkh district, Wardak. Fatalities coded as 0 (a local outlet reported 2).', { fatalities: 0 }],
  ['Haftar\'s forces as ACLED names them', 'On 6 June 2020, Haftar forces shelled GNA positions south of Tripoli.', { actor1: 'Military Forces of Libya (2014-) Haftar Faction', actor2: 'Military Forces of Libya (2016-2021) Government of National Accord' }],
  ['a report that cannot tell Boko Haram from ISWAP', 'On 6 June 2020, BH/ISWAP fighters ambushed a military convoy near Monguno, Borno, killing four soldiers.', { actor1: 'Islamic State (West Africa) and/or Boko Haram - Jamatu Ahli is-Sunnah lid-Dawatai wal-Jihad', fatalities: 4 }],
];

describe('associated actors: who the crowd or the victims were', () => {
  it.each([
    ['On 6 June 2024, hundreds of garment workers marched in Dhaka over unpaid wages.', 'assoc_actor_1', 'Labour Group (Bangladesh)'],
    ['On 6 June 2024, gunmen shot dead two journalists in Culiacan, Sinaloa.', 'assoc_actor_2', 'Journalists (Mexico)'],
    ['On 6 June 2024, nurses and doctors staged a sit-in outside the ministry of health in Lagos.', 'assoc_actor_1', 'Health Workers (Nigeria)'],
    ['On 6 June 2024, bandits abducted six women and two farmers near Gusau, Zamfara.', 'assoc_actor_2', 'Women (Nigeria); Farmers (Nigeria)'],
  ] as const)('%s → %s %s', (text, field, want) => {
    const e = run(text, '2024-06-07').events[0]!;
    expect(e[field]).toBe(want);
    expect(e.evidence[field]?.length).toBeGreaterThan(0);
  });
  it('names none where the sentences name no group', () => {
    const e = run('On 6 June 2024, gunmen shot dead a man in Culiacan, Sinaloa.', '2024-06-07').events[0]!;
    expect([e.assoc_actor_1, e.assoc_actor_2]).toEqual([null, null]);
  });
});

describe('actors and tolls as ACLED codes them', () => {
  it.each(TABLE)('%s', (_, text, want) => {
    const ctx = run(text, '2024-06-07');
    expect(ctx.events.length).toBeGreaterThan(0);
    const e = ctx.events[0]!;
    const got: Want = {};
    if (want.actor1 !== undefined) got.actor1 = e.actor1;
    if (want.actor2 !== undefined) got.actor2 = e.actor2;
    if (want.fatalities !== undefined && e.fatalities !== null) got.fatalities = e.fatalities;
    expect(got).toEqual(want);
    // an actor always stands on words of the report
    for (const field of ['actor1', 'actor2'] as const) if (e[field]) expect(e.evidence[field]?.length).toBeGreaterThan(0);
  });
});
