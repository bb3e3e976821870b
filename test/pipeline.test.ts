// Pipeline decisions that need every stage: who acted on whom in a sentence with several actors, and
// what becomes of a report in which the lexicon finds no event word at all. Texts are invented.
import { describe, expect, it } from 'vitest';
import { LEAD_SENTENCE } from '../src/nlp/events.js';
import { runReport as run } from './models.js';

describe('roles in sentences with several actors', () => {
  const cases: { name: string; text: string; trigger: RegExp; actor1: string; actor2: string | null }[] = [
    {
      name: 'a pronoun takes up the subject of the clause before, not its object',
      text: 'Rebels fought soldiers for hours near Sake in Congo on Saturday, and on Sunday they captured the town of Mweso.',
      trigger: /captured/,
      actor1: 'Rebels',
      actor2: 'soldiers',
    },
    {
      name: 'forces "supported by" others are the actor, the supporters their associates',
      text: 'The Malian army, supported by Russian fighters, took back the town of Kidal from rebels on Tuesday.',
      trigger: /took back/,
      actor1: 'army',
      actor2: 'rebels',
    },
    {
      name: 'the nearest actor before the verb is the agent when no pronoun intervenes',
      text: 'Gunmen attacked soldiers at a checkpoint near Gao in Mali on Tuesday.',
      trigger: /attacked/,
      actor1: 'Gunmen',
      actor2: 'soldiers',
    },
    {
      name: 'a passive agent after the place is still the agent',
      text: 'A woman was shot dead in the Alto market on Monday by two armed men, police in Recife said.',
      trigger: /shot dead/,
      actor1: 'armed men',
      actor2: 'woman',
    },
    {
      name: 'of several victims in the passive, an armed one is the target',
      text: 'A policeman and two civilians were shot and killed by Taliban militants in Qalat in Afghanistan on Monday.',
      trigger: /shot and killed/,
      actor1: 'Taliban',
      actor2: 'policeman',
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const ctx = run(c.text, '2024-05-10', false);
      const k = [...ctx.classified, ...ctx.dropped].find((x) => c.trigger.test(x.trigger.text));
      expect(k, 'a candidate with the trigger').toBeDefined();
      const name = (a: { start: number; end: number } | null): string | null => (a ? ctx.text.slice(a.start, a.end) : null);
      expect(name(k!.actor1)).toMatch(new RegExp(c.actor1));
      if (c.actor2) expect(name(k!.actor2)).toMatch(new RegExp(c.actor2));
    });
  }
});

describe('a report without any event word', () => {
  it('offers its lead sentence as one candidate, marked on its first verb', () => {
    const ctx = run('On 9 May 2024, shopkeepers kept their shutters down against the governor in Herat. No casualties were reported.', '2024-05-10', false);
    expect(ctx.candidates).toHaveLength(1);
    const cue = ctx.candidates[0]!.cues[0]!;
    expect(cue.rule).toBe(LEAD_SENTENCE);
    expect(ctx.text.slice(cue.start, cue.end)).toBe(cue.text);
    expect(ctx.candidates[0]!.time?.date).toBe('2024-05-09');
  });

  it('is no event with the rules alone: only a trained reading can keep it', () => {
    const ctx = run('On 9 May 2024, shopkeepers kept their shutters down against the governor in Herat.', '2024-05-10', false);
    expect(ctx.events).toEqual([]);
    expect(ctx.dropped.map((d) => d.reason)).toEqual(['no event word']);
  });

  it('is not offered where an event word was found, even one that was negated', () => {
    expect(run('Police said the rebels did not attack the village on Monday.').candidates.every((c) => c.cues.every((x) => x.rule !== LEAD_SENTENCE))).toBe(true);
    expect(run('Gunmen attacked a convoy near Gao on Monday.').candidates.every((c) => c.cues.every((x) => x.rule !== LEAD_SENTENCE))).toBe(true);
  });

  it('stays dropped in a sports or weather story whatever the model says', () => {
    for (const text of ['The home side pounded the visitors 4-0 in the league match in Kabul on Sunday.', 'Heavy rains pounded the coast of Sindh on Sunday, flooding thousands of homes.']) {
      const ctx = run(text);
      expect(ctx.events, text).toEqual([]);
    }
  });
});

describe('a note that says how many events it stands for', () => {
  it('becomes that many events, one per site of its bare list, the toll shared', () => {
    const ctx = run('On 7 March 2024, 9 Taliban militants were killed in operations by Afghan forces in Andar, Qarabagh and Jaghori districts, Ghazni. Fatalities split across 3 events (3).');
    expect(ctx.events).toHaveLength(3);
    expect(ctx.events.map((e) => e.fatalities)).toEqual([3, 3, 3]);
    expect(new Set(ctx.events.map((e) => e.sub_event_type)).size).toBe(1);
    for (const e of ctx.events) expect(e.tags).toContain('events:split-by-note-3');
    expect(ctx.events.map((e) => e.admin1)).toEqual(['Ghazni', 'Ghazni', 'Ghazni']);
  });
  it('without a list, the events share the incident\'s place', () => {
    const ctx = run('On 7 March 2024, rebels clashed with the army near Beni in Congo. Fatalities coded as 10 and spread across two locations.');
    expect(ctx.events).toHaveLength(2);
    expect(ctx.events[0]!.location).toBe(ctx.events[1]!.location);
  });
  it('is not split beyond six', () => {
    const ctx = run('On 7 March 2024, rebels clashed with the army near Beni in Congo. Fatalities split among 12 events.');
    expect(ctx.events).toHaveLength(1);
  });
});

describe('what the report around an incident says of it', () => {
  it('a clause without a day of its own has its sentence\'s day', () => {
    const ctx = run('On 12 March 2024, Taliban fighters attacked a checkpoint in Ghazni city, and security forces arrested five suspects in Kandahar city.', '2024-03-14');
    expect(ctx.events).toHaveLength(2);
    expect(ctx.events[1]!.tags).toContain('date:sentence');
    for (const e of ctx.events) {
      expect(e.event_date).toBe('2024-03-12');
      expect(e.tags).not.toContain('date:report');
    }
  });
  it('a group\'s name is not a town (GeoNames lists "Taliban" as another name of a town in Turkey)', () => {
    const ctx = run('On 12 March 2024, Taliban fighters attacked a police post in Ghazni city, Afghanistan, killing two officers.', '2024-03-14');
    expect(ctx.places.some((p) => ctx.text.slice(p.start, p.end) === 'Taliban')).toBe(false);
    expect(ctx.events.map((e) => e.country)).toEqual(['Afghanistan']);
  });
  it('a landmine that goes off by accident is still an event; one from a war long over is a strategic development', () => {
    const old = run('On 2 June 2024, a farmer accidentally stepped on a landmine near a village in Battambang province, Cambodia, and was badly hurt. The mine had been laid during the civil war.', '2024-06-03');
    expect(old.events.map((e) => e.sub_event_type)).toEqual(['Other']);
    expect(old.events[0]!.tags).toContain('remnant-of-war');
    const current = run('On 2 June 2024, a landmine planted by rebels exploded under a truck near Kyauktaw, Myanmar, injuring two soldiers.', '2024-06-03');
    expect(current.events.map((e) => e.sub_event_type)).toEqual(['Remote explosive/landmine/IED']);
  });
  it('a cattle raid is looting, not petty crime', () => {
    const ctx = run('On 9 April 2024, armed bandits raided cattle from herders near Analalava, Madagascar. Police later recovered the stolen cattle.', '2024-04-10');
    expect(ctx.events.map((e) => e.sub_event_type)).toEqual(['Looting/property destruction']);
  });
  it('a storm the report counts time from is no context for a clash', () => {
    const ctx = run('On 3 May 2024, villagers and forest guards clashed near Puri, Odisha, a year since the cyclone struck the coast.', '2024-05-04');
    expect(ctx.events).toHaveLength(1);
    const storm = run('On 3 May 2024, villagers and rescue workers clashed near Puri, Odisha, as the cyclone struck the coast.', '2024-05-04');
    expect(storm.events).toHaveLength(0);
  });
});

describe('the areas a report names around a place', () => {
  it('a village the gazetteer does not know is placed in the district and province named after it', () => {
    const ctx = run('On 3 May 2024, ADF rebels attacked Kambalu village (Beni, North Kivu), killing four civilians.', '2024-05-06');
    expect(ctx.events).toHaveLength(1);
    const e = ctx.events[0]!;
    expect([e.location, e.country, e.admin1]).toEqual(['Kambalu', 'Democratic Republic of Congo', 'North Kivu']);
    expect(e.geo_precision).toBe(2);
  });
  it('a name known only elsewhere yields to the province named after it', () => {
    const ctx = run('On 3 May 2024, dock workers protested in Tome (Biobio) against pay cuts.', '2024-05-06');
    expect(ctx.events.map((e) => e.country)).toEqual(['Chile']);
  });
  it('the province is written as the report spells it, else without the word for its kind', () => {
    const spelt = run('On 5 May 2024, militants attacked an army post near Ariha in Idleb province.', '2024-05-06');
    expect(spelt.events.map((e) => e.admin1)).toEqual(['Idleb']);
    const unspelt = run('On 5 May 2024, gunmen abducted 12 residents of Kachia, Nigeria.', '2024-05-06');
    expect(unspelt.events.map((e) => e.admin1)).toEqual(['Kaduna']);
  });
  it('a town comes before the province around it', () => {
    const ctx = run('On 5 May 2024, a group of men stopped a truck near Palwal in Haryana state and beat the driver.', '2024-05-06');
    expect(ctx.events.map((e) => e.location)).toEqual(['Palwal']);
  });
});


describe('the report\'s country, where the words could mislead', () => {
  it.each([
    ['a small town abroad that nothing else points to is a word, not the place', 'On 5 May 2024, Afghan forces killed six Taliban militants in Keran wa Menjan district, Badakhshan province, Afghanistan.', '2024-05-06', 'Afghanistan'],
    ['the dateline counts, not the nationality of an attacking coalition', 'SANAA - Warplanes of the Saudi-led coalition struck a market on the outskirts of Saada city on Tuesday, killing three civilians.', '2024-05-08', 'Yemen'],
    ['a group that fights in one country only says where it is', 'On 4 May 2024, Houthi forces shelled a farm outside an unnamed hamlet, injuring two farmers.', '2024-05-06', 'Yemen'],
    ['a mission that works in one country only says where a report is that names nothing else', 'On 5 May 2024, the OSCE SMM recorded 14 explosions of undetermined weapons near a hamlet on the contact line.', '2024-05-06', 'Ukraine'],
    ['a hyphenated Arabic article', 'On 3 May 2024, IS fighters shot dead a soldier in the desert of Deir-ez-Zor.', '2024-05-06', 'Syria'],
    ['a capitalised function word', 'On 4 May 2024, gunmen abducted nine soldiers in the western countryside Of Dar\'a.', '2024-05-06', 'Syria'],
    ['a province spelt by its consonants', 'On 3 May 2024, Taliban fighters attacked a checkpoint in Urozgan province.', '2024-05-06', 'Afghanistan'],
    ['a word and a number are a label, not a town', 'On 5 May 2024, Houthi forces shelled houses on Street 50 in the east of Hodeidah city.', '2024-05-06', 'Yemen'],
  ])('%s', (_, text, date, country) => {
    const ctx = run(text, date);
    expect(ctx.events.map((e) => e.country)).toEqual([country]);
  });
});

describe('names the gazetteer holds only in part', () => {
  it.each([
    ['the head of a longer name', 'On 1 May 2024, Taliban militants attacked soldiers in the Kharistan area of Qala i Naw district, Badghis province, Afghanistan.', 'Afghanistan'],
    ['an acronym', 'On 19 March 2024, four soldiers were killed when their APC hit a roadside bomb near Naish, Kandahar province, Afghanistan.', 'Afghanistan'],
    ['a province in French', 'On 2 May 2024, a policeman killed a woman in Njiapanda village (Lubero, Nord-Kivu).', 'Democratic Republic of Congo'],
  ])('%s is no place abroad', (_, text, country) => {
    const ctx = run(text, '2024-05-20');
    expect(ctx.events.length).toBeGreaterThan(0);
    for (const e of ctx.events) expect(e.country).toBe(country);
  });
});

describe('where the report names no country', () => {
  it('a district the gazetteer lacks, named with its province after a comma, is placed in the province', () => {
    const ctx = run('On 1 May 2024, Taliban militants attacked soldiers in the Kharistan area of Qala i Naw district, Badghis.', '2024-05-06');
    const e = ctx.events[0]!;
    expect([e.location, e.country, e.admin1, e.geo_precision]).toEqual(['Qala i Naw', 'Afghanistan', 'Badghis', 3]);
  });
});

describe('a site and its province after a comma', () => {
  it('a village the gazetteer lacks is placed in the province named after it', () => {
    const ctx = run('On 5 May 2024, armed men blew up a bank in Utinga, Bahia, and fired at a police patrol.', '2024-05-06');
    const e = ctx.events[0]!;
    expect([e.location, e.country, e.admin1, e.geo_precision]).toEqual(['Utinga', 'Brazil', 'Bahia', 3]);
  });
});


describe('labels and provinces in brackets', () => {
  it('a province in brackets is read by its spelling too, when its exact name is another country\'s', () => {
    const ctx = run('On 1 May 2024, motorbike taxi riders demonstrated in Bamenda town (Mezam, Nord-Ouest) against the curfew.', '2024-05-06');
    expect(ctx.events.map((e) => [e.location, e.country])).toEqual([['Bamenda', 'Cameroon']]);
  });
});

describe('a state by its short form in brackets', () => {
  it.each([
    ['On 5 May 2024, a mob pelted stones at the police in Nigohan (UP) over lockdown violations.', 'Uttar Pradesh'],
    ['On 29 April 2024, militants shot at two civilians at Kralgund town (Kupwara district, J&K) and injured them.', 'Jammu and Kashmir'],
  ])('%s', (text, admin1) => {
    const ctx = run(text, '2024-05-06');
    expect(ctx.events.map((e) => [e.country, e.admin1])).toEqual([['India', admin1]]);
  });
});


describe('drone attacks as reports word them', () => {
  it.each([
    ['On 6 June 2024, in Los Pozos, Guerrero, armed men used drones charged with explosives against the village.', 'Air/drone strike'],
    ['On 6 June 2024, rebels targeted an army post with a small suicide drone near Bawlakhe, Kayah state.', 'Air/drone strike'],
    ['On 6 June 2024, militants fired two drones at a police station in Bannu, Khyber Pakhtunkhwa.', 'Air/drone strike'],
    ['On 6 June 2024, villagers in Aguililla, Michoacan, reported attacks with drones carrying explosives overnight.', 'Air/drone strike'],
    ['On 6 June 2024, air defences intercepted and destroyed three explosives-laden drones over Jizan, Saudi Arabia.', 'Disrupted weapons use'],
    ['On 6 June 2024, two drones were shot down over Belgorod, Russia.', 'Disrupted weapons use'],
  ])('%s', (text, subType) => {
    const ctx = run(text, '2024-06-07');
    expect(ctx.events.map((e) => e.sub_event_type)).toEqual([subType]);
  });
});
