// Workers on NATS JetStream and PostgreSQL (run where SITREP_TEST_PG_URL and SITREP_TEST_NATS_URL name
// servers; `.ci/run` sets them when this machine's answer): one worker and two file the same canonical
// events as one process does, a killed worker's reports are redelivered with nothing lost and nothing
// twice, and SIGTERM finishes the batch in hand. The reports are the team's own invented wording.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import type { Document } from '../src/document.js';
import { PACKAGE_ROOT } from '../src/paths.js';
import { ReportQueue } from '../src/queue/jetstream.js';
import { PostgresStore } from '../src/store/postgres.js';
import { SqliteStore } from '../src/store/sqlite.js';
import type { EventStore } from '../src/store/store.js';
import { extractDocument } from '../src/pipeline.js';
import { testModels } from './models.js';

const PG_URL = process.env.SITREP_TEST_PG_URL;
const NATS_URL = process.env.SITREP_TEST_NATS_URL;
const CLI = path.join(PACKAGE_ROOT, 'src', 'bin.ts');
const dir = mkdtempSync(path.join(tmpdir(), 'sitrep-cluster-'));
const schemas: string[] = [];
const streams: string[] = [];
const children: ChildProcess[] = [];

afterAll(async () => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
  if (!PG_URL || !NATS_URL) return;
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  for (const s of schemas) await client.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(s)} CASCADE`);
  await client.end();
  for (const stream of streams) {
    const q = await ReportQueue.open({ url: NATS_URL, stream }).catch(() => null);
    await q?.deleteStream().catch(() => {});
    await q?.close();
  }
});

/** Incidents in many towns and days, each told twice in other words, and some told once. */
function reports(n: number, tag: string): Document[] {
  const towns = ['Kismayo', 'Baidoa', 'Beledweyne', 'Jowhar', 'Garowe', 'Galkayo', 'Dhusamareb', 'Bosaso'];
  const out: Document[] = [];
  for (let i = 0; out.length < n; i++) {
    const day = 1 + (i % 28);
    const town = towns[i % towns.length]!;
    const killed = 2 + (i % 5);
    const date = `2023-09-${String(day + 1).padStart(2, '0')}`;
    const d = (id: string, text: string): Document => ({ id: `${tag}-${id}`, date, text, origin: { file: 'test' }, messages: [] });
    if (i % 3 === 2) out.push(d(`${i}`, `Residents of ${town} marched on ${day} September 2023 to protest against water shortages, case ${i}.`));
    else {
      out.push(d(`${i}`, `Gunmen from Al Shabaab raided a district office in ${town} on ${day} September 2023, killing ${killed} guards, case ${i}.`));
      out.push(d(`${i}-retold`, `${killed} guards were killed when Al Shabaab gunmen raided the district office of ${town} on ${day} September 2023, according to case ${i}.`));
    }
  }
  return out.slice(0, n);
}

/** One store's canonical events, ids aside: each as the accounts it holds and its fields. */
async function canonical(store: EventStore): Promise<string[]> {
  const events = await store.events({ review: 'all' });
  const out: string[] = [];
  for (const e of events) {
    const accounts = (await store.accounts(e.event_id)).map((a) => `${a.reportId}#${a.ordinal}`).sort();
    const { event_id: _id, sources, tags: _tags, review: _review, ...fields } = e;
    out.push(JSON.stringify({ accounts, sources: [...sources].sort(), fields }));
  }
  return out.sort();
}

async function freshQueue(): Promise<{ stream: string; queue: ReportQueue }> {
  const stream = `SITREP_TEST_${randomUUID().replace(/-/g, '').slice(0, 12).toUpperCase()}`;
  streams.push(stream);
  return { stream, queue: await ReportQueue.open({ url: NATS_URL!, stream, ackWaitMs: 3000 }) };
}

function freshSchema(): { schema: string; url: string } {
  const schema = `sitrep_cluster_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  schemas.push(schema);
  const url = new URL(PG_URL!);
  url.searchParams.set('schema', schema);
  return { schema, url: url.toString() };
}

function worker(dbUrl: string, stream: string, extra: string[] = []): ChildProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'worker', '--db', dbUrl, '--queue', NATS_URL!, '--stream', stream, '--metrics-port', '0', ...extra], {
    cwd: PACKAGE_ROOT,
    env: { ...process.env, SITREP_NO_PROGRESS: '1' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  (child as ChildProcess & { log: () => string }).log = () => err;
  children.push(child);
  return child;
}

async function until(what: string, test: () => Promise<boolean>, ms = 90_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await test())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const exited = (c: ChildProcess): Promise<number | null> => (c.exitCode !== null ? Promise.resolve(c.exitCode) : new Promise((r) => c.once('exit', (code) => r(code))));

describe.skipIf(!PG_URL || !NATS_URL)('workers on JetStream and PostgreSQL', () => {
  it('one worker and two file the same canonical events as one process does', async () => {
    const docs = reports(90, 'same');
    // one process, in order, into SQLite
    const lite = new SqliteStore(path.join(dir, 'one.db'));
    for (let i = 0; i < docs.length; i += 10) lite.addReports(docs.slice(i, i + 10).map((doc) => ({ doc, ...extractDocument(doc, testModels()) })));
    const expected = await canonical(lite);
    lite.close();
    for (const n of [1, 2]) {
      const { url } = freshSchema();
      const { stream, queue } = await freshQueue();
      await queue.publish(docs);
      const workers = Array.from({ length: n }, () => worker(url, stream, ['--batch', '5']));
      const store = await PostgresStore.open(url.replace(/\?.*$/, ''), { schema: new URL(url).searchParams.get('schema')! });
      await until(`${n} workers to store every report`, async () => (await store.counts()).reports === docs.length);
      expect(await canonical(store), `${n} worker(s)`).toEqual(expected);
      for (const w of workers) w.kill('SIGTERM');
      expect(await Promise.all(workers.map(exited))).toEqual(workers.map(() => 0));
      await store.close();
      await queue.close();
    }
  }, 240_000);

  it("redelivers a killed worker's reports: after a restart nothing is lost and nothing is stored twice", async () => {
    const docs = reports(150, 'kill');
    const { url, schema } = freshSchema();
    const { stream, queue } = await freshQueue();
    const first = worker(url, stream, ['--batch', '5', '--ack-wait', '2']);
    const store = await PostgresStore.open(PG_URL!, { schema });
    await queue.publish(docs);
    await until('some reports stored', async () => (await store.counts()).reports >= 20);
    first.kill('SIGKILL');
    await exited(first);
    const killedAt = (await store.counts()).reports;
    expect(killedAt).toBeLessThan(docs.length);
    const second = worker(url, stream, ['--batch', '5', '--ack-wait', '2']);
    await until('every report stored', async () => (await store.counts()).reports === docs.length && (await queue.lag()).pending + (await queue.lag()).unacknowledged === 0);
    const counts = await store.counts();
    // every account once: as many as the reports' extraction gives
    const accounts = docs.reduce((n, doc) => n + extractDocument(doc, testModels()).events.length, 0);
    expect(counts).toMatchObject({ reports: docs.length, mentions: accounts });
    second.kill('SIGTERM');
    expect(await exited(second)).toBe(0);
    await store.close();
    await queue.close();
  }, 240_000);

  it('stops on SIGTERM after storing the batch in hand, holding nothing unacknowledged', async () => {
    const docs = reports(120, 'term');
    const { url, schema } = freshSchema();
    const { stream, queue } = await freshQueue();
    const w = worker(url, stream, ['--batch', '10']);
    const store = await PostgresStore.open(PG_URL!, { schema });
    await queue.publish(docs);
    await until('some reports stored', async () => (await store.counts()).reports >= 10);
    w.kill('SIGTERM');
    expect(await exited(w)).toBe(0);
    const lag = await queue.lag();
    expect(lag.unacknowledged).toBe(0);
    expect((await store.counts()).reports + lag.pending).toBe(docs.length);
    expect((w as ChildProcess & { log: () => string }).log()).toMatch(/stopped: \d+ reports stored/);
    await store.close();
    await queue.close();
  }, 240_000);
});
