// The API described as OpenAPI 3.1 (`GET /api/openapi.json`), made from the same zod schemas the routes
// check requests with, and the event record's own schema.
import { z } from 'zod';
import { EventRecord } from '../schema.js';
import { COMPACT_FIELDS } from '../store/store.js';
import { ChangesQuery, EditBody, EventsQuery, ExportQuery, MergeBody, NoteBody, ReportsBody } from './schemas.js';

type Json = Record<string, unknown>;

const schema = (s: z.ZodType): Json => z.toJSONSchema(s, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' }) as Json;

/** A query schema's fields as OpenAPI parameters. */
function queryParameters(s: z.ZodType): Json[] {
  const json = schema(s) as { properties?: Record<string, Json>; required?: string[] };
  return Object.entries(json.properties ?? {}).map(([name, p]) => ({ name, in: 'query', required: json.required?.includes(name) ?? false, schema: p }));
}

const idParameter = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };
const errorResponse = (description: string): Json => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });
const json = (ref: string, description = 'OK'): Json => ({ description, content: { 'application/json': { schema: { $ref: `#/components/schemas/${ref}` } } } });
const body = (s: z.ZodType, required = true): Json => ({ required, content: { 'application/json': { schema: schema(s) } } });
const write = { security: [{ bearer: [] }] };
const writeErrors = { '400': errorResponse('invalid request: one message per field'), '401': errorResponse('no token or a wrong one'), '404': errorResponse('no such event'), '413': errorResponse('body too large'), '429': errorResponse('too many writes') };

export function openApiDocument(): Json {
  return {
    openapi: '3.1.0',
    info: { title: 'sitrep', version: '0.1.0', description: 'Events of political violence and unrest extracted from news reports, ACLED-compatible, with the words that support every field. Reading is open; writing needs a bearer token.' },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    paths: {
      '/api/events': {
        get: {
          summary: 'Events, filtered, sorted and paged (JSON, GeoJSON, or compact rows for a map of 100,000 events)',
          parameters: queryParameters(EventsQuery),
          responses: { '200': { description: 'OK', content: { 'application/json': { schema: { oneOf: [{ $ref: '#/components/schemas/EventPage' }, { $ref: '#/components/schemas/CompactPage' }] } }, 'application/geo+json': { schema: { type: 'object' } } } }, '400': errorResponse('invalid query') },
        },
      },
      '/api/events/{id}': {
        get: { summary: 'One event with every report behind it, the evidence of each field in each report, its merges and its audit log (a merged id gives the survivor)', parameters: [idParameter], responses: { '200': json('EventDetail'), '404': errorResponse('no such event') } },
        patch: { summary: 'Correct one field or several; kept through new reports and re-extraction', ...write, parameters: [idParameter], requestBody: body(EditBody), responses: { '200': json('EventDetail'), ...writeErrors } },
      },
      '/api/events/{id}/confirm': { post: { summary: 'Confirm an event', ...write, parameters: [idParameter], requestBody: body(NoteBody, false), responses: { '200': json('EventDetail'), ...writeErrors } } },
      '/api/events/{id}/reject': { post: { summary: 'Reject an event (left out of lists and exports unless review=rejected or all)', ...write, parameters: [idParameter], requestBody: body(NoteBody, false), responses: { '200': json('EventDetail'), ...writeErrors } } },
      '/api/events/{id}/merge': { post: { summary: 'File other events under this one; their ids then lead here', ...write, parameters: [idParameter], requestBody: body(MergeBody), responses: { '200': json('EventDetail'), ...writeErrors } } },
      '/api/events/{id}/split': { post: { summary: "Undo an event's merges: each report's account stands alone", ...write, parameters: [idParameter], requestBody: body(NoteBody, false), responses: { '200': json('EventDetail'), ...writeErrors } } },
      '/api/reports': { post: { summary: 'Ingest one report, an array of them, or {reports: [...]}: extracted, stored once, each event filed under its incident', ...write, requestBody: body(ReportsBody), responses: { '200': { description: 'what became of each report' }, ...writeErrors } } },
      '/api/reports/{id}': { get: { summary: 'A stored report, its text as evidence offsets count it', parameters: [idParameter], responses: { '200': { description: 'OK' }, '404': errorResponse('no such report') } } },
      '/api/export': { get: { summary: 'The filtered events as CSV (ACLED column names first), GeoJSON (RFC 7946) or JSONL', parameters: queryParameters(ExportQuery), responses: { '200': { description: 'OK', content: { 'text/csv': {}, 'application/geo+json': {}, 'application/x-ndjson': {} } }, '400': errorResponse('invalid query') } } },
      '/api/changes': { get: { summary: 'Events created, updated, merged (with the survivor), split or deleted, since a time or after a sequence number', parameters: queryParameters(ChangesQuery), responses: { '200': { description: 'OK' }, '400': errorResponse('invalid query') } } },
      '/api/stream': { get: { summary: 'The same changes live, as server-sent events named "change" (Last-Event-ID resumes)', responses: { '200': { description: 'text/event-stream' } } } },
      '/api/health': { get: { summary: 'The store answers; its counts', responses: { '200': { description: 'OK' } } } },
      '/api/openapi.json': { get: { summary: 'This document', responses: { '200': { description: 'OK' } } } },
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'the SITREP_TOKEN the server was started with' } },
      schemas: {
        Error: { type: 'object', required: ['error'], properties: { error: { type: 'string' }, issues: { type: 'array', items: { type: 'object', properties: { path: { type: 'string' }, message: { type: 'string' } } } } } },
        Event: { allOf: [schema(EventRecord), { type: 'object', properties: { review: { enum: ['unreviewed', 'confirmed', 'rejected'] } } }] },
        EventPage: { type: 'object', properties: { total: { type: 'integer' }, limit: { type: 'integer' }, offset: { type: 'integer' }, events: { type: 'array', items: { $ref: '#/components/schemas/Event' } } } },
        CompactPage: { type: 'object', properties: { total: { type: 'integer' }, fields: { const: COMPACT_FIELDS }, rows: { type: 'array', items: { type: 'array' } } } },
        EventDetail: {
          type: 'object',
          properties: {
            event: { $ref: '#/components/schemas/Event' },
            reports: { type: 'array', items: { type: 'object', properties: { id: { type: 'string' }, title: { type: ['string', 'null'] }, date: { type: ['string', 'null'] }, url: { type: ['string', 'null'] }, source: { type: ['string', 'null'] }, text: { type: 'string' }, evidence: { type: 'object', additionalProperties: { type: 'array' } } } } },
            merges: { type: 'array' },
            audit: { type: 'array' },
          },
        },
      },
    },
  };
}
