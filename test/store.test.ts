// The event store's contract, run against both engines (SQLite always; PostgreSQL when
// SITREP_TEST_PG_URL names a server, each run in a throwaway schema), and the ingest command end to end:
// idempotent by id, content and URL, one event per incident across reports, merges that can be undone,
// and a rerun after SIGKILL that completes the rest with no duplicates. The reports are the team's own
// invented wording.
import { spawn, spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import type { Document } from '../src/document.js';
import { extractDocument } from '../src/pipeline.js';
import { PACKAGE_ROOT } from '../src/paths.js';
import { MIGRATIONS as PG_MIGRATIONS, PostgresStore } from '../src/store/postgres.js';
import { SqliteStore } from '../src/store/sqlite.js';
import type { AddOutcome, EventStore } from '../src/store/store.js';
import { testModels } from './models.js';

const dir = mkdtempSync(path.join(tmpdir(), 'sitrep-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const freshStore = (): SqliteStore => new SqliteStore(path.join(dir, `s${n++}.db`));

function doc(id: string, text: string, date = '2024-06-07', url?: string): Document {
  return { id, date, text, origin: { file: 'test' }, messages: [], ...(url ? { url } : {}) };
}

async function add(store: EventStore, d: Document): Promise<AddOutcome> {
  const r = extractDocument(d, testModels());
  return store.addReport(d, r.events, r.messages);
}

const AMBUSH = 'On 6 June 2024, Al Shabaab fighters ambushed an army convoy near Afgooye in Lower Shabelle, killing four soldiers and wounding two.';
const AMBUSH_RETOLD = 'Four soldiers were killed and two wounded on Thursday 6 June 2024 when Al Shabaab fighters ambushed an army convoy near Afgooye, in the Lower Shabelle region, officials said.';
const PROTEST = 'On 6 June 2024, hundreds of teachers protested in Nairobi over unpaid salaries.';

/** The tests every engine passes. Each opens a store of its own; every call is awaited (SQLite's return plain values). */
function contract(name: string, open: () => Promise<EventStore>): void {
  describe(name, () => {
    it('stores a report once, whether it comes again by id, by content or by URL', async () => {
      const store = await open();
      expect((await add(store, doc('r1', AMBUSH, '2024-06-07', 'https://example.org/a'))).status).toBe('stored');
      expect((await add(store, doc('r1', PROTEST))).status).toBe('duplicate');
      expect((await add(store, doc('r2', `  ${AMBUSH}\n`))).status).toBe('duplicate');
      expect((await add(store, doc('r3', PROTEST, '2024-06-07', 'https://example.org/a'))).status).toBe('duplicate');
      expect(await store.hasReport(doc('r4', `${AMBUSH} `))).toBe(true);
      expect(await store.hasReport(doc('r4', PROTEST))).toBe(false);
      // (by id, by content, by URL, and not at all; asked together)
      expect(await store.hasReports([doc('r1', PROTEST), doc('r5', `${AMBUSH} `), doc('r6', PROTEST, '2024-06-07', 'https://example.org/a'), doc('r7', PROTEST)])).toEqual([true, true, true, false]);
      expect(await store.hasReports([])).toEqual([]);
      expect(await store.counts()).toMatchObject({ reports: 1 });
      expect((await store.report('r1'))?.url).toBe('https://example.org/a');
      await store.close();
    });

    it('files a retelling of an incident under the event already stored, with both reports as sources and the reasons kept', async () => {
      const store = await open();
      const first = await add(store, doc('a', AMBUSH));
      const second = await add(store, doc('b', AMBUSH_RETOLD));
      expect(second.events[0]?.merged).toBe(true);
      const id = first.events[0]!.eventId;
      expect(second.events[0]?.eventId).toBe(id);
      const e = (await store.event(id))!;
      expect(e.sources).toEqual(['a', 'b']);
      expect(e.fatalities).toBe(4);
      const merges = await store.merges(id);
      expect(merges).toHaveLength(1);
      expect(merges[0]!.reasons.join('; ')).toMatch(/same day/);
      expect((await store.counts()).events).toBe(1);
      await store.close();
    });

    it('gives an event the fields of its earliest report, whichever report is filed first', async () => {
      // (the retelling is dated a day later and says "Lower Shabelle region": its place evidence differs)
      const early = doc('z-early', AMBUSH, '2024-06-07');
      const late = doc('a-late', AMBUSH_RETOLD, '2024-06-08');
      const fields = async (order: Document[]): Promise<unknown> => {
        const store = await open();
        for (const d of order) await add(store, d);
        const [e] = await store.events({});
        await store.close();
        expect(e!.sources[0]).toBe('z-early');
        const { event_id: _id, sources, review: _r, ...rest } = e!;
        return { ...rest, sources: [...sources].sort() };
      };
      const inOrder = await fields([early, late]);
      expect(await fields([late, early])).toEqual(inOrder);
    });

    it('keeps apart incidents of one day in two places, and two kinds of event in one place', async () => {
      const store = await open();
      await add(store, doc('a', AMBUSH));
      await add(store, doc('b', 'On 6 June 2024, Al Shabaab fighters ambushed an army convoy near Jowhar in Middle Shabelle, killing four soldiers.'));
      await add(store, doc('c', 'On 6 June 2024, traders protested in Afgooye against new taxes.'));
      expect((await store.counts()).events).toBe(3);
      await store.close();
    });

    it('never merges two events told by one report', async () => {
      const store = await open();
      const r = await add(store, doc('a', `${AMBUSH}\n\nOn the same day, Al Shabaab fighters ambushed a second army convoy near Afgooye, killing two soldiers.`));
      const ids = r.events.map((e) => e.eventId);
      expect(new Set(ids).size).toBe(ids.length);
      await store.close();
    });

    it('splits a merged event back into its reports\' accounts, and lists the changes', async () => {
      const store = await open();
      const since = new Date(Date.now() - 1000).toISOString();
      const first = await add(store, doc('a', AMBUSH));
      await add(store, doc('b', AMBUSH_RETOLD));
      const id = first.events[0]!.eventId;
      const created = await store.split(id);
      expect(created).toHaveLength(1);
      expect((await store.event(id))!.sources).toEqual(['a']);
      expect((await store.event(created[0]!))!.sources).toEqual(['b']);
      expect(await store.merges(id)).toHaveLength(0);
      const kinds = (await store.changes(since)).map((c) => `${c.kind}:${c.eventId === id ? 'first' : 'other'}`);
      expect(kinds).toEqual(['created:first', 'updated:first', 'split:other', 'updated:first']);
      await store.close();
    });

    it("merges events an analyst says are one: the other id leads to the survivor, the change names it, and split undoes it", async () => {
      const store = await open();
      const since = new Date(Date.now() - 1000).toISOString();
      const a = (await add(store, doc('a', AMBUSH))).events[0]!.eventId;
      // (told so differently that dedup keeps them apart: another day's report, another toll)
      const b = (await add(store, doc('b', 'Officials in Mogadishu said on Friday that six soldiers died in an attack on a military column outside Afgooye on 6 June 2024, blamed on Al Shabaab.', '2024-06-08'))).events[0]!.eventId;
      expect(b).not.toBe(a);
      expect(await store.merge(a, [b])).toEqual([b]);
      const survivor = (await store.event(a))!;
      expect(survivor.sources).toEqual(['a', 'b']);
      expect([survivor.fatalities_low, survivor.fatalities_high]).toEqual([4, 6]);
      expect((await store.event(b))?.event_id).toBe(a);
      expect((await store.counts()).events).toBe(1);
      expect((await store.merges(a))[0]!.reasons.join(' ')).toMatch(/analyst/);
      const merged = (await store.changes(since)).filter((c) => c.kind === 'merged');
      expect(merged.map((c) => [c.eventId, c.survivor])).toEqual([[b, a]]);
      await expect(Promise.resolve().then(() => store.merge(a, ['ev-nowhere']))).rejects.toThrow(/ev-nowhere/);
      expect(await store.split(a)).toEqual([b]);
      expect((await store.event(b))?.sources).toEqual(['b']);
      expect((await store.counts()).events).toBe(2);
      await store.close();
    });

    it('reconciles the tolls of three reports as it would rebuilding the event from all of them', async () => {
      const store = await open();
      const id = (await add(store, doc('a', AMBUSH))).events[0]!.eventId;
      await add(store, doc('b', AMBUSH_RETOLD));
      await add(store, doc('c', 'On 6 June 2024 Al Shabaab fighters ambushed an army convoy near Afgooye in Lower Shabelle, killing seven soldiers and wounding two, officials said.'));
      const e = (await store.event(id))!;
      expect(e.sources).toEqual(['a', 'b', 'c']);
      expect([e.fatalities_low, e.fatalities, e.fatalities_high]).toEqual([4, 4, 7]);
      expect(e.tags.filter((t) => t.startsWith('fatalities:reconciled'))).toHaveLength(1);
      await store.close();
    });

    it('keeps event ids when a newer extraction reads a report again', async () => {
      const store = await open();
      const since = new Date(Date.now() - 1000).toISOString();
      const d = doc('a', `${AMBUSH}\n\n${PROTEST}`);
      const first = await add(store, d);
      const [ambush, protest] = first.events.map((e) => e.eventId);
      const reading = extractDocument(d, testModels()).events;
      // the newer reading: the ambush's toll revised, the protest no longer read, a new incident read
      const revised = [{ ...reading[0]!, fatalities: 5 }, { ...reading[0]!, event_type: 'Riots' as const, sub_event_type: 'Mob violence' as const, location: 'Baidoa', latitude: 3.11, longitude: 43.65, event_date: '2024-06-05' }];
      const out = await store.reextract('a', revised);
      expect(out.kept).toEqual([ambush]);
      expect(out.left).toEqual([protest]);
      expect(out.added).toHaveLength(1);
      expect((await store.event(ambush!))?.fatalities).toBe(5);
      expect(await store.event(protest!)).toBeNull();
      const changes = (await store.changes(since)).map((c) => `${c.kind}:${c.eventId === ambush ? 'ambush' : c.eventId === protest ? 'protest' : 'new'}`);
      expect(changes).toEqual(expect.arrayContaining(['updated:ambush', 'deleted:protest', 'created:new']));
      // the same reading again changes nothing
      const again = await store.reextract('a', revised);
      expect(again.kept).toHaveLength(2);
      expect(again.added).toHaveLength(0);
      expect(await store.reportIds()).toEqual(['a']);
      await store.close();
    });

    it('finds events by date, kind, country and box', async () => {
      const store = await open();
      await add(store, doc('a', AMBUSH));
      await add(store, doc('c', PROTEST));
      expect((await store.events({ type: 'Protests' })).map((e) => e.country)).toEqual(['Kenya']);
      expect(await store.events({ country: 'SO' })).toHaveLength(1);
      expect(await store.events({ country: 'Kenya' })).toHaveLength(1);
      expect(await store.events({ country: 'Somalia', from: '2024-06-07' })).toHaveLength(0);
      expect(await store.events({ from: '2024-06-06', to: '2024-06-06' })).toHaveLength(2);
      // (a box around Nairobi)
      expect((await store.events({ bbox: [36.6, -1.5, 37.1, -1.1] })).map((e) => e.event_type)).toEqual(['Protests']);
      expect(await store.events({ limit: 1 })).toHaveLength(1);
      expect((await store.events({ offset: 1 })).map((e) => e.event_id)).toEqual((await store.events({})).slice(1).map((e) => e.event_id));
      await store.close();
    });

    it("finds events by region, actor, confidence and the words of their reports, counts them, and lists them compactly", async () => {
      const store = await open();
      await add(store, doc('a', AMBUSH));
      await add(store, doc('c', PROTEST));
      const [ambush] = await store.events({ country: 'SO' });
      expect(await store.countEvents({})).toBe(2);
      expect((await store.events({ actor: 'shabaab' })).map((e) => e.event_id)).toEqual([ambush!.event_id]);
      // (a user's LIKE wildcards are letters, not patterns)
      expect(await store.events({ actor: '%' })).toHaveLength(0);
      expect(await store.events({ admin1: ambush!.admin1! })).toHaveLength(1);
      expect(await store.countEvents({ q: 'teachers salaries' })).toBe(1);
      expect(await store.countEvents({ q: 'teachers convoy' })).toBe(0);
      // (search syntax in the words is searched for, not obeyed)
      expect(await store.countEvents({ q: '"convoy NEAR(* -' })).toBe(1);
      expect(await store.countEvents({ minConfidence: 1.01 })).toBe(0);
      expect((await store.events({ sort: '-date', limit: 1 }))[0]!.event_id).toBe((await store.events({ sort: 'date' }))[1]!.event_id);
      const rows = await store.compactEvents({ type: 'Protests' });
      expect(rows).toHaveLength(1);
      expect(rows[0]![0]).not.toBe(ambush!.event_id);
      expect(rows[0]![2]).toBe('Protests');
      expect(rows[0]![8]).toBe('Kenya');
      expect(rows[0]![12]).toBe('unreviewed');
      await store.close();
    });

    it('keeps an analyst\'s review and corrections through new reports and re-extraction, with an audit log', async () => {
      const store = await open();
      const d = doc('a', AMBUSH);
      const id = (await add(store, d)).events[0]!.eventId;
      const confirmed = await store.review(id, { action: 'confirm' }, 'amina', 'checked against the local press');
      expect(confirmed.review).toBe('confirmed');
      const edited = await store.review(id, { action: 'edit', field: 'fatalities', value: 6 }, 'amina');
      expect(edited.fatalities).toBe(6);
      expect(edited.tags).toContain('review:edited:fatalities');
      expect(edited.evidence.fatalities).toBeUndefined();
      // a retelling joins, a newer extraction reads the report again: the correction stays
      await add(store, doc('b', AMBUSH_RETOLD));
      await store.reextract('a', extractDocument(d, testModels()).events);
      const after = (await store.event(id))!;
      expect(after.fatalities).toBe(6);
      expect(after.sources).toEqual(['a', 'b']);
      expect(after.review).toBe('confirmed');
      expect((await store.accounts(id)).map((a) => a.reportId)).toEqual(['a', 'b']);
      const log = await store.audit(id);
      expect(log.map((a) => [a.who, a.action, a.field, a.before, a.after])).toEqual([
        ['amina', 'confirm', null, 'unreviewed', 'confirmed'],
        ['amina', 'edit', 'fatalities', 4, 6],
      ]);
      expect(log[0]!.note).toBe('checked against the local press');
      // rejected events leave the lists unless asked for
      await store.review(id, { action: 'reject' }, 'amina');
      expect(await store.countEvents({})).toBe(0);
      expect(await store.countEvents({ review: 'rejected' })).toBe(1);
      expect(await store.countEvents({ review: 'all' })).toBe(1);
      await expect(Promise.resolve().then(() => store.review('ev-nowhere', { action: 'confirm' }, 'amina'))).rejects.toThrow(/ev-nowhere/);
      // the live feed reads changes after the last it saw
      const all = await store.changesAfter(0);
      expect(all.length).toBeGreaterThan(3);
      expect(await store.changesAfter(all[all.length - 2]!.seq)).toEqual([all[all.length - 1]]);
      await store.close();
    });
  });
}

contract('the SQLite store', async () => freshStore());

describe('the SQLite store, reopened', () => {
  it('opens a file it made before without applying its migrations again', async () => {
    const file = path.join(dir, 'reopen.db');
    const a = new SqliteStore(file);
    await add(a, doc('a', AMBUSH));
    a.close();
    const b = new SqliteStore(file);
    expect(b.counts().reports).toBe(1);
    b.close();
  });
});

const PG_URL = process.env.SITREP_TEST_PG_URL;

describe.skipIf(!PG_URL)('the PostgreSQL store', () => {
  const url = PG_URL ?? '';
  const schemas: string[] = [];
  const opened: PostgresStore[] = [];
  const freshSchema = (): string => {
    const schema = `sitrep_test_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
    schemas.push(schema);
    return schema;
  };
  const openPg = async (schema = freshSchema(), now?: () => string): Promise<PostgresStore> => {
    const store = await PostgresStore.open(url, { schema, ...(now ? { now } : {}) });
    opened.push(store);
    return store;
  };
  // (the stores a failed test left open, then the schemas of the run)
  afterAll(async () => {
    if (!PG_URL) return;
    await Promise.all(opened.map((s) => s.close()));
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      for (const s of schemas) await client.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(s)} CASCADE`);
    } finally {
      await client.end();
    }
  });
  /** A query of the test's own in a store's schema (values bound, as the store binds them). */
  const query = async <R extends pg.QueryResultRow>(schema: string, text: string, values: unknown[] = []): Promise<R[]> => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query(`SET search_path TO ${pg.escapeIdentifier(schema)}`);
      return (await client.query<R>(text, values)).rows;
    } finally {
      await client.end();
    }
  };
  const migrations = async (schema: string): Promise<number[]> => (await query<{ version: number }>(schema, 'SELECT version FROM schema_migration ORDER BY version')).map((r) => r.version);

  contract('holds to the contract', () => openPg());

  it('opens a schema it made before without applying its migrations again', async () => {
    const schema = freshSchema();
    const a = await openPg(schema);
    await add(a, doc('a', AMBUSH));
    await a.close();
    const b = await openPg(schema);
    expect((await b.counts()).reports).toBe(1);
    expect(await migrations(schema)).toEqual(PG_MIGRATIONS.map((_, i) => i + 1));
    await b.close();
  });

  it('migrates once when several processes open a new schema together', async () => {
    const schema = freshSchema();
    const stores = await Promise.all([openPg(schema), openPg(schema), openPg(schema), openPg(schema)]);
    expect(await migrations(schema)).toEqual(PG_MIGRATIONS.map((_, i) => i + 1));
    await Promise.all(stores.map((s) => s.close()));
  });

  it('finds reports by their words (a tsvector column under a GIN index)', async () => {
    const schema = freshSchema();
    const store = await openPg(schema);
    await add(store, doc('a', AMBUSH));
    await add(store, doc('c', PROTEST));
    const hits = await query<{ id: string }>(schema, "SELECT id FROM report WHERE text_search @@ plainto_tsquery('simple', $1)", ['Nairobi teachers']);
    expect(hits.map((h) => h.id)).toEqual(['c']);
    const indexes = await query<{ indexname: string }>(schema, "SELECT indexname FROM pg_indexes WHERE schemaname = $1 AND indexdef LIKE '%USING gin%'", [schema]);
    expect(indexes.map((i) => i.indexname)).toEqual(['report_text_search']);
    await store.close();
  });

  it('decides as the SQLite store does, report for report', async () => {
    const now = (): string => '2024-06-08T00:00:00.000Z';
    const lite = new SqliteStore(path.join(dir, `same${n++}.db`), { now });
    const pgs = await openPg(freshSchema(), now);
    const docs = incidentReports(20).map((r) => doc(r.id, r.text, r.date));
    for (const d of docs) {
      const r = extractDocument(d, testModels());
      expect(await pgs.addReport(d, r.events, r.messages)).toEqual(lite.addReport(d, r.events, r.messages));
    }
    const [a, b] = [lite.events({}), await pgs.events({})];
    expect(b).toEqual(a);
    expect(await pgs.counts()).toEqual(lite.counts());
    for (const e of a) expect(await pgs.merges(e.event_id)).toEqual(lite.merges(e.event_id));
    const merged = a.find((e) => e.sources.length > 1)!;
    expect(await pgs.split(merged.event_id)).toEqual(lite.split(merged.event_id));
    expect(await pgs.events({})).toEqual(lite.events({}));
    expect((await pgs.changes('')).map(({ seq, ...c }) => c)).toEqual(lite.changes('').map(({ seq, ...c }) => c));
    lite.close();
    await pgs.close();
  });

  it('files retellings under one event when several workers add them at once', async () => {
    const schema = freshSchema();
    const workers = await Promise.all([openPg(schema), openPg(schema), openPg(schema)]);
    const reports = incidentReports(12).map((r) => {
      const d = doc(r.id, r.text, r.date);
      return { doc: d, ...extractDocument(d, testModels()) };
    });
    // (each worker takes every third report, in batches of two, all at once)
    await Promise.all(
      workers.map(async (w, k) => {
        const mine = reports.filter((_, i) => i % workers.length === k);
        for (let i = 0; i < mine.length; i += 2) await w.addReports(mine.slice(i, i + 2));
      }),
    );
    const counts = await workers[0]!.counts();
    expect(counts).toMatchObject({ reports: 24, mentions: 24 });
    // (one event per incident, as when one process adds them in turn)
    const serial = freshStore();
    for (const r of reports) serial.addReport(r.doc, r.events, r.messages);
    expect(counts.events).toBe(serial.counts().events);
    serial.close();
    await Promise.all(workers.map((w) => w.close()));
  });
});

// --- the command line, end to end ---

const CLI = [path.join(PACKAGE_ROOT, 'src', 'bin.ts')];
function sitrep(args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', ...CLI, ...args], { encoding: 'utf8', cwd: PACKAGE_ROOT, env: { ...process.env, SITREP_NO_PROGRESS: '1' } });
}

/** Reports of many incidents, each told twice in other words. */
function incidentReports(incidents: number): { id: string; date: string; text: string }[] {
  const towns = ['Kismayo', 'Baidoa', 'Beledweyne', 'Jowhar', 'Afgooye', 'Marka', 'Galkayo', 'Garowe'];
  const reports: { id: string; date: string; text: string }[] = [];
  for (let i = 0; i < incidents; i++) {
    const day = 1 + (i % 27);
    const town = towns[i % towns.length]!;
    const killed = 1 + (i % 7);
    reports.push({ id: `n${i}`, date: `2024-05-${String(day + 1).padStart(2, '0')}`, text: `On ${day} May 2024, Al Shabaab fighters attacked a police post in ${town}, killing ${killed} officers. Report number ${i}.` });
    reports.push({ id: `n${i}-again`, date: `2024-05-${String(day + 1).padStart(2, '0')}`, text: `Al Shabaab fighters attacked a police post in ${town} on ${day} May 2024 and killed ${killed} officers, according to report number ${i}.` });
  }
  return reports;
}

/** The same, as a JSONL file. */
function writeReports(file: string, incidents: number): void {
  writeFileSync(file, `${incidentReports(incidents).map((r) => JSON.stringify(r)).join('\n')}\n`);
}

describe('sitrep ingest', () => {
  it('stores reports, merges the retellings, and adds nothing when run again', () => {
    const input = path.join(dir, 'reports.jsonl');
    writeReports(input, 12);
    const db = path.join(dir, 'cli.db');
    const first = sitrep(['ingest', input, '--db', db]);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/24 reports read: 24 stored/);
    const events = Number(/holds 24 reports and (\d+) events/.exec(first.stderr)?.[1]);
    expect(events).toBeLessThanOrEqual(13);
    const again = sitrep(['ingest', input, '--db', db]);
    expect(again.stderr).toMatch(/0 stored, 24 stored before/);
    expect(again.stderr).toMatch(new RegExp(`holds 24 reports and ${events} events`));
    const csv = sitrep(['export', '--db', db, '--format', 'csv']);
    expect(csv.stdout.split('\n')[0]).toMatch(/^event_id_cnty,event_date,year,/);
    expect(csv.stdout.trim().split('\n')).toHaveLength(events + 1);
    const geo = JSON.parse(sitrep(['export', '--db', db, '--format', 'geojson']).stdout) as { type: string; features: unknown[] };
    expect(geo.type).toBe('FeatureCollection');
    expect(geo.features).toHaveLength(events);
  });

  it('merges two events by hand and lists the merge among the changes', () => {
    const input = path.join(dir, 'two.jsonl');
    writeFileSync(input, `${JSON.stringify({ id: 'k1', date: '2024-05-03', text: 'On 2 May 2024, Al Shabaab fighters attacked a police post in Kismayo, killing two officers.' })}\n${JSON.stringify({ id: 'k2', date: '2024-05-03', text: 'On 2 May 2024, gunmen raided a police station in Kismayo and killed three policemen.' })}\n`);
    const db = path.join(dir, 'merge.db');
    expect(sitrep(['ingest', input, '--db', db]).status).toBe(0);
    const ids = sitrep(['export', '--db', db, '--format', 'jsonl']).stdout.trim().split('\n').flatMap((l) => (JSON.parse(l) as { events: { event_id: string }[] }).events.map((e) => e.event_id));
    expect(ids).toHaveLength(2);
    const merged = sitrep(['merge', ids[0]!, ids[1]!, '--db', db, '--reason', 'one raid, two wordings']);
    expect(merged.status, merged.stderr).toBe(0);
    expect(merged.stdout.trim()).toBe(ids[1]);
    const changes = sitrep(['changes', '--since', '2000-01-01', '--db', db]).stdout.trim().split('\n').map((l) => JSON.parse(l) as { event_id: string; change: string; merged_into?: string });
    expect(changes.find((c) => c.change === 'merged')).toMatchObject({ event_id: ids[1], merged_into: ids[0] });
    expect(sitrep(['merge', ids[0]!, 'ev-nowhere', '--db', db]).stderr).toMatch(/no active event ev-nowhere/);
  });

  it('completes after SIGKILL with nothing lost and nothing twice', async () => {
    const input = path.join(dir, 'many.jsonl');
    writeReports(input, 150);
    const clean = path.join(dir, 'clean.db');
    const whole = sitrep(['ingest', input, '--db', clean, '--batch', '10']);
    const expected = /holds (\d+) reports and (\d+) events/.exec(whole.stderr)!;
    const killed = path.join(dir, 'killed.db');
    const child = spawn(process.execPath, ['--import', 'tsx', ...CLI, 'ingest', input, '--db', killed, '--batch', '10'], { cwd: PACKAGE_ROOT, stdio: 'ignore' });
    // kill it once some batches have committed, before it is done
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        try {
          const s = new SqliteStore(killed);
          const stored = s.counts().reports;
          s.close();
          if (stored >= 20) {
            clearInterval(poll);
            child.kill('SIGKILL');
            resolve();
          }
        } catch {
          // (the file may not exist yet)
        }
      }, 50);
    });
    await new Promise((resolve) => child.once('exit', resolve));
    const partial = new SqliteStore(killed);
    const before = partial.counts().reports;
    partial.close();
    expect(before).toBeGreaterThanOrEqual(20);
    const rerun = sitrep(['ingest', input, '--db', killed, '--batch', '10']);
    expect(rerun.status, rerun.stderr).toBe(0);
    expect(rerun.stderr).toMatch(new RegExp(`holds ${expected[1]} reports and ${expected[2]} events`));
    const s = new SqliteStore(killed);
    expect(s.counts().mentions).toBe(new SqliteStore(clean).counts().mentions);
    s.close();
  }, 120_000);
});
