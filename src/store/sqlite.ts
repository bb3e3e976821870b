// The SQLite event store: one file (`./sitrep.db` by default) in write-ahead-log mode, so a reader never
// waits for the ingest and a process killed mid-batch loses only the batch it had not committed.
// Reports are searchable by their text (FTS5); canonical events by date, kind, country (indexes) and
// place (an R*Tree of their points). Schema changes are numbered migrations, applied once.
import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import { describeOrigin, type Document } from '../document.js';
import type { EventRecord, Message } from '../schema.js';
import { candidateWindows, canonicalRecord, contentWords, judge, leadsBefore, mergeScore, tollOf, withAccounts, wordRarity, type LeadReport, type Toll } from './dedup.js';
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

const MIGRATIONS: readonly string[] = [
  // 1: reports, mentions, canonical events, merges and changes
  `CREATE TABLE report (
     rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, content_hash TEXT NOT NULL UNIQUE, url TEXT,
     source TEXT, title TEXT, date TEXT, text TEXT NOT NULL, origin TEXT NOT NULL, messages TEXT NOT NULL,
     ingested_at TEXT NOT NULL);
   CREATE UNIQUE INDEX report_url ON report(url) WHERE url IS NOT NULL;
   CREATE VIRTUAL TABLE report_fts USING fts5(text, content='report', content_rowid='rowid');
   CREATE TABLE event (
     rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE, status TEXT NOT NULL DEFAULT 'active', merged_into TEXT,
     event_date TEXT, event_type TEXT NOT NULL, sub_event_type TEXT NOT NULL, iso2 TEXT, country TEXT,
     latitude REAL, longitude REAL, record TEXT NOT NULL, created_at TEXT NOT NULL, updated_at TEXT NOT NULL);
   CREATE INDEX event_when ON event(event_date, event_type) WHERE status = 'active';
   CREATE INDEX event_where ON event(iso2, event_date) WHERE status = 'active';
   CREATE VIRTUAL TABLE event_point USING rtree(rowid, min_lon, max_lon, min_lat, max_lat);
   CREATE TABLE mention (
     report_id TEXT NOT NULL, ordinal INTEGER NOT NULL, event_id TEXT NOT NULL, record TEXT NOT NULL,
     PRIMARY KEY (report_id, ordinal));
   CREATE INDEX mention_event ON mention(event_id);
   CREATE TABLE merge (
     seq INTEGER PRIMARY KEY, event_id TEXT NOT NULL, report_id TEXT NOT NULL, ordinal INTEGER NOT NULL,
     score REAL NOT NULL, reasons TEXT NOT NULL, at TEXT NOT NULL, undone INTEGER NOT NULL DEFAULT 0);
   CREATE INDEX merge_event ON merge(event_id);
   CREATE TABLE change (
     seq INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, event_id TEXT NOT NULL, kind TEXT NOT NULL, survivor TEXT);
   CREATE INDEX change_at ON change(at);`,
  // 2: how many reports use each word, for the rarity of the words two accounts share
  `CREATE TABLE word_df (word TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;`,
  // 3: the precision of an event's date beside the date, so candidates are found by country and day
  `ALTER TABLE event ADD COLUMN time_precision INTEGER;
   UPDATE event SET time_precision = json_extract(record, '$.time_precision');
   CREATE INDEX event_coarse ON event(iso2, event_date) WHERE status = 'active' AND time_precision > 1;`,
  // 4: the analyst's commonest question (a kind of event, some months, a box) answered from one index
  `CREATE INDEX event_type_when_where ON event(event_type, event_date, latitude, longitude) WHERE status = 'active';
   CREATE INDEX event_when_where ON event(event_date, latitude, longitude) WHERE status = 'active';`,
  // 5: a version that changes with an event's record, so dedup reads a candidate's record only when its
  // parsed copy is stale; and the tolls of its accounts, so a join reconciles them without reading them all
  `ALTER TABLE event ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
   ALTER TABLE event ADD COLUMN tolls TEXT;`,
  // 6: the analyst's review (status, corrections, an audit log), and the fields the workbench filters
  // and lists by beside the record, so a list of 100,000 events parses no JSON
  `ALTER TABLE event ADD COLUMN admin1 TEXT;
   ALTER TABLE event ADD COLUMN actor1 TEXT;
   ALTER TABLE event ADD COLUMN actor2 TEXT;
   ALTER TABLE event ADD COLUMN location TEXT;
   ALTER TABLE event ADD COLUMN fatalities INTEGER;
   ALTER TABLE event ADD COLUMN confidence REAL;
   ALTER TABLE event ADD COLUMN review TEXT NOT NULL DEFAULT 'unreviewed';
   ALTER TABLE event ADD COLUMN overrides TEXT;
   -- (all the copied columns: before this, a record made again kept its first date and place in them)
   UPDATE event SET admin1 = json_extract(record, '$.admin1'), actor1 = json_extract(record, '$.actor1'), actor2 = json_extract(record, '$.actor2'),
     location = json_extract(record, '$.location'), fatalities = json_extract(record, '$.fatalities'), confidence = json_extract(record, '$.confidence'),
     event_date = json_extract(record, '$.event_date'), time_precision = json_extract(record, '$.time_precision'), event_type = json_extract(record, '$.event_type'),
     sub_event_type = json_extract(record, '$.sub_event_type'), iso2 = json_extract(record, '$.iso2'), country = json_extract(record, '$.country'),
     latitude = json_extract(record, '$.latitude'), longitude = json_extract(record, '$.longitude');
   DELETE FROM event_point;
   INSERT INTO event_point SELECT rowid, longitude, longitude, latitude, latitude FROM event WHERE latitude IS NOT NULL AND longitude IS NOT NULL;
   CREATE TABLE audit (
     seq INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, event_id TEXT NOT NULL, who TEXT NOT NULL, action TEXT NOT NULL,
     field TEXT, before TEXT, after TEXT, note TEXT);
   CREATE INDEX audit_event ON audit(event_id);`,
  // 7: no word counts: dedup weighs words by their rarity in a fixed reference (`wordRarity`), which
  // makes a decision independent of what the store held when it was made
  `DROP TABLE word_df;`,
];

/** The columns an event's record is copied to, in the order `RECORD_COLUMNS` names them. */
const RECORD_COLUMNS = ['event_date', 'time_precision', 'event_type', 'sub_event_type', 'iso2', 'country', 'latitude', 'longitude', 'admin1', 'actor1', 'actor2', 'location', 'fatalities', 'confidence'] as const;

function columnsOf(e: EventRecord): (string | number | null)[] {
  return RECORD_COLUMNS.map((c) => e[c]);
}

/** The content hash of a report: its text with whitespace runs made one, so a re-saved copy is the same report. */
export function contentHash(text: string): string {
  return createHash('sha256').update(text.replace(/\s+/g, ' ').trim()).digest('hex');
}

/** A canonical event's id: stable, made once from the report and ordinal that first told it. */
export function canonicalId(reportId: string, ordinal: number): string {
  return `ev-${createHash('sha256').update(`${reportId}#${ordinal}`).digest('hex').slice(0, 16)}`;
}

interface EventRow {
  rowid: number;
  id: string;
  version: number;
}

export class SqliteStore implements EventStore {
  private readonly db: Database.Database;
  private readonly now: () => string;
  private readonly statements = new Map<string, Database.Statement>();
  private readonly parsed = new ParsedRecords();
  // (the words of reports recently compared: a day's reports are compared again and again)
  private readonly wordsMemo = new Map<string, LeadReport>();
  private readonly sql: Record<'candidates' | 'coarseCandidates' | 'record' | 'reportText' | 'insertMention', Database.Statement>;

  constructor(file: string, opts: { now?: () => string } = {}) {
    this.db = new Database(file);
    this.db.pragma('journal_mode = WAL');
    // durable against a killed process (the log is written before commit returns); a power cut may lose
    // the last transactions, never corrupt the file
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 10000');
    this.now = opts.now ?? (() => new Date().toISOString());
    this.migrate();
    this.sql = {
      candidates: this.db.prepare(`SELECT rowid, id, version FROM event WHERE status = 'active' AND iso2 IS ? AND event_date BETWEEN ? AND ?`),
      coarseCandidates: this.db.prepare(`SELECT rowid, id, version FROM event WHERE status = 'active' AND time_precision > 1 AND iso2 IS ? AND event_date BETWEEN ? AND ?`),
      record: this.db.prepare('SELECT record FROM event WHERE rowid = ?').pluck(),
      reportText: this.db.prepare('SELECT text, date FROM report WHERE id = ?'),
      insertMention: this.db.prepare('INSERT INTO mention VALUES (?,?,?,?)'),
    };
  }

  /** Apply the migrations this file has not seen, each in its own transaction. */
  private migrate(): void {
    this.db.exec('CREATE TABLE IF NOT EXISTS schema_migration (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
    const done = new Set((this.db.prepare('SELECT version FROM schema_migration').all() as { version: number }[]).map((r) => r.version));
    MIGRATIONS.forEach((sql, i) => {
      const version = i + 1;
      if (done.has(version)) return;
      this.db.transaction(() => {
        this.db.exec(sql);
        this.db.prepare('INSERT INTO schema_migration VALUES (?, ?)').run(version, this.now());
      }).immediate();
    });
  }

  /** A prepared statement, made once: preparing costs more than running the small ones. */
  private stmt(sql: string): Database.Statement {
    let st = this.statements.get(sql);
    if (!st) {
      st = this.db.prepare(sql);
      this.statements.set(sql, st);
    }
    return st;
  }

  hasReport(doc: Pick<Document, 'id' | 'text' | 'url'>): boolean {
    return this.findReport(doc) !== undefined;
  }

  hasReports(docs: readonly Pick<Document, 'id' | 'text' | 'url'>[]): boolean[] {
    return docs.map((d) => this.hasReport(d));
  }

  private findReport(doc: Pick<Document, 'id' | 'text' | 'url'>, hash = contentHash(doc.text)): { id: string } | undefined {
    return this.stmt('SELECT id FROM report WHERE id = ? OR content_hash = ? OR (url IS NOT NULL AND url = ?) LIMIT 1').get(doc.id, hash, doc.url ?? null) as { id: string } | undefined;
  }

  addReport(doc: Document, events: readonly EventRecord[], messages: readonly Message[]): AddOutcome {
    return this.addReports([{ doc, events, messages }])[0]!;
  }

  addReports(batch: readonly { doc: Document; events: readonly EventRecord[]; messages: readonly Message[] }[]): AddOutcome[] {
    return this.db
      .transaction(() => {
        const out = batch.map(({ doc, events, messages }) => this.addOne(doc, events, messages));
        return out;
      })
      .immediate();
  }

  private addOne(doc: Document, events: readonly EventRecord[], messages: readonly Message[]): AddOutcome {
    const hash = contentHash(doc.text);
    if (this.findReport(doc, hash)) return { status: 'duplicate', events: [] };
    const at = this.now();
    const info = this
      .stmt('INSERT INTO report (id, content_hash, url, source, title, date, text, origin, messages, ingested_at) VALUES (?,?,?,?,?,?,?,?,?,?)')
      .run(doc.id, hash, doc.url ?? null, doc.source ?? null, doc.title ?? null, doc.date, doc.text, describeOrigin(doc.origin), JSON.stringify(messages), at);
    this.stmt('INSERT INTO report_fts (rowid, text) VALUES (?, ?)').run(info.lastInsertRowid, doc.text);
    const words = contentWords(doc.text);
    const filed: { eventId: string; merged: boolean; score: number | null }[] = [];
    const ownEvents = new Set<string>();
    events.forEach((e, ordinal) => {
      // (a report's own events are distinct incidents: never two of them in one canonical event)
      const match = this.bestMatch(e, ownEvents, words);
      if (match) {
        this.join(match.row, doc, e, ordinal, match.score, match.reasons, at);
        filed.push({ eventId: match.row.id, merged: true, score: match.score });
        ownEvents.add(match.row.id);
      } else {
        const id = canonicalId(doc.id, ordinal);
        this.create(id, doc, e, ordinal, at);
        filed.push({ eventId: id, merged: false, score: null });
        ownEvents.add(id);
      }
    });
    return { status: 'stored', events: filed };
  }

  /** The stored event an incoming one is most likely a retelling of, if any scores above the threshold. */
  private bestMatch(e: EventRecord, exclude: ReadonlySet<string>, words: ReadonlySet<string>): { row: EventRow; score: number; reasons: readonly string[] } | null {
    if (!e.event_date) return null;
    const { near, coarse } = candidateWindows(e.event_date, e.time_precision);
    const rows = [...(this.sql.candidates.all(e.iso2, ...near) as EventRow[]), ...(coarse ? (this.sql.coarseCandidates.all(e.iso2, ...coarse) as EventRow[]) : [])];
    let best: { row: EventRow; score: number; reasons: readonly string[] } | null = null;
    for (const row of rows) {
      if (exclude.has(row.id)) continue;
      const stored = this.parse(row);
      // (the stored event's words only for a candidate whose fields allow it)
      const fields = mergeScore(stored, e);
      if (!fields) continue;
      const s = judge(fields, stored.event_date !== e.event_date, words, stored.sources[0] ? this.leadReport(stored.sources[0]).words : new Set(), wordRarity);
      if (s && (!best || s.score > best.score)) best = { row, score: s.score, reasons: s.reasons };
    }
    return best;
  }

  private parse(row: EventRow): EventRecord {
    return this.parsed.get(row.id, row.version, () => this.sql.record.get(row.rowid) as string);
  }

  /** A report that leads an event (see `leadsBefore`): its words, to compare newcomers with, and its date. */
  private leadReport(id: string): LeadReport {
    let hit = this.wordsMemo.get(id);
    if (!hit) {
      const row = this.sql.reportText.get(id) as { text: string; date: string | null } | undefined;
      hit = { words: row ? contentWords(row.text) : new Set(), date: row?.date ?? null };
      keepRoom(this.wordsMemo, 5_000);
      this.wordsMemo.set(id, hit);
    }
    return hit;
  }

  private create(id: string, doc: Document, e: EventRecord, ordinal: number, at: string, splitFrom: string | null = null): void {
    const record: EventRecord = { ...e, event_id: id, sources: [doc.id] };
    const info = this
      .stmt(`INSERT INTO event (id, ${RECORD_COLUMNS.join(', ')}, record, tolls, created_at, updated_at) VALUES (?, ${RECORD_COLUMNS.map(() => '?').join(', ')}, ?,?,?,?)`)
      .run(id, ...columnsOf(record), JSON.stringify(record), JSON.stringify([tollOf(e)]), at, at);
    if (e.latitude !== null && e.longitude !== null) this.stmt('INSERT INTO event_point VALUES (?,?,?,?,?)').run(info.lastInsertRowid, e.longitude, e.longitude, e.latitude, e.latitude);
    this.stmt('INSERT INTO mention VALUES (?,?,?,?)').run(doc.id, ordinal, id, JSON.stringify(e));
    this.change(id, splitFrom ? 'split' : 'created', splitFrom, at);
  }

  /** File a mention under a stored event: its sources grow and the tolls of its reports are reconciled. */
  private join(row: EventRow, doc: Document, e: EventRecord, ordinal: number, score: number, reasons: readonly string[], at: string): void {
    this.stmt('INSERT INTO mention VALUES (?,?,?,?)').run(doc.id, ordinal, row.id, JSON.stringify(e));
    this.stmt('INSERT INTO merge (event_id, report_id, ordinal, score, reasons, at) VALUES (?,?,?,?,?,?)').run(row.id, doc.id, ordinal, score, JSON.stringify(reasons), at);
    const { tolls, overrides } = this.stmt('SELECT tolls, overrides FROM event WHERE rowid = ?').get(row.rowid) as { tolls: string | null; overrides: string | null };
    // (an event filed before the tolls were kept is rebuilt from all its accounts, once)
    if (tolls === null) this.refresh(row.id, at);
    else {
      const stored = this.parse(row);
      const all = [...(JSON.parse(tolls) as Toll[]), tollOf(e)];
      // (the newcomer takes the lead if its report is the earlier: the record is then its fields)
      const leads = stored.sources[0] !== undefined && leadsBefore({ date: doc.date, reportId: doc.id }, { date: this.leadReport(stored.sources[0]).date, reportId: stored.sources[0] });
      // (the analyst's corrections are laid over again: the toll, for one, is made anew here)
      const record = withReview(withAccounts(row.id, leads ? e : stored, leads ? [doc.id, ...stored.sources] : [...stored.sources, doc.id], all), overrides ? (JSON.parse(overrides) as Record<string, unknown>) : null);
      this.saveRecord(row.rowid, record, at, all, stored);
    }
    this.change(row.id, 'updated', null, at);
  }

  /** Rebuild a canonical event's record from its mentions: the first mention's fields, every source, the reconciled toll. */
  private refresh(id: string, at: string): void {
    const mentions = (
      this.stmt('SELECT m.report_id, m.ordinal, r.date, m.record FROM mention m JOIN report r ON r.id = m.report_id WHERE m.event_id = ? ORDER BY m.rowid').all(id) as { report_id: string; ordinal: number; date: string | null; record: string }[]
    ).map((m) => ({ reportId: m.report_id, ordinal: m.ordinal, date: m.date, event: JSON.parse(m.record) as EventRecord }));
    if (mentions.length === 0) {
      this.stmt("UPDATE event SET status = 'deleted', updated_at = ? WHERE id = ?").run(at, id);
      this.change(id, 'deleted', null, at);
      return;
    }
    const row = this.stmt('SELECT rowid, overrides FROM event WHERE id = ?').get(id) as { rowid: number; overrides: string | null };
    const record = withReview(canonicalRecord(id, mentions), row.overrides ? (JSON.parse(row.overrides) as Record<string, unknown>) : null);
    this.saveRecord(row.rowid, record, at, mentions.map((m) => tollOf(m.event)));
  }

  /**
   * Write an event's record and the columns copied from it; its point moves only when its place did
   * (`before`, the record it replaces, when the caller has it).
   */
  private saveRecord(rowid: number, record: EventRecord, at: string, tolls: readonly Toll[] | null, before?: EventRecord): void {
    this.stmt(`UPDATE event SET ${RECORD_COLUMNS.map((c) => `${c} = ?`).join(', ')}, record = ?, tolls = coalesce(?, tolls), version = version + 1, updated_at = ? WHERE rowid = ?`).run(
      ...columnsOf(record),
      JSON.stringify(record),
      tolls ? JSON.stringify(tolls) : null,
      at,
      rowid,
    );
    if (before && before.latitude === record.latitude && before.longitude === record.longitude) return;
    this.stmt('DELETE FROM event_point WHERE rowid = ?').run(rowid);
    if (record.latitude !== null && record.longitude !== null) this.stmt('INSERT INTO event_point VALUES (?,?,?,?,?)').run(rowid, record.longitude, record.longitude, record.latitude, record.latitude);
  }

  private change(eventId: string, kind: Change['kind'], survivor: string | null, at: string): void {
    this.stmt('INSERT INTO change (at, event_id, kind, survivor) VALUES (?,?,?,?)').run(at, eventId, kind, survivor);
  }

  event(id: string): StoredEvent | null {
    const row = this.stmt('SELECT record, status, merged_into, review FROM event WHERE id = ?').get(id) as { record: string; status: string; merged_into: string | null; review: ReviewStatus } | undefined;
    if (!row) return null;
    if (row.status === 'merged' && row.merged_into) return this.event(row.merged_into);
    return row.status === 'active' ? { ...(JSON.parse(row.record) as EventRecord), review: row.review } : null;
  }

  /** The FROM and WHERE of a filtered list of events, with its arguments, bound (never spliced in). */
  private selection(filter: EventFilter): { from: string; where: string; args: (string | number)[] } {
    const where: string[] = ["e.status = 'active'"];
    const args: (string | number)[] = [];
    let from = 'event e';
    if (filter.bbox) {
      const [minLon, minLat, maxLon, maxLat] = filter.bbox;
      // a box alone is the R*Tree's question; with a kind or dates, the index on (kind, date, point) narrows
      // faster than a box around a busy region does
      if (filter.type || filter.from || filter.to) {
        where.push('e.latitude BETWEEN ? AND ? AND e.longitude BETWEEN ? AND ?');
        args.push(minLat, maxLat, minLon, maxLon);
      } else {
        from = 'event_point p JOIN event e ON e.rowid = p.rowid';
        where.push('p.min_lon >= ? AND p.max_lon <= ? AND p.min_lat >= ? AND p.max_lat <= ?');
        args.push(minLon, maxLon, minLat, maxLat);
      }
    }
    const like = (x: string): string => `%${x.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    if (filter.from) (where.push('e.event_date >= ?'), args.push(filter.from));
    if (filter.to) (where.push('e.event_date <= ?'), args.push(filter.to));
    if (filter.type) (where.push('e.event_type = ?'), args.push(filter.type));
    if (filter.subType) (where.push('e.sub_event_type = ?'), args.push(filter.subType));
    if (filter.country) (where.push('(e.iso2 = ? OR e.country = ?)'), args.push(filter.country.toUpperCase(), filter.country));
    if (filter.admin1) (where.push('e.admin1 = ?'), args.push(filter.admin1));
    if (filter.actor) (where.push("(e.actor1 LIKE ? ESCAPE '\\' OR e.actor2 LIKE ? ESCAPE '\\')"), args.push(like(filter.actor), like(filter.actor)));
    if (filter.minConfidence !== undefined) (where.push('e.confidence >= ?'), args.push(filter.minConfidence));
    if (filter.review === undefined) where.push("e.review <> 'rejected'");
    else if (filter.review !== 'all') (where.push('e.review = ?'), args.push(filter.review));
    const terms = filter.q ? searchTerms(filter.q) : [];
    if (terms.length) {
      where.push('e.id IN (SELECT m.event_id FROM mention m JOIN report r ON r.id = m.report_id WHERE r.rowid IN (SELECT rowid FROM report_fts WHERE report_fts MATCH ?))');
      args.push(terms.map((t) => `"${t}"`).join(' '));
    }
    return { from, where: where.join(' AND '), args };
  }

  private static readonly ORDER: Record<NonNullable<EventFilter['sort']>, string> = {
    date: 'e.event_date, e.rowid',
    '-date': 'e.event_date DESC, e.rowid DESC',
    fatalities: 'e.fatalities, e.rowid',
    '-fatalities': 'e.fatalities DESC, e.rowid',
    confidence: 'e.confidence, e.rowid',
    '-confidence': 'e.confidence DESC, e.rowid',
  };

  events(filter: EventFilter): StoredEvent[] {
    const { from, where, args } = this.selection(filter);
    const sql = `SELECT e.record, e.review FROM ${from} WHERE ${where} ORDER BY ${SqliteStore.ORDER[filter.sort ?? 'date']} LIMIT ? OFFSET ?`;
    return (this.stmt(sql).all(...args, filter.limit ?? -1, filter.offset ?? 0) as { record: string; review: ReviewStatus }[]).map((r) => ({ ...(JSON.parse(r.record) as EventRecord), review: r.review }));
  }

  countEvents(filter: EventFilter): number {
    const { from, where, args } = this.selection(filter);
    return this.stmt(`SELECT count(*) FROM ${from} WHERE ${where}`).pluck().get(...args) as number;
  }

  compactEvents(filter: EventFilter): CompactRow[] {
    const { from, where, args } = this.selection(filter);
    const sql = `SELECT e.id, e.event_date, e.event_type, e.sub_event_type, e.latitude, e.longitude, e.fatalities, e.location, e.country, e.actor1, e.actor2, e.confidence, e.review FROM ${from} WHERE ${where} ORDER BY ${SqliteStore.ORDER[filter.sort ?? 'date']} LIMIT ? OFFSET ?`;
    return this.stmt(sql).raw(true).all(...args, filter.limit ?? -1, filter.offset ?? 0) as CompactRow[];
  }

  accounts(eventId: string): Account[] {
    return (this.stmt('SELECT report_id, ordinal, record FROM mention WHERE event_id = ? ORDER BY rowid').all(eventId) as { report_id: string; ordinal: number; record: string }[]).map((m) => ({ reportId: m.report_id, ordinal: m.ordinal, event: JSON.parse(m.record) as EventRecord }));
  }

  review(eventId: string, action: ReviewAction, who: string, note: string | null = null): StoredEvent {
    return this.db
      .transaction(() => {
        const at = this.now();
        const row = this.stmt("SELECT rowid, id, record, review, overrides FROM event WHERE id = ? AND status = 'active'").get(eventId) as { rowid: number; id: string; record: string; review: ReviewStatus; overrides: string | null } | undefined;
        if (!row) throw new Error(`no active event ${eventId} in the store`);
        if (action.action === 'edit') {
          const overrides = { ...(row.overrides ? (JSON.parse(row.overrides) as Record<string, unknown>) : {}), [action.field]: action.value };
          const before = (JSON.parse(row.record) as Record<string, unknown>)[action.field] ?? null;
          this.stmt('UPDATE event SET overrides = ? WHERE rowid = ?').run(JSON.stringify(overrides), row.rowid);
          this.refresh(row.id, at);
          this.logAudit(at, row.id, who, 'edit', action.field, before, action.value, note);
        } else {
          const status: ReviewStatus = action.action === 'confirm' ? 'confirmed' : 'rejected';
          this.stmt('UPDATE event SET review = ?, version = version + 1, updated_at = ? WHERE rowid = ?').run(status, at, row.rowid);
          this.logAudit(at, row.id, who, action.action, null, row.review, status, note);
        }
        this.change(row.id, 'updated', null, at);
        return this.event(row.id)!;
      })
      .immediate();
  }

  private logAudit(at: string, eventId: string, who: string, action: AuditEntry['action'], field: string | null, before: unknown, after: unknown, note: string | null): void {
    this.stmt('INSERT INTO audit (at, event_id, who, action, field, before, after, note) VALUES (?,?,?,?,?,?,?,?)').run(at, eventId, who, action, field, JSON.stringify(before ?? null), JSON.stringify(after ?? null), note);
  }

  audit(eventId: string): AuditEntry[] {
    return (this.stmt('SELECT * FROM audit WHERE event_id = ? ORDER BY seq').all(eventId) as { seq: number; at: string; event_id: string; who: string; action: AuditEntry['action']; field: string | null; before: string; after: string; note: string | null }[]).map((a) => ({
      seq: a.seq,
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

  lastChangeSeq(): number {
    return (this.stmt('SELECT max(seq) FROM change').pluck().get() as number | null) ?? 0;
  }

  changesAfter(seq: number, limit = 1000): Change[] {
    return (this.stmt('SELECT * FROM change WHERE seq > ? ORDER BY seq LIMIT ?').all(seq, limit) as { seq: number; at: string; event_id: string; kind: Change['kind']; survivor: string | null }[]).map((c) => ({ seq: c.seq, at: c.at, eventId: c.event_id, kind: c.kind, survivor: c.survivor }));
  }

  report(id: string): StoredReport | null {
    const r = this.stmt('SELECT * FROM report WHERE id = ?').get(id) as Record<string, string | null> | undefined;
    if (!r) return null;
    return { id: r.id!, contentHash: r.content_hash!, url: r.url ?? null, source: r.source ?? null, title: r.title ?? null, date: r.date ?? null, text: r.text!, origin: r.origin!, ingestedAt: r.ingested_at! };
  }

  merges(eventId: string): Merge[] {
    return (this.stmt('SELECT * FROM merge WHERE event_id = ? AND undone = 0 ORDER BY seq').all(eventId) as { event_id: string; report_id: string; ordinal: number; score: number; reasons: string; at: string }[]).map((m) => ({
      eventId: m.event_id,
      reportId: m.report_id,
      ordinal: m.ordinal,
      score: m.score,
      reasons: JSON.parse(m.reasons) as string[],
      at: m.at,
    }));
  }

  changes(since: string): Change[] {
    return (this.stmt('SELECT * FROM change WHERE at >= ? ORDER BY seq').all(since) as { seq: number; at: string; event_id: string; kind: Change['kind']; survivor: string | null }[]).map((c) => ({ seq: c.seq, at: c.at, eventId: c.event_id, kind: c.kind, survivor: c.survivor }));
  }

  split(eventId: string, who = 'analyst'): string[] {
    return this.db
      .transaction(() => {
        const at = this.now();
        const merges = this.merges(eventId);
        const created: string[] = [];
        for (const m of merges) {
          const row = this.stmt('SELECT record FROM mention WHERE report_id = ? AND ordinal = ?').get(m.reportId, m.ordinal) as { record: string } | undefined;
          if (!row) continue;
          const e = JSON.parse(row.record) as EventRecord;
          const id = canonicalId(m.reportId, m.ordinal);
          this.stmt('DELETE FROM mention WHERE report_id = ? AND ordinal = ?').run(m.reportId, m.ordinal);
          const doc = { id: m.reportId } as Document;
          // (an id used before, by an event since merged away, comes back to life)
          const old = this.stmt('SELECT rowid FROM event WHERE id = ?').get(id) as { rowid: number } | undefined;
          if (old) {
            this.stmt('INSERT INTO mention VALUES (?,?,?,?)').run(m.reportId, m.ordinal, id, row.record);
            this.stmt("UPDATE event SET status = 'active', merged_into = NULL WHERE id = ?").run(id);
            this.refresh(id, at);
            this.change(id, 'split', eventId, at);
          } else this.create(id, doc, e, m.ordinal, at, eventId);
          created.push(id);
        }
        this.stmt('UPDATE merge SET undone = 1 WHERE event_id = ? AND undone = 0').run(eventId);
        if (created.length) {
          this.refresh(eventId, at);
          this.change(eventId, 'updated', null, at);
          this.logAudit(at, eventId, who, 'split', null, null, created, null);
        }
        return created;
      })
      .immediate();
  }

  merge(survivorId: string, otherIds: readonly string[], reason = 'merged by an analyst', who = 'analyst'): string[] {
    return this.db
      .transaction(() => {
        const at = this.now();
        const active = (id: string): boolean => (this.stmt('SELECT status FROM event WHERE id = ?').pluck().get(id) as string | undefined) === 'active';
        if (!active(survivorId)) throw new Error(`merge: no active event ${survivorId} in the store`);
        const merged: string[] = [];
        for (const other of new Set(otherIds)) {
          if (other === survivorId) continue;
          if (!active(other)) throw new Error(`merge: no active event ${other} in the store`);
          const accounts = this.stmt('SELECT report_id, ordinal FROM mention WHERE event_id = ? ORDER BY rowid').all(other) as { report_id: string; ordinal: number }[];
          this.stmt('UPDATE mention SET event_id = ? WHERE event_id = ?').run(survivorId, other);
          for (const m of accounts) this.stmt('INSERT INTO merge (event_id, report_id, ordinal, score, reasons, at) VALUES (?,?,?,?,?,?)').run(survivorId, m.report_id, m.ordinal, 1, JSON.stringify([`${reason} (from ${other})`]), at);
          // (the other event's own merges now belong to the survivor: a split undoes them there)
          this.stmt('UPDATE merge SET event_id = ? WHERE event_id = ? AND undone = 0').run(survivorId, other);
          this.stmt("UPDATE event SET status = 'merged', merged_into = ?, version = version + 1, updated_at = ? WHERE id = ?").run(survivorId, at, other);
          this.change(other, 'merged', survivorId, at);
          this.logAudit(at, survivorId, who, 'merge', null, null, other, reason);
          merged.push(other);
        }
        if (merged.length) {
          this.refresh(survivorId, at);
          this.change(survivorId, 'updated', null, at);
        }
        return merged;
      })
      .immediate();
  }

  /**
   * Bulk-load synthetic events, for `sitrep bench --query` only: no reports, mentions or dedup, just the
   * rows and points a query reads, fifty thousand a transaction.
   */
  fillSynthetic(n: number, make: (i: number) => Pick<EventRecord, 'event_date' | 'event_type' | 'sub_event_type' | 'latitude' | 'longitude'> & Partial<Pick<EventRecord, 'location' | 'fatalities' | 'confidence'>>): void {
    const at = this.now();
    const insert = this.db.prepare("INSERT INTO event (id, event_date, time_precision, event_type, sub_event_type, iso2, country, latitude, longitude, record, created_at, updated_at, location, fatalities, confidence) VALUES (?,?,1,?,?,NULL,NULL,?,?,?,?,?,?,?,?)");
    const point = this.db.prepare('INSERT INTO event_point VALUES (?,?,?,?,?)');
    for (let from = 0; from < n; from += 50_000) {
      this.db.transaction(() => {
        for (let i = from; i < Math.min(n, from + 50_000); i++) {
          const e = make(i);
          const id = `syn-${i}`;
          const info = insert.run(id, e.event_date, e.event_type, e.sub_event_type, e.latitude, e.longitude, JSON.stringify({ event_id: id, ...e, sources: ['synthetic'] }), at, at, e.location ?? null, e.fatalities ?? 0, e.confidence ?? 0.5);
          point.run(info.lastInsertRowid, e.longitude, e.longitude, e.latitude, e.latitude);
        }
      })();
    }
  }

  reportIds(): string[] {
    return (this.stmt('SELECT id FROM report ORDER BY rowid').all() as { id: string }[]).map((r) => r.id);
  }

  reextract(reportId: string, events: readonly EventRecord[]): ReextractOutcome {
    return this.db
      .transaction(() => {
        const at = this.now();
        const report = this.stmt('SELECT id, text FROM report WHERE id = ?').get(reportId) as { id: string; text: string } | undefined;
        if (!report) throw new Error(`no report ${reportId} in the store`);
        const old = this.stmt('SELECT ordinal, event_id, record FROM mention WHERE report_id = ? ORDER BY ordinal').all(reportId) as { ordinal: number; event_id: string; record: string }[];
        const continued = continuedAccounts(old.map((m) => JSON.parse(m.record) as EventRecord), events);
        const kept: string[] = [];
        const added: string[] = [];
        const own = new Set<string>();
        // the accounts that go on: their canonical events keep their ids, and take the new reading
        continued.forEach((j, i) => {
          if (j < 0) return;
          const m = old[j]!;
          if (m.record !== JSON.stringify(events[i])) {
            this.stmt('UPDATE mention SET record = ? WHERE report_id = ? AND ordinal = ?').run(JSON.stringify(events[i]), reportId, m.ordinal);
            this.refresh(m.event_id, at);
            this.change(m.event_id, 'updated', null, at);
          }
          kept.push(m.event_id);
          own.add(m.event_id);
        });
        // the accounts no longer read leave their events
        const left: string[] = [];
        old.forEach((m, j) => {
          if (continued.includes(j)) return;
          this.stmt('DELETE FROM mention WHERE report_id = ? AND ordinal = ?').run(reportId, m.ordinal);
          this.refresh(m.event_id, at);
          left.push(m.event_id);
        });
        // new accounts are filed as ingest files them, under ordinals the report has not used
        let next = Math.max(-1, ...old.map((m) => m.ordinal)) + 1;
        const words = contentWords(report.text);
        const doc = { id: reportId } as Document;
        continued.forEach((j, i) => {
          if (j >= 0) return;
          const e = events[i]!;
          const ordinal = next++;
          const match = this.bestMatch(e, own, words);
          if (match) {
            this.join(match.row, doc, e, ordinal, match.score, match.reasons, at);
            added.push(match.row.id);
          } else {
            const id = canonicalId(reportId, ordinal);
            this.create(id, doc, e, ordinal, at);
            added.push(id);
          }
          own.add(added[added.length - 1]!);
        });
        return { kept, added, left };
      })
      .immediate();
  }

  counts(): StoreCounts {
    const one = (sql: string): number => (this.stmt(sql).get() as { n: number }).n;
    return { reports: one('SELECT count(*) AS n FROM report'), mentions: one('SELECT count(*) AS n FROM mention'), events: one("SELECT count(*) AS n FROM event WHERE status = 'active'") };
  }

  close(): void {
    this.db.close();
  }
}
