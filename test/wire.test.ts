// The team's wire-style set (test/wire/README.md), written independently of the rules: a bar on the
// quality measured when it was set, so that a change that helps ACLED's notes but hurts wire copy shows.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluate, type GoldDoc, type PredDoc } from '../src/eval/metrics.js';
import { PACKAGE_ROOT } from '../src/paths.js';
import { extractDocument } from '../src/pipeline.js';
import { jsonlDocument } from '../src/read/readers.js';
import { testModels } from './models.js';

function score(name: string): ReturnType<typeof evaluate>['metrics'] {
  const file = path.join(PACKAGE_ROOT, 'test', 'wire', name);
  const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim());
  const gold = lines.map((l) => JSON.parse(l) as GoldDoc);
  const preds = new Map<string, PredDoc>();
  lines.forEach((line, i) => {
    const item = jsonlDocument(line, { file, line: i + 1 }, { maxDocumentBytes: 1e6 });
    if (item.kind !== 'document') throw new Error(item.reason);
    preds.set(item.doc.id, { id: item.doc.id, events: extractDocument(item.doc, testModels()).events as unknown as Record<string, unknown>[] });
  });
  return evaluate(gold, preds).metrics;
}

describe('wire-style set', () => {
  it('classifies wire snippets as well as when the bar was set', () => {
    const m = score('wire-snippets.jsonl');
    expect(m.gold_events).toBeGreaterThanOrEqual(100);
    // measured when raised (2026-11-29, second session, rules and classifier): event_type 0.948, sub_event_type
    // 0.939, overgeneration 0.028; a retrain moves these by up to 0.015, hence the margin
    expect(m.event_type).toBeGreaterThanOrEqual(0.91);
    expect(m.sub_event_type).toBeGreaterThanOrEqual(0.9);
    expect(m.overgeneration).toBeLessThanOrEqual(0.06);
  });

  it('classifies the second wire set (other writers and outlets) as well as when the bar was set', () => {
    const m = score('wire-snippets-2.jsonl');
    expect(m.gold_events).toBeGreaterThanOrEqual(150);
    // measured when raised (2026-11-29, second session): event_type 0.939, sub_event_type 0.903, overgeneration 0.023
    // (rules alone: 0.867)
    expect(m.event_type).toBeGreaterThanOrEqual(0.9);
    expect(m.sub_event_type).toBeGreaterThanOrEqual(0.86);
    expect(m.overgeneration).toBeLessThanOrEqual(0.06);
  });

  it('classifies the third wire set (written after the rules, measured once) as well as when the bar was set', () => {
    const m = score('wire-snippets-3.jsonl');
    expect(m.gold_events).toBeGreaterThanOrEqual(80);
    // measured when set (2026-11-29): event_type 0.900, sub_event_type 0.863, event_date 1.000, overgeneration 0
    expect(m.event_type).toBeGreaterThanOrEqual(0.86);
    expect(m.sub_event_type).toBeGreaterThanOrEqual(0.82);
    expect(m.event_date).toBeGreaterThanOrEqual(0.95);
    expect(m.overgeneration).toBeLessThanOrEqual(0.06);
  });

  it('finds no event in wire negatives', () => {
    const m = score('wire-negatives.jsonl');
    // measured when raised: 35 of 35
    expect(m.n.no_event_when_none).toBeGreaterThanOrEqual(30);
    expect(m.no_event_when_none).toBeGreaterThanOrEqual(0.97);
  });
});
