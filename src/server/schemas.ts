// What the API accepts, checked at the edge: every query parameter and body is parsed here before a
// handler sees it, and a request that does not parse is answered 400 with one message per field. The
// same schemas feed the OpenAPI document, so the documentation cannot drift from the checks.
import { z } from 'zod';
import { EXPORT_FORMATS } from '../export.js';
import { EVENT_TYPES, EventRecord } from '../schema.js';
import { EDITABLE_FIELDS, EVENT_SORTS, REVIEW_STATUSES } from '../store/store.js';

const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'want a date, YYYY-MM-DD').refine((d) => !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), 'not a calendar date');
const eventTypes = Object.keys(EVENT_TYPES) as [keyof typeof EVENT_TYPES, ...(keyof typeof EVENT_TYPES)[]];
const subTypes = [...new Set(Object.values(EVENT_TYPES).flat())] as [string, ...string[]];
const shortText = (max: number) => z.string().trim().min(1).max(max);

/** `minLon,minLat,maxLon,maxLat`, as GeoJSON orders a bbox. */
const bbox = z
  .string()
  .transform((s, ctx) => {
    const parts = s.split(',').map((p) => Number(p.trim()));
    const [minLon, minLat, maxLon, maxLat] = parts;
    if (parts.length !== 4 || parts.some((p) => !Number.isFinite(p))) {
      ctx.addIssue({ code: 'custom', message: 'want four numbers: minLon,minLat,maxLon,maxLat' });
      return z.NEVER;
    }
    if (minLon! < -180 || maxLon! > 180 || minLat! < -90 || maxLat! > 90 || minLon! > maxLon! || minLat! > maxLat!) {
      ctx.addIssue({ code: 'custom', message: 'want -180 ≤ minLon ≤ maxLon ≤ 180 and -90 ≤ minLat ≤ maxLat ≤ 90' });
      return z.NEVER;
    }
    return [minLon!, minLat!, maxLon!, maxLat!] as const;
  });

/** The filters every list of events takes (the events route, the export). */
export const EventFilterQuery = z.strictObject({
  from: isoDay.optional(),
  to: isoDay.optional(),
  type: z.enum(eventTypes).optional(),
  subType: z.enum(subTypes).optional(),
  country: shortText(100).optional(),
  admin1: shortText(200).optional(),
  actor: shortText(200).optional(),
  q: shortText(500).optional(),
  minConfidence: z.coerce.number().min(0).max(1).optional(),
  review: z.enum([...REVIEW_STATUSES, 'all']).optional(),
  bbox: bbox.optional(),
});

export const MAX_PAGE = 1000;
export const MAX_COMPACT = 200_000;

export const EventsQuery = EventFilterQuery.extend({
  format: z.enum(['json', 'geojson', 'compact']).default('json'),
  sort: z.enum(EVENT_SORTS).default('date'),
  limit: z.coerce.number().int().min(1).max(MAX_COMPACT).optional(),
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
}).superRefine((q, ctx) => {
  if (q.format !== 'compact' && q.limit !== undefined && q.limit > MAX_PAGE) ctx.addIssue({ code: 'custom', path: ['limit'], message: `at most ${MAX_PAGE} a page (or format=compact, up to ${MAX_COMPACT})` });
});

export const ExportQuery = EventFilterQuery.extend({ format: z.enum(EXPORT_FORMATS).default('csv') });

export const ChangesQuery = z
  .strictObject({
    since: z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'want an ISO date or time').optional(),
    after: z.coerce.number().int().min(0).optional(),
    limit: z.coerce.number().int().min(1).max(10_000).default(1000),
  })
  .refine((q) => q.since !== undefined || q.after !== undefined, { message: 'give since (an ISO time) or after (a change sequence number)', path: ['since'] });

/** Ids are the store's own (ev-…, report ids from JSONL): printable, short, no path tricks. */
export const IdParam = z.strictObject({ id: z.string().min(1).max(256).regex(/^[^\s/\\]+$/, 'not an id') });

const note = shortText(2000).optional();

export const NoteBody = z.strictObject({ note }).default({});

/** A correction: one field, or several at once (a kind and its sub-type must change together). */
export const EditBody = z.union([
  z.strictObject({ field: z.enum(EDITABLE_FIELDS), value: z.unknown(), note }),
  z.strictObject({ fields: z.partialRecord(z.enum(EDITABLE_FIELDS), z.unknown()).refine((f) => Object.keys(f).length > 0, 'name at least one field'), note }),
]);

export const MergeBody = z.strictObject({ others: z.array(IdParam.shape.id).min(1).max(100), note });

/** One report to ingest; the reader checks the rest (a date that is a date, a text that is not empty). */
export const ReportBody = z.looseObject({
  id: z.union([shortText(256), z.number()]).optional(),
  text: z.string().min(1).max(5_000_000),
  date: z.string().max(40).nullable().optional(),
  title: z.string().max(2000).optional(),
  url: z.string().max(4000).optional(),
  source: z.string().max(500).optional(),
});
export const MAX_REPORTS_A_REQUEST = 1000;
export const ReportsBody = z.union([ReportBody, z.array(ReportBody).min(1).max(MAX_REPORTS_A_REQUEST), z.strictObject({ reports: z.array(ReportBody).min(1).max(MAX_REPORTS_A_REQUEST) })]);

/** The schema an edited field's value must meet: the event record's own. */
export function fieldSchema(field: (typeof EDITABLE_FIELDS)[number]): z.ZodType {
  return EventRecord.shape[field];
}

/** A zod error as the API reports it: one entry per field, its path and what was wrong. */
export function issuesOf(err: z.ZodError): { path: string; message: string }[] {
  return err.issues.map((i) => ({ path: i.path.map(String).join('.') || '(body)', message: i.message }));
}
