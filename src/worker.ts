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
import type { AddOutcome, EventStore } from './store/store.js';

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

/** A report taken from the queue and extracted, to be filed. */
interface Extracted {
  readonly msg: JsMsg;
  readonly doc: Document;
  readonly events: readonly EventRecord[];
  readonly messages: readonly Message[];
}

export async function runWorker(store: EventStore, queue: ReportQueue, models: Models, opts: WorkerOptions): Promise<WorkerSummary> {
  const summary: WorkerSummary = { stored: 0, duplicates: 0, failed: 0, events: 0, merged: 0 };
  const metrics = opts.registry ? workerMetrics(opts.registry, queue) : null;
  const size = opts.batch ?? 40;
  const consumer = await queue.consumer();
  // (reports committed, to acknowledge once their commit is on disk: this batch's, and earlier ones waiting)
  const filed: JsMsg[] = [];
  const durable: { point: bigint; msgs: readonly JsMsg[] }[] = [];
  const unpointed: JsMsg[] = [];
  while (!opts.signal.aborted) {
    // (a short long-poll: a stop is heard within a second)
    const messages: JsMsg[] = [];
    const fetched = await consumer.fetch({ max_messages: size, expires: 1000 });
    for await (const m of fetched) messages.push(m);
    if (messages.length === 0) {
      await acknowledge([]);
      continue;
    }

    const batch: Extracted[] = [];
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
    // (the reports stored before: acknowledged now, as nothing of theirs is left to commit)
    for (const m of duplicates) m.ack();
    summary.duplicates += duplicates.length;
    metrics?.duplicates.inc(duplicates.length);

    // Filing, a few reports a transaction. Where another worker holds a dedup block a chunk needs (a
    // country and some days), the chunk waits and the worker files its other chunks first, then the ones
    // that waited, in their order; a chunk of a country one that waits is of waits too, so each
    // country's reports are filed in the order they came. One worker alone never waits, and files in the
    // queue's order.
    const commit = opts.commit ?? 2;
    const chunks: (typeof batch)[] = [];
    for (let i = 0; i < batch.length; i += commit) chunks.push(batch.slice(i, i + commit));
    const later: (typeof batch)[] = [];
    const waiting = new Set<string>();
    const countries = (chunk: typeof batch): string[] => chunk.flatMap((b) => b.events.map((e) => e.iso2 ?? '-'));
    for (const chunk of chunks) {
      const mine = countries(chunk);
      if (store.addReportsIfFree && !mine.some((c) => waiting.has(c))) {
        const outcome = await file(chunk, () => store.addReportsIfFree!(chunk));
        if (outcome !== 'busy') continue;
      } else if (!store.addReportsIfFree) {
        await file(chunk, async () => store.addReports(chunk));
        continue;
      }
      later.push(chunk);
      for (const c of mine) waiting.add(c);
    }
    for (const chunk of later) await file(chunk, async () => store.addReports(chunk));
    await acknowledge(filed.splice(0));
  }
  // (stopping: what is committed is acknowledged once it is on disk, for a few seconds at most; what is
  // not acknowledged then comes again, to another worker, and is found stored)
  for (let i = 0; i < 100 && (durable.length || unpointed.length); i++) {
    await new Promise((r) => setTimeout(r, 50));
    await acknowledge([]);
  }
  return summary;

  /**
   * Acknowledge reports once their commit is on disk. A store whose commits wait for the disk says
   * nothing (no commitPoints): its reports are acknowledged at once. One whose commits do not (a
   * worker's PostgreSQL store) gives the log's end after the commits and how far it is flushed: the
   * reports wait for the flushed point to pass that end, which the server's log writer brings within a
   * fraction of a second, while the worker goes on. A crash of the server before then loses those
   * commits, and with them any commit that read them, which come later in the log: their reports, not
   * acknowledged, come again.
   */
  async function acknowledge(msgs: readonly JsMsg[]): Promise<void> {
    if (!store.commitPoints) {
      for (const m of msgs) m.ack();
      return;
    }
    unpointed.push(...msgs);
    if (unpointed.length === 0 && durable.length === 0) return;
    let points;
    try {
      points = await store.commitPoints();
    } catch (err) {
      // (not acknowledged yet: if the server is gone they come again; if not, they are next time)
      opts.onFailure?.(`${unpointed.length} reports`, `not acknowledged yet: ${(err as Error).message}`);
      return;
    }
    // (the log's end read now is past every commit of the reports waiting for a point)
    if (unpointed.length) durable.push({ point: points.committed, msgs: unpointed.splice(0) });
    while (durable.length && durable[0]!.point <= points.durable) for (const m of durable.shift()!.msgs) m.ack();
  }

  /** File a chunk and acknowledge its reports after the commit; 'busy' if the store would not wait. */
  async function file(chunk: readonly Extracted[], add: () => Promise<readonly AddOutcome[] | null>): Promise<'done' | 'busy'> {
    try {
      const outcomes = await add();
      if (outcomes === null) return 'busy';
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
      // (acknowledged once on disk, with the batch's others: see acknowledge)
      filed.push(...chunk.map((b) => b.msg));
    } catch (err) {
      // (the store refused the chunk: its reports go back to the queue, a little later)
      metrics?.retried.inc();
      opts.onFailure?.(`${chunk.length} reports`, `not stored, given back to the queue: ${(err as Error).message}`);
      for (const b of chunk) b.msg.nak(5000);
    }
    return 'done';
  }
}
