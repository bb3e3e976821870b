// Do workers file what one process files? Ingest the inputs into a SQLite store in one process, then
// through the queue into PostgreSQL with one worker and with two, and compare the canonical events,
// ids aside: which report accounts each holds, and its fields.
//   npx tsx scripts/cluster-check.ts --db postgres://... --queue nats://... FILE...
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { ingest } from '../src/ingest.js';
import { PACKAGE_ROOT } from '../src/paths.js';
import { loadModels } from '../src/pipeline.js';
import { ReportQueue } from '../src/queue/jetstream.js';
import { readInputs } from '../src/read/readers.js';
import { PostgresStore } from '../src/store/postgres.js';
import { SqliteStore } from '../src/store/sqlite.js';
import type { EventStore } from '../src/store/store.js';

const { values, positionals } = parseArgs({ options: { db: { type: 'string' }, queue: { type: 'string' } }, allowPositionals: true });
if (!values.db || !values.queue || positionals.length === 0) throw new Error('usage: --db postgres://... --queue nats://... FILE...');
const read = { maxDocumentBytes: 5_000_000 };

/** Each canonical event as the accounts it holds (sorted) and its fields, ids and order aside. */
async function canonical(store: EventStore): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  for (let offset = 0; ; offset += 5000) {
    const events = await store.events({ review: 'all', limit: 5000, offset });
    for (const e of events) {
      const accounts = (await store.accounts(e.event_id)).map((a) => `${a.reportId}#${a.ordinal}`).sort().join(' ');
      const { event_id: _id, sources: _s, tags: _t, review: _r, evidence: _e, ...fields } = e;
      out.set(accounts, JSON.stringify(fields));
    }
    if (events.length < 5000) break;
  }
  return out;
}

function compare(name: string, a: Map<string, string>, b: Map<string, string>): void {
  const sameGroups = [...b.keys()].filter((k) => a.has(k)).length;
  const sameFields = [...b.entries()].filter(([k, v]) => a.get(k) === v).length;
  console.log(JSON.stringify({ compared: name, events: [a.size, b.size], same_accounts: sameGroups, same_accounts_and_fields: sameFields, share: Math.round((sameFields / Math.max(a.size, b.size)) * 10_000) / 10_000 }));
  // (what differs, to read: the account groups on one side only, and the groups whose fields differ)
  for (const k of a.keys()) if (!b.has(k)) console.log(`  only in the first: ${k}`);
  for (const k of b.keys()) if (!a.has(k)) console.log(`  only in the second: ${k}`);
  for (const [k, v] of b) if (a.has(k) && a.get(k) !== v) console.log(`  fields differ: ${k}`);
}

const dir = mkdtempSync(path.join(tmpdir(), 'sitrep-cluster-check-'));
const models = loadModels();
const lite = new SqliteStore(path.join(dir, 'one.db'));
await ingest(positionals, lite, models, read);
const one = await canonical(lite);
lite.close();

const admin = new pg.Client({ connectionString: values.db });
await admin.connect();
const results = new Map<number, Map<string, string>>();
for (const n of [1, 2]) {
  const id = randomUUID().replace(/-/g, '').slice(0, 10);
  const schema = `sitrep_check_${id}`;
  const stream = `SITREP_CHECK_${id.toUpperCase()}`;
  const queue = await ReportQueue.open({ url: values.queue, stream });
  const url = new URL(values.db);
  url.searchParams.set('schema', schema);
  const workers: ChildProcess[] = Array.from({ length: n }, () =>
    spawn(process.execPath, [path.join(PACKAGE_ROOT, 'bin', 'sitrep.js'), 'worker', '--db', url.toString(), '--queue', values.queue!, '--stream', stream, '--metrics-port', '0'], { stdio: 'ignore', env: { ...process.env, SITREP_NO_PROGRESS: '1' } }),
  );
  let total = 0;
  async function* docs() {
    for await (const item of readInputs(positionals, read)) if (item.kind === 'document') (total++, yield item.doc);
  }
  await queue.publish(docs());
  const store = await PostgresStore.open(values.db, { schema });
  const t0 = Date.now();
  // (reports the stream dropped as repeats of an id are stored once, as one process stores them)
  const expected = (await lite0Reports()) ?? total;
  while ((await store.counts()).reports < expected) await new Promise((r) => setTimeout(r, 500));
  console.log(JSON.stringify({ workers: n, reports: expected, seconds: (Date.now() - t0) / 1000 }));
  results.set(n, await canonical(store));
  for (const w of workers) w.kill('SIGTERM');
  await store.close();
  await queue.deleteStream();
  await queue.close();
  await admin.query(`DROP SCHEMA ${pg.escapeIdentifier(schema)} CASCADE`);
}
await admin.end();
compare('1 worker vs one process (SQLite)', one, results.get(1)!);
compare('2 workers vs one process (SQLite)', one, results.get(2)!);
compare('2 workers vs 1 worker', results.get(1)!, results.get(2)!);
rmSync(dir, { recursive: true, force: true });

async function lite0Reports(): Promise<number | null> {
  const s = new SqliteStore(path.join(dir, 'one.db'));
  try {
    return s.counts().reports;
  } finally {
    s.close();
  }
}
