// Which place a report means: a table of the ways a name misleads and what the rest of the report says
// about it. Every report is the team's own wording; the places are real, so that the gazetteer decides.
import { describe, expect, it } from 'vitest';
import { createContext, STAGES, type DocContext } from '../src/pipeline.js';
import { jsonlDocument } from '../src/read/readers.js';
import { testModels } from './models.js';

function run(text: string, date: string): DocContext {
  const item = jsonlDocument(JSON.stringify({ id: 't', date, text }), { file: 'test', line: 1 }, { maxDocumentBytes: 1e6 });
  if (item.kind !== 'document') throw new Error(item.reason);
  const ctx = createContext(item.doc);
  for (const stage of STAGES) stage.run(ctx, testModels());
  return ctx;
}

interface Want {
  country: string;
  admin1?: string;
  location?: string;
  precision?: number;
}

// [what misleads, report, what the first event must say]
const TABLE: [string, string, Want][] = [
  // the areas named after a site
  ['a district seat named beside its province places an unknown village at the seat', 'On 6 June 2024, militants stormed an army post in Buulo Guduud village (Marka, Lower Shabelle) and withdrew after an hour.', { country: 'Somalia', location: 'Buulo Guduud', precision: 2 }],
  ['a province alone after a site is read as a province before a district of the same name abroad', 'On 6 June 2024, inmates rioted at the prison of the Sapele LGA (Delta) and burnt its records.', { country: 'Nigeria', admin1: 'Delta' }],
  ['the province whose big city shares its name wins', 'On 6 June 2024, in Villa Adela, La Paz, neighbours marched to demand clean water.', { country: 'Bolivia' }],
  ['"state" after a name makes it a province, not a country', 'On 6 June 2024, in Acarigua, Portuguesa state, farmers blocked the highway over the price of diesel.', { country: 'Venezuela', admin1: 'Portuguesa' }],
  ['a name among the areas after a site is an area, not a namesake city', 'On 6 June 2024, soldiers and rebels exchanged fire in Barangay Hinabangan Norte, Pinabacdao, Samar.', { country: 'Philippines', location: 'Hinabangan Norte' }],
  ['three consonants alone do not find a district abroad', 'On 6 June 2024, gunmen killed a trader in Afgooye Yarey town (Marka, Lower Shabelle).', { country: 'Somalia' }],
];

describe('which place a report means', () => {
  it.each(TABLE)('%s', (_, text, want) => {
    const ctx = run(text, '2024-06-07');
    expect(ctx.events.length).toBeGreaterThan(0);
    const e = ctx.events[0]!;
    const got: Want = { country: e.country as string };
    if (want.admin1 !== undefined) got.admin1 = e.admin1 as string;
    if (want.location !== undefined) got.location = e.location as string;
    if (want.precision !== undefined) got.precision = e.geo_precision as number;
    expect(got).toEqual(want);
  });
});
