// The report queue on NATS JetStream: `sitrep ingest --queue` publishes reports to a stream, and any
// number of `sitrep worker`s on any number of machines take them from one durable pull consumer. The
// stream keeps a report until a worker acknowledges it (work-queue retention), which a worker does only
// after the store has committed it: a worker killed mid-batch leaves its reports unacknowledged, and
// JetStream gives them to another worker once the ack wait has passed. The store stores a report once
// (by id, content and URL), so a report delivered twice changes nothing.
import { AckPolicy, DeliverPolicy, jetstream, jetstreamManager, RetentionPolicy, StorageType, type Consumer, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { connect, nanos, type NatsConnection } from '@nats-io/transport-node';
import type { Document } from '../document.js';

export interface QueueConfig {
  /** nats://host:port, or several separated by commas */
  readonly url: string;
  readonly stream?: string;
  readonly subject?: string;
  /** the durable consumer every worker shares */
  readonly consumer?: string;
  /** how long a delivered report may go unacknowledged before it is given to another worker, ms */
  readonly ackWaitMs?: number;
}

export const QUEUE_DEFAULTS = { stream: 'SITREP_REPORTS', subject: 'sitrep.reports', consumer: 'sitrep-workers', ackWaitMs: 60_000 } as const;

/** A report as it travels: the reader's document, whole (its origin and messages too). */
export type QueuedReport = Document;

export class ReportQueue {
  private constructor(
    readonly nc: NatsConnection,
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    readonly stream: string,
    readonly subject: string,
    readonly consumerName: string,
    private readonly ackWaitMs: number,
  ) {}

  /** Connect, and make the stream and the consumer if they are not there (safe when many start together). */
  static async open(cfg: QueueConfig): Promise<ReportQueue> {
    const servers = cfg.url.split(',').map((s) => s.trim().replace(/^nats:\/\//, ''));
    const nc = await connect({ servers, name: `sitrep-${process.pid}`, maxReconnectAttempts: -1 });
    try {
      const jsm = await jetstreamManager(nc);
      const stream = cfg.stream ?? QUEUE_DEFAULTS.stream;
      // (two streams may not share a subject: another stream's reports go by a subject of its own)
      const subject = cfg.subject ?? (stream === QUEUE_DEFAULTS.stream ? QUEUE_DEFAULTS.subject : `${QUEUE_DEFAULTS.subject}.${stream}`);
      const q = new ReportQueue(nc, jetstream(nc), jsm, stream, subject, cfg.consumer ?? QUEUE_DEFAULTS.consumer, cfg.ackWaitMs ?? QUEUE_DEFAULTS.ackWaitMs);
      await q.ensure();
      return q;
    } catch (err) {
      await nc.close();
      throw err;
    }
  }

  private async ensure(): Promise<void> {
    try {
      await this.jsm.streams.info(this.stream);
    } catch {
      try {
        await this.jsm.streams.add({
          name: this.stream,
          subjects: [this.subject],
          // (a report leaves the stream when a worker has stored it)
          retention: RetentionPolicy.Workqueue,
          storage: StorageType.File,
          // (the same report published twice within ten minutes is kept once: a rerun of a crashed publish)
          duplicate_window: nanos(10 * 60_000),
        });
      } catch (err) {
        // (another process made it between our look and our add)
        await this.jsm.streams.info(this.stream).catch(() => {
          throw err;
        });
      }
    }
    try {
      await this.jsm.consumers.info(this.stream, this.consumerName);
    } catch {
      try {
        await this.jsm.consumers.add(this.stream, {
          durable_name: this.consumerName,
          ack_policy: AckPolicy.Explicit,
          deliver_policy: DeliverPolicy.All,
          ack_wait: nanos(this.ackWaitMs),
          // (a report that failed ten times is a report no worker can store: it is left for a person)
          max_deliver: 10,
          max_ack_pending: 10_000,
        });
      } catch (err) {
        await this.jsm.consumers.info(this.stream, this.consumerName).catch(() => {
          throw err;
        });
      }
    }
  }

  /**
   * Publish reports, each with its id as the message id (JetStream drops a repeat within the duplicate
   * window), `inFlight` at a time; every report counts once its publish is acknowledged by the stream.
   */
  async publish(reports: AsyncIterable<QueuedReport> | Iterable<QueuedReport>, opts: { inFlight?: number; onPublished?: (id: string, duplicate: boolean) => void; onFailure?: (id: string, reason: string) => void } = {}): Promise<{ published: number; duplicates: number; failed: number }> {
    const summary = { published: 0, duplicates: 0, failed: 0 };
    const inFlight = new Set<Promise<void>>();
    const limit = opts.inFlight ?? 256;
    const maxPayload = this.nc.info?.max_payload ?? 1024 * 1024;
    for await (const doc of reports) {
      const payload = JSON.stringify(doc);
      if (Buffer.byteLength(payload) > maxPayload - 1024) {
        summary.failed++;
        opts.onFailure?.(doc.id, `${Buffer.byteLength(payload)} bytes: over the server's largest message (${maxPayload} bytes, max_payload in nats-server.conf)`);
        continue;
      }
      const p = this.js
        .publish(this.subject, payload, { msgID: doc.id })
        .then((ack) => {
          if (ack.duplicate) summary.duplicates++;
          else summary.published++;
          opts.onPublished?.(doc.id, ack.duplicate);
        })
        .catch((err: Error) => {
          summary.failed++;
          opts.onFailure?.(doc.id, err.message);
        })
        .finally(() => inFlight.delete(p));
      inFlight.add(p);
      if (inFlight.size >= limit) await Promise.race(inFlight);
    }
    await Promise.all(inFlight);
    return summary;
  }

  consumer(): Promise<Consumer> {
    return this.js.consumers.get(this.stream, this.consumerName);
  }

  /** Reports waiting or being worked on: the consumer's lag. */
  async lag(): Promise<{ pending: number; unacknowledged: number }> {
    const info = await this.jsm.consumers.info(this.stream, this.consumerName);
    return { pending: info.num_pending, unacknowledged: info.num_ack_pending };
  }

  /** Delete the stream (benches and tests make their own and clean up). */
  async deleteStream(): Promise<void> {
    await this.jsm.streams.delete(this.stream);
  }

  async close(): Promise<void> {
    await this.nc.drain();
  }
}
