// Ingest: read reports, extract their events and file them in the store, in batches that commit whole.
// A report the store holds already (same id, content or URL) is skipped before extraction, so running
// the same command again after a crash completes the rest and adds nothing twice. A report counts as
// stored only once its batch has committed.
import { describeOrigin, type Document } from './document.js';
import { DEFAULT_OPTIONS, extractDocument, type Models } from './pipeline.js';
import type { Progress } from './progress.js';
import { readInputs, type ReadOptions } from './read/readers.js';
import type { EventRecord, Message } from './schema.js';
import type { EventStore } from './store/store.js';

export interface IngestSummary {
  read: number;
  stored: number;
  duplicates: number;
  failed: number;
  events: number;
  created: number;
  merged: number;
}

export interface IngestOptions {
  /** reports a transaction (a crash loses at most the batch in flight) */
  readonly batchSize?: number;
  readonly progress?: Progress;
  readonly onFailure?: (where: string, reason: string) => void;
}

export async function ingest(inputs: readonly string[], store: EventStore, models: Models, read: ReadOptions, opts: IngestOptions = {}): Promise<IngestSummary> {
  const summary: IngestSummary = { read: 0, stored: 0, duplicates: 0, failed: 0, events: 0, created: 0, merged: 0 };
  const batchSize = opts.batchSize ?? 100;
  let batch: { doc: Document; events: readonly EventRecord[]; messages: readonly Message[] }[] = [];
  // (ids in the batch not committed yet: the same report twice in one input is one report)
  const pending = new Set<string>();
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const outcomes = await store.addReports(batch);
    for (const o of outcomes) {
      if (o.status === 'duplicate') {
        summary.duplicates++;
        continue;
      }
      summary.stored++;
      summary.events += o.events.length;
      for (const e of o.events) e.merged ? summary.merged++ : summary.created++;
    }
    opts.progress?.tick(batch.length);
    batch = [];
    pending.clear();
  };
  for await (const item of readInputs(inputs, read)) {
    if (item.kind === 'failure') {
      summary.failed++;
      opts.onFailure?.(describeOrigin(item.origin), item.reason);
      continue;
    }
    summary.read++;
    const doc = item.doc;
    if (pending.has(doc.id) || (await store.hasReport(doc))) {
      summary.duplicates++;
      opts.progress?.tick(1);
      continue;
    }
    let result;
    try {
      result = extractDocument(doc, models, DEFAULT_OPTIONS);
    } catch (err) {
      // a bug on one report must not lose the rest of the batch; the report is not stored, so a rerun tries it again
      summary.failed++;
      opts.onFailure?.(describeOrigin(doc.origin), `extraction failed: ${(err as Error).stack ?? String(err)}`);
      continue;
    }
    pending.add(doc.id);
    batch.push({ doc, events: result.events, messages: result.messages });
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  return summary;
}
