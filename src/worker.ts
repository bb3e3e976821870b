// `sitrep worker`: take reports from the queue, extract their events and file them in the store, a batch
// at a time. A batch's reports are acknowledged only after the store has committed them, so a worker
// killed at any point loses nothing (JetStream redelivers what it held) and a redelivery changes nothing
// (the store stores a report once). Stopping (SIGTERM) finishes the batch in hand and exits; reports not
// yet fetched stay in the queue for the other workers.
import type { JsMsg } from '@nats-io/jetstream';
import type { Document } from './document.js';
import { Registry, perSecond } from './metrics.js';
import { DEFAULT_OPTIONS, extractDocument, type Models } from './pipeline.js';
import type { ReportQueue } from './queue/jetstream.js';
import type { EventRecord, Message } from './schema.js';
import type { EventStore } from './store/store.js';

export interface WorkerOptions {
  /** reports fetched at a time */
  readonly batch?: number;
  /**
   * reports a transaction: few, so that two workers' transactions seldom hold a lock on the same
   * country (a dedup block) and wait on each other
   */
  readonly commit?: number;
  /** set to stop: the batch in hand is finished first */
  readonly signal: AbortSignal;
  readonly registry?: Registry;
  readonly onFailure?: (where: string, reason: string) => void;
}

export interface WorkerSummary {
  stored: number;
  duplicates: number;
  failed: number;
  events: number;
  merged: number;
}

/** The worker's series on /metrics. */
export function workerMetrics(registry: Registry, queue: ReportQueue) {
  const stored = registry.counter('sitrep_reports_stored_total', 'reports stored (acknowledged after commit)');
  let lagCache: { at: number; value: { pending: number; unacknowledged: number } } | null = null;
  const lag = async (): Promise<{ pending: number; unacknowledged: number }> => {
    if (!lagCache || Date.now() - lagCache.at > 1000) lagCache = { at: Date.now(), value: await queue.lag() };
    return lagCache.value;
  };
  const rate = perSecond(stored);
  return {
    stored,
    duplicates: registry.counter('sitrep_reports_duplicate_total', 'reports delivered again or stored before (acknowledged, nothing changed)'),
    failed: registry.counter('sitrep_reports_failed_total', 'reports no worker can store: not a report, or extraction failed'),
    retried: registry.counter('sitrep_batches_retried_total', 'batches the store refused (given back to the queue)'),
    events: registry.counter('sitrep_events_filed_total', 'events extracted and filed'),
    merges: registry.counter('sitrep_dedup_merges_total', 'events that joined an event already stored'),
    latency: registry.summary('sitrep_publish_to_stored_seconds', 'from the report entering the stream to its commit'),
    rate: registry.gauge('sitrep_reports_per_second', 'reports stored a second over the last minute', rate),
    pending: registry.gauge('sitrep_queue_pending', 'reports in the queue no worker has taken yet (the lag)', async () => (await lag()).pending),
    unacked: registry.gauge('sitrep_queue_unacknowledged', 'reports taken by workers and not yet stored', async () => (await lag()).unacknowledged),
  };
}

/** A queued report read back, or why it is not one. */
function readMessage(m: JsMsg): Document | string {
  let value: unknown;
  try {
    value = m.json();
  } catch (err) {
    return `not JSON: ${(err as Error).message}`;
  }
  const d = value as Partial<Document> | null;
  if (!d || typeof d !== 'object' || typeof d.id !== 'string' || typeof d.text !== 'string' || d.text.trim() === '') return 'not a report (want an object with a string id and a text)';
  if (d.date !== null && d.date !== undefined && typeof d.date !== 'string') return '"date" is not a string';
  return { id: d.id, date: d.date ?? null, text: d.text, origin: d.origin ?? { file: `queue seq ${m.seq}` }, messages: Array.isArray(d.messages) ? d.messages : [], ...(d.title ? { title: d.title } : {}), ...(d.url ? { url: d.url } : {}), ...(d.source ? { source: d.source } : {}) };
}

export async function runWorker(store: EventStore, queue: ReportQueue, models: Models, opts: WorkerOptions): Promise<WorkerSummary> {
  const summary: WorkerSummary = { stored: 0, duplicates: 0, failed: 0, events: 0, merged: 0 };
  const metrics = opts.registry ? workerMetrics(opts.registry, queue) : null;
  const size = opts.batch ?? 20;
  const consumer = await queue.consumer();
  while (!opts.signal.aborted) {
    // (a short long-poll: a stop is heard within a second)
    const messages: JsMsg[] = [];
    const fetched = await consumer.fetch({ max_messages: size, expires: 1000 });
    for await (const m of fetched) messages.push(m);
    if (messages.length === 0) continue;

    const batch: { msg: JsMsg; doc: Document; events: readonly EventRecord[]; messages: readonly Message[] }[] = [];
    const duplicates: JsMsg[] = [];
    const seen = new Set<string>();
    const read: { m: JsMsg; doc: Document }[] = [];
    for (const m of messages) {
      const doc = readMessage(m);
      if (typeof doc === 'string') {
        // (no worker will ever read it: it leaves the queue, and the failure is counted and said)
        summary.failed++;
        metrics?.failed.inc();
        opts.onFailure?.(`queue message ${m.seq}`, doc);
        m.term(doc);
      } else read.push({ m, doc });
    }
    // (the reports stored before, asked of the store at once: they are not extracted again)
    const known = await store.hasReports(read.map((r) => r.doc));
    for (const [k, { m, doc }] of read.entries()) {
      if (seen.has(doc.id) || known[k]) {
        duplicates.push(m);
        continue;
      }
      seen.add(doc.id);
      try {
        const r = extractDocument(doc, models, DEFAULT_OPTIONS);
        batch.push({ msg: m, doc, events: r.events, messages: r.messages });
      } catch (err) {
        summary.failed++;
        metrics?.failed.inc();
        opts.onFailure?.(`report ${doc.id}`, `extraction failed: ${(err as Error).message}`);
        m.term('extraction failed');
      }
    }
    const commit = opts.commit ?? 2;
    for (let i = 0; i < Math.max(batch.length, 1); i += commit) {
      const chunk = batch.slice(i, i + commit);
      // (the reports stored before go with the first chunk's acknowledgements)
      const again = i === 0 ? duplicates : [];
      try {
        const outcomes = chunk.length ? await store.addReports(chunk) : [];
        // (committed: now, and only now, the queue may forget these reports)
        const now = Date.now();
        outcomes.forEach((o, k) => {
          const { msg } = chunk[k]!;
          if (o.status === 'duplicate') {
            summary.duplicates++;
            metrics?.duplicates.inc();
          } else {
            summary.stored++;
            summary.events += o.events.length;
            const merged = o.events.filter((e) => e.merged).length;
            summary.merged += merged;
            metrics?.stored.inc();
            metrics?.events.inc(o.events.length);
            metrics?.merges.inc(merged);
            metrics?.latency.observe((now - msg.info.timestampNanos / 1e6) / 1000);
          }
        });
        // (a plain ack, which the client sends in its next write with others: one lost is a redelivery,
        // and a redelivered report is a duplicate the store skips)
        for (const m of [...chunk.map((b) => b.msg), ...again]) m.ack();
        summary.duplicates += again.length;
        metrics?.duplicates.inc(again.length);
      } catch (err) {
        // (the store refused the chunk: its reports go back to the queue, a little later)
        metrics?.retried.inc();
        opts.onFailure?.(`${chunk.length} reports`, `not stored, given back to the queue: ${(err as Error).message}`);
        for (const b of chunk) b.msg.nak(5000);
        for (const m of again) m.nak(5000);
      }
    }
  }
  return summary;
}
