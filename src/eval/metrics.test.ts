import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../paths.js';
import { agreement, evaluate, haversineKm, labelF1, matchEvents, normaliseName, SHARE_KEYS, type GoldDoc, type PredDoc } from './metrics.js';

describe('normaliseName', () => {
  it.each([
    ['Military Forces of Iraq (2014-)', 'military forces iraq'],
    ['Military Forces of Iraq', 'military forces iraq'],
    ['al-Shabaab', 'shabaab'],
    ['Al Shabaab', 'shabaab'],
    ['Sana’a', 'sanaa'],
    ["Sana'a", 'sanaa'],
    ['Qā’im', 'qaim'],
    ['The Gambia', 'gambia'],
    ['Protesters (India)', 'protesters'],
    ['  Côte  d’Ivoire ', 'cote divoire'],
  ])('%s → %s', (input, expected) => expect(normaliseName(input)).toBe(expected));
  it('is null for non-strings', () => expect(normaliseName(null)).toBeNull());
});

describe('matching', () => {
  const g = { event_type: 'Battles', sub_event_type: 'Armed clash', event_date: '2020-05-05', latitude: 1.8, longitude: 44.7, location: 'Janaale' };
  it('weighs type 2, sub-type 2, date 1, 50 km 1, location 1', () => {
    expect(agreement(g, { ...g })).toBe(7);
    expect(agreement(g, { ...g, sub_event_type: 'Air/drone strike' })).toBe(5);
    expect(agreement(g, { event_type: 'Battles', latitude: 2.5, longitude: 44.7 })).toBe(2);
    expect(agreement(g, {})).toBe(0);
  });
  it('gives ties to the earlier prediction and uses each prediction once', () => {
    const p = [{ event_type: 'Battles' }, { event_type: 'Battles' }];
    expect(matchEvents([g, g, g], p)).toEqual([0, 1, -1]);
  });
  it('matches greedily in gold order', () => {
    const p = [{ event_type: 'Battles' }, { ...g }];
    expect(matchEvents([g, { event_type: 'Battles' }], p)).toEqual([1, 0]);
  });
  it('measures great-circle distance', () => {
    expect(haversineKm(0, 0, 0, 1)).toBeCloseTo(111.19, 1);
  });
});

describe('F1 per label', () => {
  it('weights by gold support and averages over gold labels', () => {
    const r = labelF1([
      ['A', 'A'],
      ['A', 'B'],
      ['B', 'B'],
      ['B', 'NONE'],
    ]);
    // A: p=1, r=.5, f1=.667; B: p=.5, r=.5, f1=.5
    expect(r.weighted).toBeCloseTo((2 / 3 + 0.5) / 2, 6);
    expect(r.macro).toBeCloseTo((2 / 3 + 0.5) / 2, 6);
  });
});

describe('evaluate', () => {
  const gold: GoldDoc[] = [
    { id: 'a', events: [{ event_type: 'Protests', sub_event_type: 'Peaceful protest', event_date: '2021-01-02', country: 'Kenya', fatalities: 0 }] },
    { id: 'b', events: [{ event_type: 'Riots', sub_event_type: 'Mob violence', event_date: null, country: 'Chad' }], score: { date: false, type: true } },
    { id: 'c', events: [] },
    { id: 'd', events: [{ event_type: 'Battles', sub_event_type: 'Armed clash' }], score: { type: false } },
  ];
  const preds = new Map<string, PredDoc>([
    ['a', { id: 'a', events: [{ event_type: 'Protests', sub_event_type: 'Peaceful protest', event_date: '2021-01-02', country: 'Kenya', fatalities: 0 }, { event_type: 'Riots' }] }],
    ['c', { id: 'c', events: [] }],
  ]);
  const { metrics } = evaluate(gold, preds);
  it('prints every key of EVAL.md', () => {
    for (const k of [...SHARE_KEYS, 'gold_events', 'pred_events', 'extra_events', 'overgeneration', 'docs_missing_in_pred', 'n']) expect(metrics).toHaveProperty(k);
  });
  it('scores only what gold has and what the score flags allow', () => {
    expect(metrics.n.event_type).toBe(2); // d has score.type false
    expect(metrics.n.event_date).toBe(1); // b has no date, d none
    expect(metrics.event_type).toBe(0.5);
    expect(metrics.country).toBe(0.5);
    expect(metrics.fatalities).toBe(1);
    expect(metrics.no_event_when_none).toBe(1);
    expect(metrics.extra_events).toBe(1);
    expect(metrics.overgeneration).toBe(0.25);
    expect(metrics.docs_missing_in_pred).toBe(2);
  });
});

// The acceptance bar: `sitrep eval --pred` agrees with an independent implementation of EVAL.md
// (tools/eval_reference.py, written from the spec alone) to 3 decimals on every key.
const GOLD = path.join(PACKAGE_ROOT, '..', 'shared', 'gold', 'dev', 'acled-2020.jsonl');
const python = spawnSync('python3', ['--version']).status === 0;
describe.skipIf(!existsSync(GOLD) || !python)('agreement with the reference scorer', () => {
  it('agrees on every key on dev gold with made-up predictions', () => {
    const lines = readFileSync(GOLD, 'utf8').split('\n').filter(Boolean).slice(0, 400);
    const gold = lines.map((l) => JSON.parse(l) as GoldDoc);
    // predictions that are right on some fields and wrong on others, deterministically
    const preds = gold
      .filter((_, i) => i % 7 !== 0)
      .map((d, i) => ({
        id: d.id,
        events: d.events.map((e, j) => ({
          ...e,
          event_type: i % 3 === 0 ? 'Protests' : e.event_type,
          sub_event_type: i % 4 === 0 ? 'Peaceful protest' : e.sub_event_type,
          latitude: typeof e.latitude === 'number' ? e.latitude + (i % 5) * 0.2 : null,
          fatalities: i % 6 === 0 ? 1 : e.fatalities,
          actor1: j === 0 && i % 2 ? String(e.actor1 ?? '').toUpperCase() : 'Someone',
        })).concat(i % 9 === 0 ? [{ event_type: 'Riots' } as never] : []),
      }));
    const dir = mkdtempSync(path.join(tmpdir(), 'sitrep-eval-'));
    const goldFile = path.join(dir, 'gold.jsonl');
    const predFile = path.join(dir, 'pred.jsonl');
    writeFileSync(goldFile, `${lines.join('\n')}\n`);
    writeFileSync(predFile, preds.map((p) => JSON.stringify(p)).join('\n'));
    const ours = evaluate(gold, new Map(preds.map((p) => [p.id, p]))).metrics as unknown as Record<string, unknown>;
    const ref = spawnSync('python3', [path.join(PACKAGE_ROOT, 'tools', 'eval_reference.py'), goldFile, predFile], { encoding: 'utf8' });
    expect(ref.status, ref.stderr).toBe(0);
    const theirs = JSON.parse(ref.stdout) as Record<string, unknown>;
    for (const [k, v] of Object.entries(theirs)) {
      if (k === 'n') {
        expect(ours.n).toEqual(v);
        continue;
      }
      if (v === null) expect(ours[k], k).toBeNull();
      else expect(ours[k] as number, k).toBeCloseTo(v as number, 3);
    }
  });
});
