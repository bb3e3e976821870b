// The worker's loop without servers: a queue that hands out the team's own invented reports, and a
// SQLite store made to say where its commits stand and how far they are on disk, as PostgreSQL's log
// does for a worker. A report is acknowledged only once the disk has its commit; a report no worker can
// read is terminated and counted; stopping waits for the acknowledgements it owes.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { JsMsg } from '@nats-io/jetstream';
import { afterAll, describe, expect, it } from 'vitest';
import type { ReportQueue } from '../src/queue/jetstream.js';
import { SqliteStore } from '../src/store/sqlite.js';
import type { EventStore } from '../src/store/store.js';
import { runWorker } from '../src/worker.js';
import { testModels } from './models.js';

const dir = mkdtempSync(path.join(tmpdir(), 'sitrep-worker-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const REPORTS = [
  { id: 'w1', date: '2024-05-02', text: 'On 1 May 2024, gunmen attacked a police post near Mubi in Adamawa state, killing three officers.' },
  { id: 'w2', date: '2024-05-03', text: 'Hundreds of traders marched in Kano on 2 May 2024 to protest new market levies.' },
];

/** A queue of messages that records what the worker says of each. */
function fakeQueue(payloads: unknown[]): { queue: ReportQueue; said: Map<string, string> } {
  const said = new Map<string, string>();
  let seq = 0;
  const waiting: JsMsg[] = payloads.map((p) => {
    const s = ++seq;
    const key = typeof p === 'object' && p && 'id' in p ? String((p as { id: unknown }).id) : `seq ${s}`;
    return {
      seq: s,
      info: { timestampNanos: Date.now() * 1e6 },
      json: () => (typeof p === 'string' ? JSON.parse(p) : p),
      ack: () => said.set(key, 'ack'),
      nak: () => said.set(key, 'nak'),
      term: () => said.set(key, 'term'),
    } as unknown as JsMsg;
  });
  const consumer = {
    fetch: async ({ max_messages }: { max_messages: number }) => {
      const batch = waiting.splice(0, max_messages);
      // (an empty queue answers after a while, as JetStream's long poll does)
      if (batch.length === 0) await new Promise((r) => setTimeout(r, 20));
      return (async function* () {
        yield* batch;
      })();
    },
  };
  return { queue: { consumer: async () => consumer } as unknown as ReportQueue, said };
}

async function until(done: () => boolean | Promise<boolean>, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await done())) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('sitrep worker', () => {
  it('acknowledges a report only once its commit is on disk, and terminates what is no report', async () => {
    const store = new SqliteStore(path.join(dir, 'acks.db'));
    const points = { committed: 0n, durable: 0n };
    // (each question moves the log's end on: the commits so far are before it; the disk lags until told)
    (store as EventStore).commitPoints = async () => ({ committed: (points.committed += 10n), durable: points.durable });
    const { queue, said } = fakeQueue([...REPORTS, 'not json {', { id: 'x' }]);
    const stop = new AbortController();
    const failures: string[] = [];
    const running = runWorker(store, queue, testModels(), { signal: stop.signal, onFailure: (where) => failures.push(where) });

    await until(() => store.counts().reports === 2);
    await new Promise((r) => setTimeout(r, 60));
    // stored, committed, and not yet acknowledged: the disk is behind the commits
    expect(said.get('w1')).toBeUndefined();
    expect(said.get('w2')).toBeUndefined();
    expect(said.get('seq 3')).toBe('term');
    expect(said.get('x')).toBe('term');
    expect(failures).toEqual(['queue message 3', 'queue message 4']);

    points.durable = 1_000n;
    await until(() => said.get('w1') === 'ack' && said.get('w2') === 'ack');
    stop.abort();
    const summary = await running;
    expect(summary).toMatchObject({ stored: 2, failed: 2 });
    store.close();
  });

  it('waits, when stopped, for the acknowledgements it owes', async () => {
    const store = new SqliteStore(path.join(dir, 'stop.db'));
    const points = { committed: 0n, durable: 0n };
    (store as EventStore).commitPoints = async () => ({ committed: (points.committed += 10n), durable: points.durable });
    const { queue, said } = fakeQueue([REPORTS[0]]);
    const stop = new AbortController();
    const running = runWorker(store, queue, testModels(), { signal: stop.signal });
    await until(() => store.counts().reports === 1);
    stop.abort();
    // (the disk catches up while the worker is stopping: it acknowledges, then returns)
    setTimeout(() => (points.durable = 1_000n), 100);
    await running;
    expect(said.get('w1')).toBe('ack');
    store.close();
  });
});
