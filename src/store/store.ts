// The event store: reports as read, the events extracted from each (mentions), and the canonical events
// they support, one per real-world incident, with every merge and change recorded. One contract, two
// engines: SQLite (the default, a file beside the analyst) and PostgreSQL (at scale). The contract tests
// in test/store.test.ts hold for both.
import type { Document } from '../document.js';
import { agreement } from '../eval/metrics.js';
import type { EventRecord, Message } from '../schema.js';

/** A report as stored: the text every evidence offset points into, with where it came from. */
export interface StoredReport {
  readonly id: string;
  readonly contentHash: string;
  readonly url: string | null;
  readonly source: string | null;
  readonly title: string | null;
  readonly date: string | null;
  readonly text: string;
  readonly origin: string;
  readonly ingestedAt: string;
}

/** What adding one report did. */
export interface AddOutcome {
  /** 'duplicate': the report (same id, content or URL) was stored already and nothing changed */
  readonly status: 'stored' | 'duplicate';
  /** the canonical event each extracted event was filed under, in the report's order */
  readonly events: readonly { readonly eventId: string; readonly merged: boolean; readonly score: number | null }[];
}

/** What an analyst said of an event: nothing yet, that it is right, or that it is no event. */
export type ReviewStatus = 'unreviewed' | 'confirmed' | 'rejected';
export const REVIEW_STATUSES: readonly ReviewStatus[] = ['unreviewed', 'confirmed', 'rejected'];

/** A canonical event as stored: its record, with the analyst's edits applied, and its review status. */
export type StoredEvent = EventRecord & { readonly review: ReviewStatus };

export const EVENT_SORTS = ['date', '-date', 'fatalities', '-fatalities', 'confidence', '-confidence'] as const;
export type EventSort = (typeof EVENT_SORTS)[number];

export interface EventFilter {
  readonly from?: string;
  readonly to?: string;
  readonly type?: string;
  readonly subType?: string;
  /** a country name or ISO 3166-1 alpha-2 code */
  readonly country?: string;
  readonly admin1?: string;
  /** part of an actor's name, either side, case aside */
  readonly actor?: string;
  /** words the text of a supporting report holds (all of them) */
  readonly q?: string;
  readonly minConfidence?: number;
  /** 'all' includes rejected events, which are left out unless asked for */
  readonly review?: ReviewStatus | 'all';
  /** [minLon, minLat, maxLon, maxLat], as GeoJSON orders a bbox */
  readonly bbox?: readonly [number, number, number, number];
  readonly sort?: EventSort;
  readonly limit?: number;
  readonly offset?: number;
}

/** The columns of a compact event row, for a map, a timeline and a list of 100,000 events. */
export const COMPACT_FIELDS = ['id', 'date', 'type', 'sub_type', 'lat', 'lon', 'fatalities', 'location', 'country', 'actor1', 'actor2', 'confidence', 'review'] as const;
export type CompactRow = [string, string | null, string, string, number | null, number | null, number | null, string | null, string | null, string | null, string | null, number | null, ReviewStatus];

/** The fields an analyst may correct; the rest are made from these or are the machine's own. */
export const EDITABLE_FIELDS = [
  'event_type', 'sub_event_type', 'event_date', 'time_precision', 'actor1', 'assoc_actor_1', 'inter1', 'actor2', 'assoc_actor_2', 'inter2',
  'country', 'iso2', 'admin1', 'admin2', 'location', 'latitude', 'longitude', 'geo_precision', 'fatalities', 'injuries',
] as const;
export type EditableField = (typeof EDITABLE_FIELDS)[number];

/** A review action: confirm, reject, or correct one field (the value already checked against the schema). */
export type ReviewAction = { readonly action: 'confirm' | 'reject' } | { readonly action: 'edit'; readonly field: EditableField; readonly value: unknown };

/** One line of the audit log: who did what to an event, when, and the value before and after. */
export interface AuditEntry {
  readonly seq: number;
  readonly at: string;
  readonly eventId: string;
  readonly who: string;
  readonly action: 'confirm' | 'reject' | 'edit' | 'merge' | 'split';
  readonly field: string | null;
  readonly before: unknown;
  readonly after: unknown;
  readonly note: string | null;
}

/** One report's account of an event, as extracted from it (evidence offsets point into that report). */
export interface Account {
  readonly reportId: string;
  readonly ordinal: number;
  readonly event: EventRecord;
}

/**
 * An event's record with the analyst's corrections laid over it. A corrected field loses the machine's
 * evidence (the words supported the old value) and gains a tag saying who set it; the overlay is applied
 * every time the record is made again, so re-extraction and new reports never undo a review.
 */
export function withReview(record: EventRecord, overrides: Readonly<Record<string, unknown>> | null): EventRecord {
  if (!overrides || Object.keys(overrides).length === 0) return record;
  const evidence = { ...record.evidence } as Record<string, unknown>;
  for (const f of Object.keys(overrides)) delete evidence[f];
  // (an analyst's toll is the toll: the range the reports gave no longer applies)
  const toll = typeof overrides.fatalities === 'number' ? { fatalities_low: overrides.fatalities, fatalities_high: overrides.fatalities } : {};
  return {
    ...record,
    ...overrides,
    ...toll,
    evidence: evidence as EventRecord['evidence'],
    tags: [...record.tags.filter((t) => !t.startsWith('review:edited:')), ...Object.keys(overrides).map((f) => `review:edited:${f}`)],
  };
}

export interface Change {
  readonly seq: number;
  readonly at: string;
  readonly eventId: string;
  readonly kind: 'created' | 'updated' | 'merged' | 'deleted' | 'split';
  /** for 'merged': the id that survives; for 'split': the event the split came out of */
  readonly survivor: string | null;
}

export interface Merge {
  readonly eventId: string;
  readonly reportId: string;
  readonly ordinal: number;
  readonly score: number;
  readonly reasons: readonly string[];
  readonly at: string;
}

export interface ReextractOutcome {
  readonly kept: readonly string[];
  readonly added: readonly string[];
  readonly left: readonly string[];
}

/**
 * Which new account continues which old one of the same report: greedily in the new order, the old
 * account that agrees most (kind, sub-type, date, place, as `matchEvents` weighs them), if it agrees at all.
 */
/** Words for a full-text search, each quoted: a user's `"`, `*`, `-` or `NEAR` is a word, not syntax. */
export function searchTerms(q: string): string[] {
  return (q.normalize('NFKC').match(/[\p{L}\p{N}]+/gu) ?? []).slice(0, 16);
}

export function continuedAccounts(old: readonly EventRecord[], fresh: readonly EventRecord[]): number[] {
  const used = new Set<number>();
  return fresh.map((e) => {
    let best = -1;
    let bestScore = 0;
    old.forEach((o, j) => {
      if (used.has(j)) return;
      const s = agreement(o as unknown as Record<string, unknown>, e as unknown as Record<string, unknown>);
      // (at least the kind or the date and place: a new account sharing nothing with an old one is new)
      if (s >= 2 && s > bestScore) {
        bestScore = s;
        best = j;
      }
    });
    if (best >= 0) used.add(best);
    return best;
  });
}

export interface StoreCounts {
  readonly reports: number;
  readonly mentions: number;
  readonly events: number;
}

export interface EventStore {
  /** Whether a report with this id, content or URL is stored (the cheap check before extraction). */
  hasReport(doc: Pick<Document, 'id' | 'text' | 'url'>): boolean | Promise<boolean>;
  /** `hasReport` for each of several reports, in one question (a worker's batch). */
  hasReports(docs: readonly Pick<Document, 'id' | 'text' | 'url'>[]): boolean[] | Promise<boolean[]>;
  /** Store a report and its events in one transaction: each event joins a stored one or starts its own. */
  addReport(doc: Document, events: readonly EventRecord[], messages: readonly Message[]): AddOutcome | Promise<AddOutcome>;
  /** Several reports in one transaction (a batch commits whole or not at all). */
  addReports(batch: readonly { doc: Document; events: readonly EventRecord[]; messages: readonly Message[] }[]): AddOutcome[] | Promise<AddOutcome[]>;
  /**
   * `addReports` now, or, if another writer is filing reports of one of the batch's countries, nothing
   * (null): a worker then files its other reports first. Stores with one writer have no such method.
   */
  /**
   * Where the store's commits stand and how far they are on disk, for a store whose commits do not wait
   * for the disk: a writer acknowledges what it filed once `durable` has passed the `committed` it read
   * after filing it. Stores whose commits wait have no such method.
   */
  commitPoints?(): Promise<{ committed: bigint; durable: bigint }>;
  addReportsIfFree?(batch: readonly { doc: Document; events: readonly EventRecord[]; messages: readonly Message[] }[]): Promise<AddOutcome[] | null>;
  /** The event by id; an id merged into another gives the survivor. Null when unknown or deleted. */
  event(id: string): StoredEvent | null | Promise<StoredEvent | null>;
  events(filter: EventFilter): StoredEvent[] | Promise<StoredEvent[]>;
  /** How many events the filter selects, paging aside. */
  countEvents(filter: EventFilter): number | Promise<number>;
  /** The events the filter selects as compact rows (`COMPACT_FIELDS`). */
  compactEvents(filter: EventFilter): CompactRow[] | Promise<CompactRow[]>;
  /** Every report's account filed under an event, in the order they came. */
  accounts(eventId: string): Account[] | Promise<Account[]>;
  /** Confirm, reject or correct an event; logged, and kept through re-extraction. Returns the event after. */
  review(eventId: string, action: ReviewAction, who: string, note?: string | null): StoredEvent | Promise<StoredEvent>;
  audit(eventId: string): AuditEntry[] | Promise<AuditEntry[]>;
  /** The changes after a sequence number, oldest first (a live feed polls with the last it saw). */
  changesAfter(seq: number, limit?: number): Change[] | Promise<Change[]>;
  /** The newest change's sequence number (0 when none): a live feed starts after it. */
  lastChangeSeq(): number | Promise<number>;
  report(id: string): StoredReport | null | Promise<StoredReport | null>;
  merges(eventId: string): Merge[] | Promise<Merge[]>;
  changes(since: string): Change[] | Promise<Change[]>;
  /**
   * An analyst's merge: the other events' accounts join the survivor, each merge recorded (so `split`
   * undoes it) and each other id marked merged into the survivor, where lookups of it now lead.
   * Returns the ids merged away; throws when an id is unknown or not active.
   */
  merge(survivorId: string, otherIds: readonly string[], reason?: string, who?: string): string[] | Promise<string[]>;
  /** Undo the merges of an event: each report's mention that joined it becomes an event of its own again. */
  split(eventId: string, who?: string): string[] | Promise<string[]>;
  /**
   * File a stored report's events as a newer extraction reads them: each new event that matches one the
   * report gave before (by kind, date and place, as the metrics match events) keeps its canonical event
   * and id; an account no longer read leaves its event (deleted when no report supports it any more); a
   * new account is filed as ingest files one. Returns the ids kept, added and left.
   */
  reextract(reportId: string, events: readonly EventRecord[]): ReextractOutcome | Promise<ReextractOutcome>;
  /** The ids of the stored reports, in the order they were stored. */
  reportIds(): string[] | Promise<string[]>;
  counts(): StoreCounts | Promise<StoreCounts>;
  close(): void | Promise<void>;
}

/**
 * Stored events' records, parsed once until they change: dedup reads one day's events again and again.
 * `stamp` is whatever changes with the record (a version number, or the text itself); `load` reads the
 * record's text only when the parsed one is stale or forgotten.
 */
export class ParsedRecords {
  private readonly parsed = new Map<string, { stamp: string | number; record: EventRecord }>();

  /** A record just written, under the stamp it was written with: the next reader need not load it. */
  put(id: string, stamp: string | number, record: EventRecord): void {
    this.parsed.delete(id);
    keepRoom(this.parsed, 5_000);
    this.parsed.set(id, { stamp, record });
  }

  /** Forget every record: a transaction that wrote some rolled back. */
  clear(): void {
    this.parsed.clear();
  }

  has(id: string, stamp: string | number): boolean {
    return this.parsed.get(id)?.stamp === stamp;
  }

  get(id: string, stamp: string | number, load: () => string): EventRecord {
    const hit = this.parsed.get(id);
    if (hit && hit.stamp === stamp) return hit.record;
    const record = JSON.parse(load()) as EventRecord;
    this.parsed.delete(id);
    keepRoom(this.parsed, 5_000);
    this.parsed.set(id, { stamp, record });
    return record;
  }
}

/** Make room in a memo of at most `size` entries: the oldest fifth goes (a Map keeps insertion order). */
export function keepRoom(memo: Map<unknown, unknown>, size: number): void {
  if (memo.size < size) return;
  let drop = Math.ceil(size / 5);
  for (const key of memo.keys()) {
    if (drop-- <= 0) break;
    memo.delete(key);
  }
}
