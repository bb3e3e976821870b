// Texts that must yield no event: sport, weather, accidents, illness, fiction, drills, crime without
// a political actor, diplomacy, denials, negations, plans, threats and figures of speech.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../src/paths.js';
import { extractDocument } from '../src/pipeline.js';
import { jsonlDocument } from '../src/read/readers.js';
import { testModels } from './models.js';

const file = path.join(PACKAGE_ROOT, 'test', 'negative', 'negatives.jsonl');
const lines = readFileSync(file, 'utf8').split('\n').filter((l) => l.trim());

describe('negative cases', () => {
  it('has at least 40 cases', () => expect(lines.length).toBeGreaterThanOrEqual(40));
  lines.forEach((line, i) => {
    const rec = JSON.parse(line) as { id: string; why: string };
    it(`${rec.id} (${rec.why}) yields no event`, () => {
      const item = jsonlDocument(line, { file, line: i + 1 }, { maxDocumentBytes: 1e6 });
      if (item.kind !== 'document') throw new Error(item.reason);
      const { events } = extractDocument(item.doc, testModels());
      expect(events.map((e) => `${e.sub_event_type}: ${e.evidence.sub_event_type?.map((s) => s.text).join(', ')}`)).toEqual([]);
    });
  });
});
