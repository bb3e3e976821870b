// The API's shapes as the workbench reads them, and ACLED's event scheme (src/event-types.ts, which
// the pipeline's schema shares; src/schema.ts itself is not imported: it would pull zod in).

import { EVENT_TYPES } from '../../src/event-types.js';

export { EVENT_TYPES };

export type EventType = keyof typeof EVENT_TYPES;
export const TYPE_NAMES = Object.keys(EVENT_TYPES) as EventType[];
/** Index into TYPE_NAMES for a type the scheme does not know (drawn grey). */
export const UNKNOWN_TYPE = TYPE_NAMES.length;

/** One colour per event type, in TYPE_NAMES order, then the colour of an unknown type. */
export const TYPE_COLOURS: readonly string[] = ['#c0392b', '#e67e22', '#8e44ad', '#2471a3', '#c9a200', '#17a589', '#7f8c8d'];

export const REVIEW_STATES = ['unreviewed', 'confirmed', 'rejected'] as const;
export type ReviewState = (typeof REVIEW_STATES)[number];

export interface Span {
  start: number;
  end: number;
  text: string;
}

/** An event as `GET /api/events/:id` returns it: ACLED's fields and sitrep's own. */
export interface EventRecord {
  event_id: string;
  event_type: string;
  sub_event_type: string;
  event_date: string | null;
  time_precision: number | null;
  background: boolean;
  actor1: string | null;
  assoc_actor_1: string | null;
  inter1: number | null;
  actor2: string | null;
  assoc_actor_2: string | null;
  inter2: number | null;
  country: string | null;
  iso2: string | null;
  admin1: string | null;
  admin2: string | null;
  location: string | null;
  latitude: number | null;
  longitude: number | null;
  geo_precision: number | null;
  fatalities: number | null;
  fatalities_low: number | null;
  fatalities_high: number | null;
  injuries: number | null;
  confidence: number;
  evidence: Partial<Record<string, Span[]>>;
  sources: string[];
  tags: string[];
  review?: string;
}

export interface ReportView {
  id: string;
  title?: string | null;
  date?: string | null;
  url?: string | null;
  source?: string | null;
  text: string;
  evidence?: Partial<Record<string, Span[]>>;
}

export interface MergeView {
  reportId: string;
  ordinal: number;
  score: number | null;
  reasons: string[];
  at?: string | null;
}

export interface AuditEntry {
  at: string;
  who?: string | null;
  action: string;
  field?: string | null;
  before?: unknown;
  after?: unknown;
  note?: string | null;
}

export interface EventDetail {
  event: EventRecord;
  reports: ReportView[];
  merges: MergeView[];
  audit: AuditEntry[];
  created?: string[];
}

export interface CompactResponse {
  total: number;
  fields: string[];
  rows: unknown[][];
}

/** A `change` message on `GET /api/stream`. */
export interface ChangeMessage {
  seq: number;
  at: string;
  event_id: string;
  change: string;
  merged_into?: string;
}
