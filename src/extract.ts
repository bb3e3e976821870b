// Extraction over a stream of inputs: read, run the pipeline, hand each document's line on in input
// order. A failed record is counted and reported, never fatal to the batch.
import { describeOrigin, type Origin } from './document.js';
import { DEFAULT_OPTIONS, extractDocument, type ExtractOptions, type Models } from './pipeline.js';
import type { Progress } from './progress.js';
import { readInputs, type ReadOptions } from './read/readers.js';
import type { ExtractLine } from './schema.js';

export interface Failure {
  readonly where: string;
  readonly reason: string;
}

export interface ExtractSummary {
  documents: number;
  events: number;
  failures: Failure[];
}

export async function extractAll(
  inputs: readonly string[],
  models: Models,
  read: ReadOptions,
  onLine: (line: ExtractLine) => void | Promise<void>,
  opts: { progress?: Progress; onFailure?: (f: Failure) => void; extract?: ExtractOptions } = {},
): Promise<ExtractSummary> {
  const summary: ExtractSummary = { documents: 0, events: 0, failures: [] };
  const fail = (origin: Origin, reason: string): void => {
    const f = { where: describeOrigin(origin), reason };
    summary.failures.push(f);
    opts.onFailure?.(f);
  };
  for await (const item of readInputs(inputs, read)) {
    if (item.kind === 'failure') {
      fail(item.origin, item.reason);
      continue;
    }
    const doc = item.doc;
    let result;
    try {
      result = extractDocument(doc, models, opts.extract ?? DEFAULT_OPTIONS);
    } catch (err) {
      // a bug on one document must not lose the rest of the batch; it is reported with its place
      fail(doc.origin, `extraction failed: ${(err as Error).stack ?? String(err)}`);
      continue;
    }
    summary.documents++;
    summary.events += result.events.length;
    opts.progress?.tick(1);
    await onLine({ id: doc.id, date: doc.date, dateline: result.dateline, events: result.events, messages: result.messages });
  }
  return summary;
}
