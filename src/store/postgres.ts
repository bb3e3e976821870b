// The PostgreSQL event store: the same contract as the SQLite store (test/store.test.ts runs one suite
// against both), for a team whose workers ingest at once into one shared database. It decides exactly as
// SqliteStore does: the same ids (canonicalId, contentHash), the same candidates in the same order, the
// same scores (dedup.ts), the same change log and the same split. What differs is what a server needs:
// migrations that several processes may start at once, writers serialised by an advisory lock instead
// of SQLite's single write lock, reports searchable by a tsvector column (GIN) in place of FTS5, and
// events found by box through a btree over their coordinates in place of the R*Tree (no PostGIS needed).
// Every value reaches the server as a bound parameter ($1...); the one identifier (an optional schema)
// is quoted by pg.escapeIdentifier, as identifiers cannot be bound.
import { createHash } from 'node:crypto';
import pg from 'pg';
import { describeOrigin, type Document } from '../document.js';
import type { EventRecord, Message } from '../schema.js';
import { candidateWindows, shiftDate, canonicalRecord, contentWords, judge, leadsBefore, mergeScore, tollOf, withAccounts, wordRarity, type LeadReport, type Toll } from './dedup.js';
import { canonicalId, contentHash } from './sqlite.js';
import {
  continuedAccounts,
  ParsedRecords,
  keepRoom,
  searchTerms,
  withReview,
  type Account,
  type AddOutcome,
  type AuditEntry,
  type Change,
  type CompactRow,
  type EventFilter,
  type EventStore,
  type Merge,
  type ReextractOutcome,
  type ReviewAction,
  type ReviewStatus,
  type StoreCounts,
  type StoredEvent,
  type StoredReport,
} from './store.js';

// Dates and instants are ISO strings compared as text, as in SQLite: COLLATE "C" compares them byte by
// byte whatever the database's locale. Records, messages and reasons are kept as the JSON text SQLite
// keeps, verbatim (a jsonb column would reorder an exported record's keys); `record::jsonb` queries them.
// Ordering columns (`seq`) stand in for SQLite's rowids: an identity only grows, so insertion order holds.
export const MIGRATIONS: readonly string[] = [
  // 1: reports (their text searchable), mentions, canonical events, merges, changes and the words'
  // report counts: the SQLite store's schema as of its third migration
  `CREATE TABLE report (
     seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, id text NOT NULL UNIQUE, content_hash text NOT NULL UNIQUE,
     url text, source text, title text, date text, text text NOT NULL, origin text NOT NULL, messages text NOT NULL,
     ingested_at text NOT NULL,
     -- ('simple': no stemming and no stop words, like FTS5's default tokenizer; reports come in many languages)
     text_search tsvector GENERATED ALWAYS AS (to_tsvector('simple', text)) STORED);
   CREATE UNIQUE INDEX report_url ON report(url) WHERE url IS NOT NULL;
   CREATE INDEX report_text_search ON report USING gin (text_search);
   CREATE TABLE event (
     seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, id text NOT NULL UNIQUE, status text NOT NULL DEFAULT 'active',
     merged_into text, event_date text COLLATE "C", time_precision integer, event_type text NOT NULL,
     sub_event_type text NOT NULL, iso2 text, country text, latitude double precision, longitude double precision,
     record text NOT NULL, created_at text NOT NULL, updated_at text NOT NULL);
   CREATE INDEX event_when ON event(event_date, event_type) WHERE status = 'active';
   CREATE INDEX event_where ON event(iso2, event_date) WHERE status = 'active';
   CREATE INDEX event_coarse ON event(iso2, event_date) WHERE status = 'active' AND time_precision > 1;
   CREATE INDEX event_point ON event(longitude, latitude) WHERE status = 'active' AND longitude IS NOT NULL AND latitude IS NOT NULL;
   CREATE TABLE mention (
     seq bigint GENERATED ALWAYS AS IDENTITY UNIQUE, report_id text NOT NULL, ordinal integer NOT NULL,
     event_id text NOT NULL, record text NOT NULL, PRIMARY KEY (report_id, ordinal));
   CREATE INDEX mention_event ON mention(event_id, seq);
   CREATE TABLE merge (
     seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, event_id text NOT NULL, report_id text NOT NULL,
     ordinal integer NOT NULL, score double precision NOT NULL, reasons text NOT NULL, at text COLLATE "C" NOT NULL,
     undone boolean NOT NULL DEFAULT false);
   CREATE INDEX merge_event ON merge(event_id);
   CREATE TABLE change (
     seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, at text COLLATE "C" NOT NULL, event_id text NOT NULL,
     kind text NOT NULL, survivor text);
   CREATE INDEX change_at ON change(at);
   CREATE TABLE word_df (word text PRIMARY KEY, n integer NOT NULL);`,
  // 2: the analyst's review (status, corrections, an audit log), and the fields the workbench filters and
  // lists by beside the record: the SQLite store's sixth migration. Every column copied from the record is
  // filled again from it here, as those of the first migration were written only when an event was made.
  // (No version or tolls: candidates are read with their records, and a join rebuilds the record from
  // every account, as the SQLite store does for an event filed before it kept tolls.)
  `ALTER TABLE event
     ADD COLUMN admin1 text, ADD COLUMN actor1 text, ADD COLUMN actor2 text, ADD COLUMN location text,
     ADD COLUMN fatalities integer, ADD COLUMN confidence double precision,
     ADD COLUMN review text NOT NULL DEFAULT 'unreviewed', ADD COLUMN overrides text;
   UPDATE event e SET
     event_date = j.r ->> 'event_date', time_precision = (j.r ->> 'time_precision')::integer,
     event_type = j.r ->> 'event_type', sub_event_type = j.r ->> 'sub_event_type', iso2 = j.r ->> 'iso2',
     country = j.r ->> 'country', latitude = (j.r ->> 'latitude')::double precision,
     longitude = (j.r ->> 'longitude')::double precision, admin1 = j.r ->> 'admin1', actor1 = j.r ->> 'actor1',
     actor2 = j.r ->> 'actor2', location = j.r ->> 'location', fatalities = (j.r ->> 'fatalities')::integer,
     confidence = (j.r ->> 'confidence')::double precision
   FROM (SELECT seq, record::jsonb AS r FROM event) j WHERE j.seq = e.seq;
   CREATE TABLE audit (
     seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, at text COLLATE "C" NOT NULL, event_id text NOT NULL,
     who text NOT NULL, action text NOT NULL, field text, before text, after text, note text);
   CREATE INDEX audit_event ON audit(event_id, seq);`,
  // 3: a version that changes with an event's record, so dedup reads a candidate's record only when its
  // parsed copy is stale, and the tolls of its accounts, so a join reconciles them without reading every
  // account (as SQLite's fifth migration)
  `ALTER TABLE event ADD COLUMN version integer NOT NULL DEFAULT 0;
   ALTER TABLE event ADD COLUMN tolls text;`,
  // 4: no word counts: dedup weighs words by their rarity in a fixed reference (`wordRarity`), which
  // makes a decision independent of what the store held when it was made (SQLite's seventh migration)
  `DROP TABLE word_df;`,
  // 5: room on each page of the event table, updated in place at each join, so an update whose indexed
  // columns stay as they were writes its new version on the same page and no index entry (a HOT
  // update): without it, every join added an entry to each of the event's indexes, and the candidates'
  // scans slowed as they grew, until a vacuum
  `ALTER TABLE event SET (fillfactor = 70);`,
];

/** The columns an event's record is copied to (the SQLite store's list): written wherever the record is. */
const RECORD_COLUMNS = ['event_date', 'time_precision', 'event_type', 'sub_event_type', 'iso2', 'country', 'latitude', 'longitude', 'admin1', 'actor1', 'actor2', 'location', 'fatalities', 'confidence'] as const;

function columnsOf(e: EventRecord): (string | number | null)[] {
  return RECORD_COLUMNS.map((c) => e[c]);
}

/** An event's corrections as stored (JSON text), or none. */
function overridesOf(json: string | null): Record<string, unknown> | null {
  return json ? (JSON.parse(json) as Record<string, unknown>) : null;
}

/**
 * The orders of a list of events, as SqliteStore.ORDER gives them: SQLite sorts NULL first ascending and
 * last descending, PostgreSQL the other way unless told; `seq` stands in for the rowid.
 */
const ORDER: Record<NonNullable<EventFilter['sort']>, string> = {
  date: 'e.event_date NULLS FIRST, e.seq',
  '-date': 'e.event_date DESC NULLS LAST, e.seq DESC',
  fatalities: 'e.fatalities NULLS FIRST, e.seq',
  '-fatalities': 'e.fatalities DESC NULLS LAST, e.seq',
  confidence: 'e.confidence NULLS FIRST, e.seq',
  '-confidence': 'e.confidence DESC NULLS LAST, e.seq',
};

/** The columns of `COMPACT_FIELDS`, in its order. */
const COMPACT_COLUMNS = 'e.id, e.event_date, e.event_type, e.sub_event_type, e.latitude, e.longitude, e.fatalities, e.location, e.country, e.actor1, e.actor2, e.confidence, e.review';

// Advisory lock keys (hashed to a bigint by the server). Migrating takes one lock for the whole database:
// a schema being created cannot be named by a key made from current_schema(), and migrating is rare.
const MIGRATE_LOCK = 'sitrep/migrate';
const WRITE_LOCK = 'sitrep/write/';

/** What runs a query: the pool (reads) or the client of a transaction (writes). */
interface Db {
  query(text: string, values?: unknown[]): Promise<pg.QueryResult>;
}

/**
 * A statement with parameters, prepared once a connection under a name made from its text: the store's
 * few statements run thousands of times, and planning each anew cost as much as running it.
 */
function run(db: Db, sql: string, args: readonly unknown[]): Promise<pg.QueryResult> {
  let name = statementNames.get(sql);
  if (name === undefined) statementNames.set(sql, (name = `s${createHash('sha1').update(sql).digest('hex').slice(0, 16)}`));
  return (db as pg.Pool).query({ name, text: sql, values: [...args] });
}

// (a statement's name, made once from its text: the few statements run thousands of times)
const statementNames = new Map<string, string>();

async function all<R>(db: Db, sql: string, args: readonly unknown[] = []): Promise<R[]> {
  return (args.length ? await run(db, sql, args) : await db.query(sql)).rows as R[];
}

/**
 * A lookup of a list of keys, planned anew each time for the list it is given. Prepared once, such a
 * statement keeps the plan made while the store was new and its tables small and never analysed: a
 * scan of the whole table, which then grows with it (a fresh store filled by workers was seen spending a
 * millisecond a lookup on 4,000 events, until an analyse).
 */
async function planned<R>(db: Db, sql: string, args: readonly unknown[]): Promise<R[]> {
  return (await db.query(sql, [...args])).rows as R[];
}

async function one<R>(db: Db, sql: string, args: readonly unknown[] = []): Promise<R | undefined> {
  return (await all<R>(db, sql, args))[0];
}

interface EventRow {
  id: string;
  version: number;
  tolls: string | null;
  overrides: string | null;
}

type Batch = readonly { doc: Document; events: readonly EventRecord[]; messages: readonly Message[] }[];

export class PostgresStore implements EventStore {
  private readonly parsed = new ParsedRecords();
  // (the words of reports recently compared: a day's reports are compared again and again)
  private readonly wordsMemo = new Map<string, LeadReport>();
  private closed = false;

  private constructor(
    private readonly pool: pg.Pool,
    private readonly now: () => string,
    /** the write lock's key: one per schema, so stores in other schemas of the database never wait on this one */
    private readonly writeLock: string,
  ) {}

  /**
   * Connect, create the schema if one is named (tests use a throwaway one each), and apply the migrations
   * the database has not seen.
   */
  /**
   * @param opts.asyncCommit commits that do not wait for the disk, for a writer that acknowledges its
   * work only once it is there (`commitPoints`): a worker, whose two commits of a batch would otherwise
   * each wait for a flush of the log, one worker's behind the other's
   */
  static async open(url: string, opts: { now?: () => string; schema?: string; asyncCommit?: boolean } = {}): Promise<PostgresStore> {
    const { schema } = opts;
    const pool = connectPool(url, schema, opts.asyncCommit ? ['synchronous_commit=off'] : []);
    const now = opts.now ?? (() => new Date().toISOString());
    try {
      const current = await migrate(pool, schema, now);
      const store = new PostgresStore(pool, now, `${WRITE_LOCK}${current}`);
      if (opts.asyncCommit) store.commitPoints = () => store.walPoints();
      return store;
    } catch (err) {
      await pool.end();
      throw err;
    }
  }

  /**
   * Run a writing transaction under the store's write lock, alone: a split, a merge, a review, a
   * re-extraction, which may touch events of any country.
   */
  private write<T>(work: (db: Db) => Promise<T>): Promise<T> {
    return locked(this.pool, work, { exclusive: [this.writeLock] });
  }

  /**
   * The locks a transaction filing `events` takes. A dedup block is a country and a few days: an event's
   * candidates are its country's events of the days its date's precision allows (one each side of a
   * day, seven of a week, thirty-one of a month: `candidateWindows`), so two writers take a lock of each
   * of those days, and two whose days meet file one after another, each deciding as a single writer
   * would. Writers of one country and far-apart days go on together (a month of reports from one war
   * would otherwise be filed one at a time); the one thing they may share, a coarse event both join, is
   * caught at the join (`FilingConflict`), and the batch filed again holding its countries whole
   * (`whole`), which waits for every writer of those countries. Every writer holds the write lock
   * shared, and the analyst's operations, which take it alone, wait for all. READ COMMITTED (the
   * default) matters: each statement after the locks sees what the writer before committed.
   */
  private filingLocks(events: readonly EventRecord[], whole: boolean): { shared: string[]; exclusive: string[] } {
    const countries = new Set<string>();
    const days = new Set<string>();
    for (const e of events) {
      const country = `${this.writeLock}/${e.iso2 ?? '-'}`;
      countries.add(country);
      if (!e.event_date) continue;
      const { near } = candidateWindows(e.event_date, e.time_precision);
      for (let d = near[0]; d <= near[1]; d = shiftDate(d, 1)) days.add(`${country}/${d}`);
    }
    // (each writer takes its locks in one order: the write lock, the countries, the days, each sorted, so
    // no two ever wait on each other in a circle)
    const sorted = [...countries].sort();
    return whole ? { shared: [this.writeLock], exclusive: sorted } : { shared: [this.writeLock, ...sorted], exclusive: [...days] };
  }

  commitPoints?: () => Promise<{ committed: bigint; durable: bigint }>;

  /**
   * The write-ahead log's end (every commit so far is before it) and how far it is flushed: a commit is
   * on disk, and survives a crash of the server, once the flushed point passes the end read after it.
   */
  private async walPoints(): Promise<{ committed: bigint; durable: bigint }> {
    const row = (await this.pool.query<{ committed: string; durable: string }>("SELECT pg_current_wal_insert_lsn() - '0/0' AS committed, pg_current_wal_flush_lsn() - '0/0' AS durable")).rows[0]!;
    return { committed: BigInt(row.committed), durable: BigInt(row.durable) };
  }

  async hasReport(doc: Pick<Document, 'id' | 'text' | 'url'>): Promise<boolean> {
    return (await this.hasReports([doc]))[0]!;
  }

  async hasReports(docs: readonly Pick<Document, 'id' | 'text' | 'url'>[]): Promise<boolean[]> {
    if (docs.length === 0) return [];
    const rows = await planned<{ i: string }>(
      this.pool,
      // (three index lookups a report, by id, text and URL: three EXISTS joined by OR are planned, once
      // prepared, as hashes of the whole report table, a scan that grows with the store)
      `SELECT d.i FROM unnest($1::text[], $2::text[], $3::text[]) WITH ORDINALITY AS d(id, hash, url, i)
       CROSS JOIN LATERAL (SELECT 1 FROM report WHERE id = d.id UNION ALL SELECT 1 FROM report WHERE content_hash = d.hash UNION ALL SELECT 1 FROM report WHERE url = d.url LIMIT 1) AS hit`,
      [docs.map((d) => d.id), docs.map((d) => contentHash(d.text)), docs.map((d) => d.url ?? null)],
    );
    const stored = new Set(rows.map((r) => Number(r.i) - 1));
    return docs.map((_, i) => stored.has(i));
  }

  async addReport(doc: Document, events: readonly EventRecord[], messages: readonly Message[]): Promise<AddOutcome> {
    return (await this.addReports([{ doc, events, messages }]))[0]!;
  }

  async addReportsIfFree(batch: Batch): Promise<AddOutcome[] | null> {
    try {
      return await this.addReports(batch, false);
    } catch (err) {
      if (err instanceof LocksBusy) return null;
      throw err;
    }
  }

  async addReports(batch: Batch, wait = true): Promise<AddOutcome[]> {
    const events = batch.flatMap((b) => b.events);
    const file = async (db: Db): Promise<AddOutcome[]> => {
      const outcomes: AddOutcome[] = [];
      // (one after another: each report's events are candidates for the next report's)
      for (const { doc, events, messages } of batch) outcomes.push(await this.addOne(db, doc, events, messages));
      return outcomes;
    };
    let out: AddOutcome[];
    try {
      out = await locked(this.pool, file, this.filingLocks(events, false), wait);
    } catch (err) {
      if (err instanceof LocksBusy) throw err;
      // (records written in the rolled-back transaction may be in memory under versions never committed)
      this.parsed.clear();
      if (!(err instanceof FilingConflict)) throw err;
      try {
        out = await locked(this.pool, file, this.filingLocks(events, true));
      } catch (again) {
        this.parsed.clear();
        throw again;
      }
    }
    return out;
  }

  private async addOne(db: Db, doc: Document, events: readonly EventRecord[], messages: readonly Message[]): Promise<AddOutcome> {
    // (PostgreSQL text cannot hold NUL, and the text is what evidence offsets point into: say so plainly)
    if (doc.text.includes('\u0000')) throw new Error(`report ${doc.id}: its text holds a NUL character, which PostgreSQL cannot store`);
    const at = this.now();
    // (stored unless a report of its id, text or URL is: one statement, the three lookups of hasReports)
    const inserted = await run(
      db,
      `INSERT INTO report (id, content_hash, url, source, title, date, text, origin, messages, ingested_at)
       SELECT $1,$2,$3,$4,$5,$6,$7,$8,$9,$10
       WHERE NOT EXISTS (SELECT 1 FROM report WHERE id = $1 UNION ALL SELECT 1 FROM report WHERE content_hash = $2 UNION ALL SELECT 1 FROM report WHERE url = $3::text)`,
      [
      doc.id,
      contentHash(doc.text),
      doc.url ?? null,
      doc.source ?? null,
      doc.title ?? null,
      doc.date,
      doc.text,
      describeOrigin(doc.origin),
      JSON.stringify(messages),
      at,
    ]);
    if (inserted.rowCount === 0) return { status: 'duplicate', events: [] };
    const words = contentWords(doc.text);
    const filed: { eventId: string; merged: boolean; score: number | null }[] = [];
    const ownEvents = new Set<string>();
    for (const [ordinal, e] of events.entries()) {
      // (a report's own events are distinct incidents: never two of them in one canonical event)
      const match = await this.bestMatch(db, e, ownEvents, words);
      if (match) {
        await this.join(db, match.row, doc, e, ordinal, match.score, match.reasons, at);
        filed.push({ eventId: match.row.id, merged: true, score: match.score });
        ownEvents.add(match.row.id);
      } else {
        const id = canonicalId(doc.id, ordinal);
        await this.create(db, id, doc, e, ordinal, at);
        filed.push({ eventId: id, merged: false, score: null });
        ownEvents.add(id);
      }
    }
    return { status: 'stored', events: filed };
  }

  /** The stored event an incoming one is most likely a retelling of, if any scores above the threshold. */
  private async bestMatch(db: Db, e: EventRecord, exclude: ReadonlySet<string>, words: ReadonlySet<string>): Promise<{ row: EventRow; score: number; reasons: readonly string[] } | null> {
    if (!e.event_date) return null;
    const { near, coarse } = candidateWindows(e.event_date, e.time_precision);
    const rows = await this.candidates(db, e.iso2, near, coarse);
    const records = await this.records(db, rows);
    let best: { row: EventRow; score: number; reasons: readonly string[] } | null = null;
    for (const row of rows) {
      if (exclude.has(row.id)) continue;
      const stored = records.get(row.id)!;
      // (the stored event's words, and their rarities, only for a candidate whose fields allow it)
      const fields = mergeScore(stored, e);
      if (!fields) continue;
      const theirs = stored.sources[0] ? (await this.leadReport(db, stored.sources[0])).words : new Set<string>();
      const s = judge(fields, stored.event_date !== e.event_date, words, theirs, wordRarity);
      if (s && (!best || s.score > best.score)) best = { row, score: s.score, reasons: s.reasons };
    }
    return best;
  }

  /**
   * Active events of a country (or of none) dated within the near window, then the coarse ones within
   * the coarse window, each in date and insertion order: the order in which SQLite's two queries first
   * give them, so the first of two equal scores wins in both stores alike.
   */
  private candidates(db: Db, iso2: string | null, near: readonly [string, string], coarse: readonly [string, string] | null): Promise<EventRow[]> {
    // (SQLite's `iso2 IS ?` written as two statements: no index serves `IS NOT DISTINCT FROM`; and the two
    // windows as two range scans of the (country, date) index: one scan with an OR read every event of
    // the country)
    const country = iso2 === null ? 'iso2 IS NULL AND $3::text IS NULL' : 'iso2 = $3';
    const nearSql = `SELECT id, version, tolls, overrides, 0 AS pass, event_date, seq FROM event WHERE status = 'active' AND ${country} AND event_date BETWEEN $1 AND $2`;
    const args: unknown[] = [near[0], near[1], ...(iso2 === null ? [null] : [iso2])];
    if (!coarse) return all<EventRow>(db, `${nearSql} ORDER BY event_date, seq`, args);
    const coarseSql = `SELECT id, version, tolls, overrides, 1 AS pass, event_date, seq FROM event WHERE status = 'active' AND ${country} AND time_precision > 1 AND event_date BETWEEN $4 AND $5 AND NOT (event_date BETWEEN $1 AND $2)`;
    return all<EventRow>(db, `${nearSql} UNION ALL ${coarseSql} ORDER BY pass, event_date, seq`, [...args, coarse[0], coarse[1]]);
  }

  /** The candidates' records, parsed: from memory where their version is known, the rest in one query. */
  private async records(db: Db, rows: readonly EventRow[]): Promise<Map<string, EventRecord>> {
    const stale = rows.filter((r) => !this.parsed.has(r.id, r.version)).map((r) => r.id);
    const fetched = new Map(stale.length ? (await planned<{ id: string; record: string }>(db, 'SELECT id, record FROM event WHERE id = ANY($1::text[])', [stale])).map((r) => [r.id, r.record]) : []);
    return new Map(rows.map((r) => [r.id, this.parsed.get(r.id, r.version, () => fetched.get(r.id)!)]));
  }

  /** A report that leads an event (see `leadsBefore`): its words, to compare newcomers with, and its date. */
  private async leadReport(db: Db, id: string): Promise<LeadReport> {
    let hit = this.wordsMemo.get(id);
    if (!hit) {
      const row = await one<{ text: string; date: string | null }>(db, 'SELECT text, date FROM report WHERE id = $1', [id]);
      hit = { words: row ? contentWords(row.text) : new Set(), date: row?.date ?? null };
      keepRoom(this.wordsMemo, 5_000);
      this.wordsMemo.set(id, hit);
    }
    return hit;
  }

  private async create(db: Db, id: string, doc: Pick<Document, 'id'>, e: EventRecord, ordinal: number, at: string, splitFrom: string | null = null): Promise<void> {
    const record: EventRecord = { ...e, event_id: id, sources: [doc.id] };
    const values = [id, ...columnsOf(record), JSON.stringify(record), JSON.stringify([tollOf(e)]), at, at];
    const k = values.length;
    // (one statement: the event, its first account and the change, in one round trip)
    await run(
      db,
      `WITH ev AS (INSERT INTO event (id, ${RECORD_COLUMNS.join(', ')}, record, tolls, created_at, updated_at) VALUES (${values.map((_, i) => `$${i + 1}`).join(', ')})),
            m AS (INSERT INTO mention (report_id, ordinal, event_id, record) VALUES ($${k + 1}, $${k + 2}, $1, $${k + 3}))
       INSERT INTO change (at, event_id, kind, survivor) VALUES ($${k - 1}, $1, $${k + 4}, $${k + 5})`,
      [...values, doc.id, ordinal, JSON.stringify(e), splitFrom ? 'split' : 'created', splitFrom],
    );
    this.parsed.put(id, 0, record);
  }

  private async insertMention(db: Db, reportId: string, ordinal: number, eventId: string, record: string): Promise<void> {
    await db.query('INSERT INTO mention (report_id, ordinal, event_id, record) VALUES ($1,$2,$3,$4)', [reportId, ordinal, eventId, record]);
  }

  /**
   * File a mention under a stored event: its sources grow and the tolls of its reports are reconciled
   * (the record made again from every account, the analyst's corrections laid over it, in `refresh`).
   */
  private async join(db: Db, row: EventRow, doc: Document, e: EventRecord, ordinal: number, score: number, reasons: readonly string[], at: string): Promise<void> {
    // (an event filed before the tolls were kept is rebuilt from all its accounts, once)
    if (row.tolls === null) {
      // (the row held first: a writer of other days joining it too waits, then reads every account)
      await db.query('SELECT 1 FROM event WHERE id = $1 FOR UPDATE', [row.id]);
      await this.insertMention(db, doc.id, ordinal, row.id, JSON.stringify(e));
      await db.query('INSERT INTO merge (event_id, report_id, ordinal, score, reasons, at) VALUES ($1,$2,$3,$4,$5,$6)', [row.id, doc.id, ordinal, score, JSON.stringify(reasons), at]);
      await this.refresh(db, row.id, at);
      await this.change(db, row.id, 'updated', null, at);
      return;
    }
    const stored = (await this.records(db, [row])).get(row.id)!;
    const tolls = [...(JSON.parse(row.tolls) as Toll[]), tollOf(e)];
    // (the newcomer takes the lead if its report is the earlier: the record is then its fields)
    const lead = stored.sources[0] ? { date: (await this.leadReport(db, stored.sources[0])).date, reportId: stored.sources[0] } : null;
    const leads = lead !== null && leadsBefore({ date: doc.date, reportId: doc.id }, lead);
    // (the analyst's corrections are laid over again: the toll, for one, is made anew here)
    const record = withReview(withAccounts(row.id, leads ? e : stored, leads ? [doc.id, ...stored.sources] : [...stored.sources, doc.id], tolls), overridesOf(row.overrides));
    const n = RECORD_COLUMNS.length;
    // (one statement: the account, the merge, the event made again and the change)
    const joined = await run(
      db,
      `WITH m AS (INSERT INTO mention (report_id, ordinal, event_id, record) VALUES ($${n + 5}, $${n + 6}, $${n + 4}, $${n + 7})),
            g AS (INSERT INTO merge (event_id, report_id, ordinal, score, reasons, at) VALUES ($${n + 4}, $${n + 5}, $${n + 6}, $${n + 8}, $${n + 9}, $${n + 3})),
            u AS (UPDATE event SET ${RECORD_COLUMNS.map((c, i) => `${c} = $${i + 1}`).join(', ')}, record = $${n + 1}, tolls = $${n + 2}, version = version + 1, updated_at = $${n + 3} WHERE id = $${n + 4} AND version = $${n + 10} RETURNING id)
       INSERT INTO change (at, event_id, kind, survivor) SELECT $${n + 3}, id, 'updated', NULL FROM u`,
      [...columnsOf(record), JSON.stringify(record), JSON.stringify(tolls), at, row.id, doc.id, ordinal, JSON.stringify(e), score, JSON.stringify(reasons), row.version],
    );
    // (the event changed since it was read: another writer, of other days, joined it too)
    if (joined.rowCount === 0) throw new FilingConflict(row.id);
    this.parsed.put(row.id, row.version + 1, record);
  }

  /** Rebuild a canonical event's record from its mentions: the first mention's fields, every source, the reconciled toll. */
  private async refresh(db: Db, id: string, at: string): Promise<void> {
    const mentions = (
      await all<{ report_id: string; ordinal: number; date: string | null; record: string }>(db, 'SELECT m.report_id, m.ordinal, r.date, m.record FROM mention m JOIN report r ON r.id = m.report_id WHERE m.event_id = $1 ORDER BY m.seq', [id])
    ).map((m) => ({ reportId: m.report_id, ordinal: m.ordinal, date: m.date, event: JSON.parse(m.record) as EventRecord }));
    if (mentions.length === 0) {
      await db.query("UPDATE event SET status = 'deleted', updated_at = $1 WHERE id = $2", [at, id]);
      await this.change(db, id, 'deleted', null, at);
      return;
    }
    const row = await one<{ overrides: string | null }>(db, 'SELECT overrides FROM event WHERE id = $1', [id]);
    // (the analyst's corrections laid over again: re-extraction and new reports never undo a review)
    const record = withReview(canonicalRecord(id, mentions), overridesOf(row?.overrides ?? null));
    await this.saveRecord(db, id, record, at, mentions.map((m) => tollOf(m.event)));
  }

  /**
   * Write an event's record and the columns copied from it. The box index is over the event's own
   * coordinate columns, so it follows them here with nothing more to do.
   */
  private async saveRecord(db: Db, id: string, record: EventRecord, at: string, tolls: readonly Toll[]): Promise<void> {
    const values = [...columnsOf(record), JSON.stringify(record), at, id, JSON.stringify(tolls)];
    const n = RECORD_COLUMNS.length;
    await db.query(`UPDATE event SET ${RECORD_COLUMNS.map((c, i) => `${c} = $${i + 1}`).join(', ')}, record = $${n + 1}, updated_at = $${n + 2}, tolls = $${n + 4}, version = version + 1 WHERE id = $${n + 3}`, values);
  }

  private async change(db: Db, eventId: string, kind: Change['kind'], survivor: string | null, at: string): Promise<void> {
    await db.query('INSERT INTO change (at, event_id, kind, survivor) VALUES ($1,$2,$3,$4)', [at, eventId, kind, survivor]);
  }

  event(id: string): Promise<StoredEvent | null> {
    return this.eventOf(this.pool, id);
  }

  /** The event by id, as `db` sees it (a writer's own transaction, or the pool). */
  private async eventOf(db: Db, id: string): Promise<StoredEvent | null> {
    const row = await one<{ record: string; status: string; merged_into: string | null; review: ReviewStatus }>(db, 'SELECT record, status, merged_into, review FROM event WHERE id = $1', [id]);
    if (!row) return null;
    if (row.status === 'merged' && row.merged_into) return this.eventOf(db, row.merged_into);
    return row.status === 'active' ? { ...(JSON.parse(row.record) as EventRecord), review: row.review } : null;
  }

  /**
   * The WHERE of a filtered list of events (over `event e`), its values bound through `bind`, which
   * returns each one's placeholder (never spliced in).
   */
  private selection(filter: EventFilter, bind: (v: unknown) => string): string {
    const where: string[] = ["e.status = 'active'"];
    if (filter.bbox) {
      const [minLon, minLat, maxLon, maxLat] = filter.bbox;
      where.push(`e.longitude BETWEEN ${bind(minLon)} AND ${bind(maxLon)} AND e.latitude BETWEEN ${bind(minLat)} AND ${bind(maxLat)}`);
    }
    if (filter.from) where.push(`e.event_date >= ${bind(filter.from)}`);
    if (filter.to) where.push(`e.event_date <= ${bind(filter.to)}`);
    if (filter.type) where.push(`e.event_type = ${bind(filter.type)}`);
    if (filter.subType) where.push(`e.sub_event_type = ${bind(filter.subType)}`);
    if (filter.country) where.push(`(e.iso2 = ${bind(filter.country.toUpperCase())} OR e.country = ${bind(filter.country)})`);
    if (filter.admin1) where.push(`e.admin1 = ${bind(filter.admin1)}`);
    if (filter.actor) {
      // (the user's wildcards and escapes are letters: each escaped, the escape character named)
      const pattern = bind(`%${filter.actor.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      where.push(`(e.actor1 ILIKE ${pattern} ESCAPE '\\' OR e.actor2 ILIKE ${pattern} ESCAPE '\\')`);
    }
    if (filter.minConfidence !== undefined) where.push(`e.confidence >= ${bind(filter.minConfidence)}`);
    if (filter.review === undefined) where.push("e.review <> 'rejected'");
    else if (filter.review !== 'all') where.push(`e.review = ${bind(filter.review)}`);
    const terms = filter.q ? searchTerms(filter.q) : [];
    if (terms.length) {
      // (every term in one report's text: plainto_tsquery ANDs the words it is given and obeys no syntax;
      // the terms are letters and digits only, so none is read as an operator either way)
      where.push(`e.id IN (SELECT m.event_id FROM mention m JOIN report r ON r.id = m.report_id WHERE r.text_search @@ plainto_tsquery('simple', ${bind(terms.join(' '))}))`);
    }
    return where.join(' AND ');
  }

  /** A filtered, sorted, paged list's query: `columns` of `event e`, and the values to bind. */
  private listQuery(filter: EventFilter, columns: string): { text: string; values: unknown[] } {
    const values: unknown[] = [];
    // (each value bound: the placeholder's number is its place in values)
    const bind = (v: unknown): string => `$${values.push(v)}`;
    const where = this.selection(filter, bind);
    // (SQLite reads a negative limit as none and a negative offset as 0; PostgreSQL refuses both. LIMIT
    // NULL is none.)
    const limit = filter.limit !== undefined && filter.limit >= 0 ? filter.limit : null;
    const offset = Math.max(0, filter.offset ?? 0);
    return { text: `SELECT ${columns} FROM event e WHERE ${where} ORDER BY ${ORDER[filter.sort ?? 'date']} LIMIT ${bind(limit)} OFFSET ${bind(offset)}`, values };
  }

  async events(filter: EventFilter): Promise<StoredEvent[]> {
    const { text, values } = this.listQuery(filter, 'e.record, e.review');
    return (await all<{ record: string; review: ReviewStatus }>(this.pool, text, values)).map((r) => ({ ...(JSON.parse(r.record) as EventRecord), review: r.review }));
  }

  async countEvents(filter: EventFilter): Promise<number> {
    const values: unknown[] = [];
    const where = this.selection(filter, (v) => `$${values.push(v)}`);
    // (count(*) is a bigint, which pg hands over as a string)
    return Number((await one<{ n: string }>(this.pool, `SELECT count(*) AS n FROM event e WHERE ${where}`, values))?.n ?? 0);
  }

  async compactEvents(filter: EventFilter): Promise<CompactRow[]> {
    const { text, values } = this.listQuery(filter, COMPACT_COLUMNS);
    // (rows as arrays, as the compact form is: integer and double precision columns arrive as numbers)
    return (await this.pool.query<CompactRow>({ text, values, rowMode: 'array' })).rows;
  }

  async accounts(eventId: string): Promise<Account[]> {
    const rows = await all<{ report_id: string; ordinal: number; record: string }>(this.pool, 'SELECT report_id, ordinal, record FROM mention WHERE event_id = $1 ORDER BY seq', [eventId]);
    return rows.map((m) => ({ reportId: m.report_id, ordinal: m.ordinal, event: JSON.parse(m.record) as EventRecord }));
  }

  review(eventId: string, action: ReviewAction, who: string, note: string | null = null): Promise<StoredEvent> {
    return this.write(async (db) => {
      const at = this.now();
      const row = await one<{ id: string; record: string; review: ReviewStatus; overrides: string | null }>(db, "SELECT id, record, review, overrides FROM event WHERE id = $1 AND status = 'active'", [eventId]);
      if (!row) throw new Error(`no active event ${eventId} in the store`);
      if (action.action === 'edit') {
        const overrides = { ...overridesOf(row.overrides), [action.field]: action.value };
        const before = (JSON.parse(row.record) as Record<string, unknown>)[action.field] ?? null;
        await db.query('UPDATE event SET overrides = $1 WHERE id = $2', [JSON.stringify(overrides), row.id]);
        await this.refresh(db, row.id, at);
        await this.logAudit(db, at, row.id, who, 'edit', action.field, before, action.value, note);
      } else {
        const status: ReviewStatus = action.action === 'confirm' ? 'confirmed' : 'rejected';
        await db.query('UPDATE event SET review = $1, updated_at = $2 WHERE id = $3', [status, at, row.id]);
        await this.logAudit(db, at, row.id, who, action.action, null, row.review, status, note);
      }
      await this.change(db, row.id, 'updated', null, at);
      return (await this.eventOf(db, row.id))!;
    });
  }

  private async logAudit(db: Db, at: string, eventId: string, who: string, action: AuditEntry['action'], field: string | null, before: unknown, after: unknown, note: string | null): Promise<void> {
    await db.query('INSERT INTO audit (at, event_id, who, action, field, before, after, note) VALUES ($1,$2,$3,$4,$5,$6,$7,$8)', [
      at,
      eventId,
      who,
      action,
      field,
      JSON.stringify(before ?? null),
      JSON.stringify(after ?? null),
      note,
    ]);
  }

  async audit(eventId: string): Promise<AuditEntry[]> {
    const rows = await all<{ seq: string; at: string; event_id: string; who: string; action: AuditEntry['action']; field: string | null; before: string; after: string; note: string | null }>(
      this.pool,
      'SELECT seq, at, event_id, who, action, field, before, after, note FROM audit WHERE event_id = $1 ORDER BY seq',
      [eventId],
    );
    return rows.map((a) => ({
      seq: Number(a.seq),
      at: a.at,
      eventId: a.event_id,
      who: a.who,
      action: a.action,
      field: a.field,
      before: JSON.parse(a.before) as unknown,
      after: JSON.parse(a.after) as unknown,
      note: a.note,
    }));
  }

  async lastChangeSeq(): Promise<number> {
    // (max of a bigint is a bigint, which pg hands over as a string; NULL when there is no change)
    return Number((await one<{ n: string | null }>(this.pool, 'SELECT max(seq) AS n FROM change'))?.n ?? 0);
  }

  async changesAfter(seq: number, limit = 1000): Promise<Change[]> {
    // (a bigint parameter takes no fraction: the same rows, as seq is whole; a negative limit is none, as in SQLite)
    const rows = await all<{ seq: string; at: string; event_id: string; kind: Change['kind']; survivor: string | null }>(
      this.pool,
      'SELECT seq, at, event_id, kind, survivor FROM change WHERE seq > $1 ORDER BY seq LIMIT $2',
      [Math.floor(seq), limit >= 0 ? limit : null],
    );
    return rows.map((c) => ({ seq: Number(c.seq), at: c.at, eventId: c.event_id, kind: c.kind, survivor: c.survivor }));
  }

  async report(id: string): Promise<StoredReport | null> {
    const r = await one<{ id: string; content_hash: string; url: string | null; source: string | null; title: string | null; date: string | null; text: string; origin: string; ingested_at: string }>(
      this.pool,
      'SELECT id, content_hash, url, source, title, date, text, origin, ingested_at FROM report WHERE id = $1',
      [id],
    );
    if (!r) return null;
    return { id: r.id, contentHash: r.content_hash, url: r.url, source: r.source, title: r.title, date: r.date, text: r.text, origin: r.origin, ingestedAt: r.ingested_at };
  }

  merges(eventId: string): Promise<Merge[]> {
    return this.mergesOf(this.pool, eventId);
  }

  private async mergesOf(db: Db, eventId: string): Promise<Merge[]> {
    const rows = await all<{ event_id: string; report_id: string; ordinal: number; score: number; reasons: string; at: string }>(
      db,
      'SELECT event_id, report_id, ordinal, score, reasons, at FROM merge WHERE event_id = $1 AND NOT undone ORDER BY seq',
      [eventId],
    );
    return rows.map((m) => ({ eventId: m.event_id, reportId: m.report_id, ordinal: m.ordinal, score: m.score, reasons: JSON.parse(m.reasons) as string[], at: m.at }));
  }

  async changes(since: string): Promise<Change[]> {
    // (seq is a bigint, which pg hands over as a string)
    const rows = await all<{ seq: string; at: string; event_id: string; kind: Change['kind']; survivor: string | null }>(this.pool, 'SELECT seq, at, event_id, kind, survivor FROM change WHERE at >= $1 ORDER BY seq', [since]);
    return rows.map((c) => ({ seq: Number(c.seq), at: c.at, eventId: c.event_id, kind: c.kind, survivor: c.survivor }));
  }

  merge(survivorId: string, otherIds: readonly string[], reason = 'merged by an analyst', who = 'analyst'): Promise<string[]> {
    return this.write(async (db) => {
      const at = this.now();
      const active = async (id: string): Promise<boolean> => (await one<{ status: string }>(db, 'SELECT status FROM event WHERE id = $1', [id]))?.status === 'active';
      if (!(await active(survivorId))) throw new Error(`merge: no active event ${survivorId} in the store`);
      const merged: string[] = [];
      for (const other of new Set(otherIds)) {
        if (other === survivorId) continue;
        if (!(await active(other))) throw new Error(`merge: no active event ${other} in the store`);
        const accounts = await all<{ report_id: string; ordinal: number }>(db, 'SELECT report_id, ordinal FROM mention WHERE event_id = $1 ORDER BY seq', [other]);
        await db.query('UPDATE mention SET event_id = $1 WHERE event_id = $2', [survivorId, other]);
        for (const m of accounts) {
          await db.query('INSERT INTO merge (event_id, report_id, ordinal, score, reasons, at) VALUES ($1,$2,$3,$4,$5,$6)', [survivorId, m.report_id, m.ordinal, 1, JSON.stringify([`${reason} (from ${other})`]), at]);
        }
        // (the other event's own merges now belong to the survivor: a split undoes them there)
        await db.query('UPDATE merge SET event_id = $1 WHERE event_id = $2 AND NOT undone', [survivorId, other]);
        await db.query("UPDATE event SET status = 'merged', merged_into = $1, updated_at = $2 WHERE id = $3", [survivorId, at, other]);
        await this.change(db, other, 'merged', survivorId, at);
        await this.logAudit(db, at, survivorId, who, 'merge', null, null, other, reason);
        merged.push(other);
      }
      if (merged.length) {
        await this.refresh(db, survivorId, at);
        await this.change(db, survivorId, 'updated', null, at);
      }
      return merged;
    });
  }

  split(eventId: string, who = 'analyst'): Promise<string[]> {
    return this.write(async (db) => {
      const at = this.now();
      const merges = await this.mergesOf(db, eventId);
      const created: string[] = [];
      for (const m of merges) {
        const row = await one<{ record: string }>(db, 'SELECT record FROM mention WHERE report_id = $1 AND ordinal = $2', [m.reportId, m.ordinal]);
        if (!row) continue;
        const e = JSON.parse(row.record) as EventRecord;
        const id = canonicalId(m.reportId, m.ordinal);
        await db.query('DELETE FROM mention WHERE report_id = $1 AND ordinal = $2', [m.reportId, m.ordinal]);
        // (an id used before, by an event since merged away, comes back to life)
        const old = await one<{ id: string }>(db, 'SELECT id FROM event WHERE id = $1', [id]);
        if (old) {
          await this.insertMention(db, m.reportId, m.ordinal, id, row.record);
          await db.query("UPDATE event SET status = 'active', merged_into = NULL WHERE id = $1", [id]);
          await this.refresh(db, id, at);
          await this.change(db, id, 'split', eventId, at);
        } else await this.create(db, id, { id: m.reportId }, e, m.ordinal, at, eventId);
        created.push(id);
      }
      await db.query('UPDATE merge SET undone = true WHERE event_id = $1 AND NOT undone', [eventId]);
      if (created.length) {
        await this.refresh(db, eventId, at);
        await this.change(db, eventId, 'updated', null, at);
        await this.logAudit(db, at, eventId, who, 'split', null, null, created, null);
      }
      return created;
    });
  }

  async reportIds(): Promise<string[]> {
    return (await all<{ id: string }>(this.pool, 'SELECT id FROM report ORDER BY seq')).map((r) => r.id);
  }

  reextract(reportId: string, events: readonly EventRecord[]): Promise<ReextractOutcome> {
    return this.write(async (db) => {
      const at = this.now();
      const report = await one<{ id: string; text: string }>(db, 'SELECT id, text FROM report WHERE id = $1', [reportId]);
      if (!report) throw new Error(`no report ${reportId} in the store`);
      const old = await all<{ ordinal: number; event_id: string; record: string }>(db, 'SELECT ordinal, event_id, record FROM mention WHERE report_id = $1 ORDER BY ordinal', [reportId]);
      const continued = continuedAccounts(old.map((m) => JSON.parse(m.record) as EventRecord), events);
      const kept: string[] = [];
      const added: string[] = [];
      const own = new Set<string>();
      // the accounts that go on: their canonical events keep their ids, and take the new reading
      for (const [i, j] of continued.entries()) {
        if (j < 0) continue;
        const m = old[j]!;
        if (m.record !== JSON.stringify(events[i])) {
          await db.query('UPDATE mention SET record = $1 WHERE report_id = $2 AND ordinal = $3', [JSON.stringify(events[i]), reportId, m.ordinal]);
          await this.refresh(db, m.event_id, at);
          await this.change(db, m.event_id, 'updated', null, at);
        }
        kept.push(m.event_id);
        own.add(m.event_id);
      }
      // the accounts no longer read leave their events
      const left: string[] = [];
      for (const [j, m] of old.entries()) {
        if (continued.includes(j)) continue;
        await db.query('DELETE FROM mention WHERE report_id = $1 AND ordinal = $2', [reportId, m.ordinal]);
        await this.refresh(db, m.event_id, at);
        left.push(m.event_id);
      }
      // new accounts are filed as ingest files them, under ordinals the report has not used
      let next = Math.max(-1, ...old.map((m) => m.ordinal)) + 1;
      const words = contentWords(report.text);
      const doc = { id: reportId } as Document;
      for (const [i, j] of continued.entries()) {
        if (j >= 0) continue;
        const e = events[i]!;
        const ordinal = next++;
        const match = await this.bestMatch(db, e, own, words);
        if (match) {
          await this.join(db, match.row, doc, e, ordinal, match.score, match.reasons, at);
          added.push(match.row.id);
        } else {
          const id = canonicalId(reportId, ordinal);
          await this.create(db, id, doc, e, ordinal, at);
          added.push(id);
        }
        own.add(added[added.length - 1]!);
      }
      return { kept, added, left };
    });
  }

  async counts(): Promise<StoreCounts> {
    const r = await one<{ reports: string; mentions: string; events: string }>(
      this.pool,
      "SELECT (SELECT count(*) FROM report) AS reports, (SELECT count(*) FROM mention) AS mentions, (SELECT count(*) FROM event WHERE status = 'active') AS events",
    );
    return { reports: Number(r?.reports ?? 0), mentions: Number(r?.mentions ?? 0), events: Number(r?.events ?? 0) };
  }

  /** End the pool (once: a second close is a no-op, so a test's cleanup may close what a test closed). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }
}

/**
 * A pool whose connections start with the schema named on the search path, and `settings` (each
 * `name=value`): run-time parameters of the connection's start, so no query waits on a SET.
 */
function connectPool(url: string, schema: string | undefined, settings: readonly string[]): pg.Pool {
  const all = [...(schema === undefined ? [] : [`search_path=${pg.escapeIdentifier(schema)}`]), ...settings];
  // (in the startup packet's options, a space or a backslash in a value is escaped with a backslash)
  let options = all.map((s) => `-c ${s.replace(/[\\ ]/g, '\\$&')}`).join(' ');
  // (options the URL gives go first, and ours after them: the URL's would otherwise replace ours whole)
  let connectionString = url;
  try {
    const u = new URL(url);
    const given = u.searchParams.get('options');
    if (given) {
      u.searchParams.delete('options');
      connectionString = u.toString();
      options = `${given} ${options}`.trim();
    }
  } catch {
    // (not a URL: a keyword/value string, given to the driver as it is)
  }
  const pool = new pg.Pool({ connectionString, ...(options ? { options } : {}) });
  // (an idle connection the server dropped: the pool discards it and the next query opens another, or
  // fails where it can be seen; unheard, the event would end the process)
  pool.on('error', () => {});
  return pool;
}

/** Another writer holds a lock a transaction that does not wait wanted: it was rolled back, having done nothing. */
/** An event a transaction joins changed after it read it: another writer joined it first. */
class FilingConflict extends Error {
  constructor(eventId: string) {
    super(`event ${eventId} changed while it was being joined`);
  }
}

class LocksBusy extends Error {
  constructor() {
    super('another writer holds the locks');
  }
}

/**
 * Apply the migrations the database has not seen, in one transaction under an advisory lock: processes
 * that start together wait for the first, then find its migrations recorded and apply none (DDL is
 * transactional in PostgreSQL, so a failed migration leaves nothing half made). Returns the schema the
 * store's tables are in.
 */
async function migrate(pool: pg.Pool, schema: string | undefined, now: () => string): Promise<string> {
  return locked(pool, async (client) => {
    if (schema !== undefined) await client.query(`CREATE SCHEMA IF NOT EXISTS ${pg.escapeIdentifier(schema)}`);
    await client.query('CREATE TABLE IF NOT EXISTS schema_migration (version integer PRIMARY KEY, applied_at text NOT NULL)');
    const done = new Set((await all<{ version: number }>(client, 'SELECT version FROM schema_migration')).map((r) => r.version));
    for (const [i, sql] of MIGRATIONS.entries()) {
      const version = i + 1;
      if (done.has(version)) continue;
      // (no parameters: the simple protocol, which runs a migration's several statements)
      await client.query(sql);
      await client.query('INSERT INTO schema_migration (version, applied_at) VALUES ($1, $2)', [version, now()]);
    }
    const current = await one<{ schema: string | null }>(client, 'SELECT current_schema() AS schema');
    if (!current?.schema) throw new Error('no schema to keep the event store in (the search_path names none that exists)');
    return current.schema;
  }, { exclusive: [MIGRATE_LOCK] });
}

/**
 * Run `work` in a transaction that first takes the advisory lock `key` (released at commit or rollback).
 * A connection that could not roll back is closed, not handed to the next caller.
 */
/**
 * A transaction under advisory locks: `key` exclusive, or, with `shared` keys, `key` shared and each
 * of `shared` exclusive, taken in sorted order (two writers taking overlapping sets in one order never
 * wait on each other in a circle).
 */
async function locked<T>(pool: pg.Pool, work: (db: Db) => Promise<T>, locks: { shared?: readonly string[]; exclusive?: readonly string[] }, wait = true): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    // (the transaction and its locks in one round trip: the simple protocol runs several statements, and
    // takes no parameters, so the keys, the store's own names, country codes and dates, are quoted literals)
    const lock = (k: string, shared: boolean): string => `pg_${wait ? '' : 'try_'}advisory_xact_lock${shared ? '_shared' : ''}(hashtextextended(${pg.escapeLiteral(k)}, 0))`;
    const keys = [...[...new Set(locks.shared)].map((k) => lock(k, true)), ...[...new Set(locks.exclusive)].sort().map((k) => lock(k, false))];
    // (one SELECT: PostgreSQL evaluates a target list in its order, so the locks are taken in the order given)
    if (wait) await client.query(`BEGIN; SELECT ${keys.join(', ')}`);
    else {
      // (each lock tried in turn, none after the first refused; those taken go with the rollback)
      const results = (await client.query(`BEGIN; SELECT ${keys.join(' AND ')} AS free`)) as unknown as pg.QueryResult[];
      if (results[1]?.rows[0]?.free !== true) throw new LocksBusy();
    }
    const out = await work(client);
    await client.query('COMMIT');
    return out;
  } catch (err) {
    await client.query('ROLLBACK').catch((e: unknown) => {
      broken = e instanceof Error ? e : new Error(String(e));
    });
    throw err;
  } finally {
    client.release(broken);
  }
}
