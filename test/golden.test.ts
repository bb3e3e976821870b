// Golden reports: the team's example reports, each with the events an analyst records from it.
// Strict checks on the phenomena every report is built around (quotes, datelines, weekday dates),
// and an overall bar on type and date that later issues raise as extraction deepens.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { matchEvents } from '../src/eval/metrics.js';
import { findQuotes } from '../src/nlp/events.js';
import { PACKAGE_ROOT } from '../src/paths.js';
import { extractDocument } from '../src/pipeline.js';
import { textDocument } from '../src/read/readers.js';
import { EVIDENCED_FIELDS, EventRecord } from '../src/schema.js';
import { goldenCases } from './golden.js';
import { testModels } from './models.js';

const cases = goldenCases();

describe('golden example reports', () => {
  const results = cases.map((c) => ({ c, r: extractDocument(c.doc, testModels()) }));

  it('has at least eight reports with expectations', () => {
    expect(cases.length).toBeGreaterThanOrEqual(8);
  });

  for (const { c, r } of results) {
    describe(c.name, () => {
      it('yields valid event records whose evidence quotes the report', () => {
        for (const e of r.events) {
          expect(() => EventRecord.parse(e)).not.toThrow();
          // every field that has a value has evidence
          for (const field of EVIDENCED_FIELDS) if (e[field] !== null) expect(e.evidence[field], `${e.event_id} ${field}`).toBeDefined();
          for (const spans of Object.values(e.evidence)) for (const s of spans) expect(c.doc.text.slice(s.start, s.end)).toBe(s.text);
        }
      });

      it('mines no event from words inside quotation marks', () => {
        const quotes = findQuotes(c.doc.text);
        for (const e of r.events) {
          for (const s of e.evidence.sub_event_type ?? []) {
            expect(quotes.some((q) => s.start > q.start && s.end < q.end), `${e.sub_event_type} from "${s.text}" inside a quote`).toBe(false);
          }
        }
      });

      it('places no event in the dateline city unless something happened there', () => {
        const city = r.dateline?.split(',')[0]?.trim().toLowerCase();
        expect(city).toBeTruthy();
        const expectedThere = c.events.some((e) => e.location?.toLowerCase() === city);
        if (!expectedThere) for (const e of r.events) expect(e.location?.toLowerCase()).not.toBe(city);
      });

      it('dates no event after the report', () => {
        for (const e of r.events) if (e.event_date) expect(e.event_date <= c.doc.date!).toBe(true);
      });
    });
  }

  it('finds most expected events with the right type and date, without inventing many', () => {
    let expected = 0;
    let found = 0;
    let predicted = 0;
    for (const { c, r } of results) {
      const match = matchEvents(c.events as unknown as Record<string, unknown>[], r.events as unknown as Record<string, unknown>[]);
      c.events.forEach((e, i) => {
        const p = match[i]! >= 0 ? r.events[match[i]!] : undefined;
        if (p && p.event_type === e.event_type && p.event_date === e.event_date) found++;
      });
      expected += c.events.length;
      predicted += r.events.length;
    }
    // measured when set: 21 of 24 found, 31 predicted (2026-11-29: 22, 29); raise these as extraction improves (issue 3)
    expect(found / expected).toBeGreaterThanOrEqual(0.85);
    expect(predicted / expected).toBeLessThanOrEqual(1.35);
  });
});

// The wire report in ../shared (never copied into the repository) is checked where it is present.
const MOSUL = path.join(PACKAGE_ROOT, '..', 'shared', 'examples', 'mosul-2016-11-03.txt');
describe.skipIf(!existsSync(MOSUL))('the shared example wire report', () => {
  it('yields the storming (Nov 1), the Gogjali car bomb (Nov 3) and the message (Nov 2), in Iraq', () => {
    const item = textDocument(readFileSync(MOSUL), { file: MOSUL }, { maxDocumentBytes: 2e6 });
    if (item.kind !== 'document') throw new Error(item.reason);
    expect(item.doc.date).toBe('2016-11-03');
    const { events, dateline } = extractDocument(item.doc, testModels());
    expect(dateline).toMatch(/^IRBIL, Iraq/);
    const storming = events.find((e) => e.event_type === 'Battles' && e.event_date === '2016-11-01');
    expect(storming?.location).toBe('Mosul');
    expect(storming?.geo_precision).toBe(2);
    const carBomb = events.find((e) => e.location === 'Gogjali' && e.event_date === '2016-11-03');
    expect(carBomb?.event_type).toMatch(/Explosions|Strategic/);
    const message = events.find((e) => e.sub_event_type === 'Other' && e.event_date === '2016-11-02');
    expect(message).toBeDefined();
    for (const e of events) {
      expect(e.country).toBe('Iraq');
      expect(e.location).not.toBe('Erbil');
    }
    // five current events with defensible sub-types (issue 3): the storming, two car bombs, the drones, the message
    const current = events.filter((e) => !e.background);
    expect(current).toHaveLength(5);
    expect(storming?.sub_event_type).toBe('Armed clash');
    expect(['Suicide bomb', 'Disrupted weapons use']).toContain(carBomb?.sub_event_type);
    const samah = events.find((e) => e.location === 'Samah');
    expect(['Suicide bomb', 'Disrupted weapons use']).toContain(samah?.sub_event_type);
    expect(current.filter((e) => e.sub_event_type === 'Disrupted weapons use' && e !== carBomb && e !== samah)).toHaveLength(1);
    expect(message?.event_type).toBe('Strategic developments');
    // the fall of Mosul is background, with its own month
    const fall = events.find((e) => e.event_date?.startsWith('2014-06'));
    expect(fall?.background).toBe(true);
    expect(fall?.time_precision).toBe(3);
    // issue 6: the car bombs are the Islamic State's against the Iraqi forces, and the one at Gogjali
    // killed its driver only; the one that got away killed no one
    for (const bomb of [carBomb, samah]) {
      expect(bomb?.actor1).toMatch(/^Islamic State\b/);
      expect(bomb?.actor2).toMatch(/^Military Forces of Iraq\b/);
    }
    expect(carBomb?.fatalities).toBe(1);
    expect(samah?.fatalities).toBe(0);
    expect(fall?.actor1).toMatch(/^Islamic State\b/);
  });
});
