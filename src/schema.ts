// The event record: ACLED's fields, plus what ACLED lacks (injuries, casualty ranges, confidence,
// evidence spans for every field, sources, a stable id and the rules that fired). This zod schema is
// the single definition; `sitrep schema` prints it as JSON Schema and the CLI validates against it.
import { z } from 'zod';

import { EVENT_TYPES } from './event-types.js';

export { EVENT_TYPES };

export type EventType = keyof typeof EVENT_TYPES;
export type SubEventType = (typeof EVENT_TYPES)[EventType][number];

const eventTypeNames = Object.keys(EVENT_TYPES) as [EventType, ...EventType[]];
const subEventTypeNames = Object.values(EVENT_TYPES).flat() as [SubEventType, ...SubEventType[]];
export const SUB_EVENT_TYPES: readonly SubEventType[] = subEventTypeNames;

/** The event type a sub-type belongs to (each sub-type belongs to exactly one). */
export const TYPE_OF_SUB_TYPE: ReadonlyMap<SubEventType, EventType> = new Map(
  Object.entries(EVENT_TYPES).flatMap(([type, subs]) => subs.map((s) => [s, type as EventType] as const)),
);

export const Span = z
  .object({
    start: z.number().int().nonnegative().describe('offset of the first character in the document text (UTF-16 units)'),
    end: z.number().int().nonnegative().describe('offset just past the last character'),
    text: z.string().describe('the document text between start and end'),
  })
  .describe('A span of the document text that supports a field');
export type Span = z.infer<typeof Span>;

const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');

/** Fields that carry evidence; every one of them that has a value has at least one span. */
export const EVIDENCED_FIELDS = [
  'event_type',
  'sub_event_type',
  'event_date',
  'actor1',
  'assoc_actor_1',
  'actor2',
  'assoc_actor_2',
  'country',
  'admin1',
  'admin2',
  'location',
  'fatalities',
  'injuries',
] as const;
export type EvidencedField = (typeof EVIDENCED_FIELDS)[number];

export const EventRecord = z
  .object({
    event_id: z.string().describe('stable id: the report id and the event ordinal within it'),
    event_type: z.enum(eventTypeNames),
    sub_event_type: z.enum(subEventTypeNames),
    event_date: isoDate.nullable().describe('the day the event happened, resolved against the report date'),
    time_precision: z.union([z.literal(1), z.literal(2), z.literal(3)]).nullable().describe('1 the day; 2 within a week; 3 within a month'),
    background: z.boolean().describe('true for an event the report recalls as context (e.g. a town that fell years earlier)'),
    actor1: z.string().nullable(),
    assoc_actor_1: z.string().nullable(),
    inter1: z.number().int().min(1).max(8).nullable(),
    actor2: z.string().nullable(),
    assoc_actor_2: z.string().nullable(),
    inter2: z.number().int().min(1).max(8).nullable(),
    country: z.string().nullable(),
    iso2: z.string().length(2).nullable().describe('ISO 3166-1 alpha-2 code of the country'),
    admin1: z.string().nullable(),
    admin2: z.string().nullable(),
    location: z.string().nullable(),
    latitude: z.number().min(-90).max(90).nullable(),
    longitude: z.number().min(-180).max(180).nullable(),
    geo_precision: z.union([z.literal(1), z.literal(2), z.literal(3)]).nullable().describe('1 the named town; 2 part of or near it; 3 only a region'),
    fatalities: z.number().int().nonnegative().nullable(),
    fatalities_low: z.number().int().nonnegative().nullable(),
    fatalities_high: z.number().int().nonnegative().nullable(),
    injuries: z.number().int().nonnegative().nullable(),
    confidence: z.number().min(0).max(1),
    evidence: z.partialRecord(z.enum(EVIDENCED_FIELDS), z.array(Span).min(1)).describe('for each field with a value, the spans that support it'),
    sources: z.array(z.string()).min(1).describe('ids of the reports that support the event'),
    tags: z.array(z.string()).describe('the rules that fired'),
  })
  .describe('One event, ACLED-compatible');
export type EventRecord = z.infer<typeof EventRecord>;

export const Message = z.object({
  level: z.enum(['error', 'warning', 'info']),
  code: z.string().describe('a stable machine-readable code, e.g. "date.missing"'),
  text: z.string(),
  start: z.number().int().nonnegative().optional(),
  end: z.number().int().nonnegative().optional(),
});
export type Message = z.infer<typeof Message>;

/** One line of `sitrep extract --format jsonl`: a document and what was found in it. */
export const ExtractLine = z.object({
  id: z.string(),
  date: isoDate.nullable().describe("the report's publication date"),
  dateline: z.string().nullable().optional(),
  events: z.array(EventRecord),
  messages: z.array(Message),
});
export type ExtractLine = z.infer<typeof ExtractLine>;

export function jsonSchema(): unknown {
  return z.toJSONSchema(ExtractLine, { target: 'draft-2020-12' });
}
