// When two events are one incident: a table of pairs and the verdict, and the reconciliation of tolls.
import { describe, expect, it } from 'vitest';
import type { EventRecord } from '../schema.js';
import { contentWords, mergeScore, reconcileFatalities, textSimilarity, withText, type DedupView } from './dedup.js';

const base: DedupView = {
  event_type: 'Battles', sub_event_type: 'Armed clash', event_date: '2024-06-06', time_precision: 1, actor1: 'Al Shabaab', actor2: 'Military Forces of Somalia (2022-)',
  iso2: 'SO', admin1: 'Lower Shabelle', admin2: 'Afgooye', location: 'Afgooye', latitude: 2.14, longitude: 45.12, geo_precision: 1, fatalities: 4, evidence: {},
};
const v = (over: Partial<EventRecord>): DedupView => ({ ...base, ...over }) as DedupView;

describe('mergeScore', () => {
  it.each([
    ['the same incident', v({}), true],
    ['another country', v({ iso2: 'KE' }), false],
    ['two days apart at day precision', v({ event_date: '2024-06-08' }), false],
    ['a week apart when one date is only known to the week', v({ event_date: '2024-06-11', time_precision: 2 }), true],
    ['a protest and a clash', v({ event_type: 'Protests', sub_event_type: 'Peaceful protest' }), false],
    ['a clash and a shelling of the same place', v({ event_type: 'Explosions/Remote violence', sub_event_type: 'Shelling/artillery/missile attack' }), true],
    ['two villages of one district, each by its name', v({ location: 'Lafoole', latitude: 2.2, longitude: 45.1 }), false],
    ['the district known only as a region, 20 km away', v({ location: 'Lower Shabelle', latitude: 2.0, longitude: 45.0, geo_precision: 3 }), true],
    ['the same place, spelled otherwise, at one point', v({ location: 'Afgoye' }), true],
  ] as const)('%s', (_, other, mergeable) => {
    expect(mergeScore(base, other) !== null).toBe(mergeable);
  });

  it('says why, in words', () => {
    expect(mergeScore(base, v({}))!.reasons).toEqual(expect.arrayContaining(['same day', 'same place (Afgooye)', 'both Armed clash']));
  });
});

describe('the accounts\' words', () => {
  const idf = () => 1;
  it('finds two tellings of one ambush alike and two templated notes of two incidents apart', () => {
    const a = contentWords('Al Shabaab fighters ambushed an army convoy near Afgooye, killing four soldiers.');
    const b = contentWords('Four soldiers were killed when Al Shabaab fighters ambushed an army convoy near Afgooye.');
    const c = contentWords('Protesters blocked the main road in Afgooye over the price of fuel.');
    expect(textSimilarity(a, b, idf)).toBeGreaterThan(0.7);
    expect(textSimilarity(a, c, idf)).toBeLessThan(0.3);
  });
  it('keeps two days of an incident apart and needs alike accounts', () => {
    const fields = mergeScore(base, v({}))!;
    expect(withText(fields, 0.95, true)).toBeNull();
    expect(withText(fields, 0.2, false)).toBeNull();
    expect(withText(fields, 0.9, false)!.score).toBeGreaterThan(0.6);
  });
});

describe('reconcileFatalities', () => {
  it.each([
    [[], { low: 0, best: 0, high: 0 }],
    [[4], { low: 4, best: 4, high: 4 }],
    [[4, 4], { low: 4, best: 4, high: 4 }],
    [[3, 5], { low: 3, best: 3, high: 5 }],
    [[2, 4, 40], { low: 2, best: 4, high: 40 }],
  ] as const)('%j', (figures, want) => {
    expect(reconcileFatalities(figures)).toMatchObject(want);
  });
});
