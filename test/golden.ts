// Golden reports: the team's own example reports (examples/reports) with the events an analyst
// records from them (test/golden/*.expected.json). Shared by the golden test and `scripts/golden-diff`.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PACKAGE_ROOT } from '../src/paths.js';
import { textDocument, DEFAULT_MAX_DOCUMENT_BYTES } from '../src/read/readers.js';
import type { Document } from '../src/document.js';

export interface ExpectedEvent {
  event_type: string;
  sub_event_type: string;
  event_date: string;
  time_precision?: number;
  country?: string;
  location?: string;
  actor1?: string;
  actor2?: string;
  fatalities?: number;
  injuries?: number;
  background?: boolean;
  note: string;
}

export interface GoldenCase {
  name: string;
  doc: Document;
  events: ExpectedEvent[];
  notEvents: string[];
}

export function goldenCases(): GoldenCase[] {
  const dir = path.join(PACKAGE_ROOT, 'test', 'golden');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.expected.json'))
    .sort()
    .map((f) => {
      const spec = JSON.parse(readFileSync(path.join(dir, f), 'utf8')) as { report: string; events: ExpectedEvent[]; not_events: string[] };
      const file = path.join(PACKAGE_ROOT, spec.report);
      const item = textDocument(readFileSync(file), { file }, { maxDocumentBytes: DEFAULT_MAX_DOCUMENT_BYTES });
      if (item.kind !== 'document') throw new Error(`${file}: ${item.reason}`);
      return { name: f.replace('.expected.json', ''), doc: item.doc, events: spec.events, notEvents: spec.not_events };
    });
}
