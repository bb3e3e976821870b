// `sitrep serve`: the analyst's workbench over HTTP. The API reads the store (events filtered, paged
// and sorted; one event with every report behind it and the words that support each field; reports;
// exports; the changes, also live as server-sent events) and writes to it (reports to ingest, and the
// review: confirm, reject, correct a field, merge, split, each logged with who, when, before and after).
// Reading needs nothing; writing needs the bearer token the server was started with. Every input is
// checked at the edge (schemas.ts) and bound into SQL by the store, never spliced. The web UI is served
// from the same origin, with headers that keep a report's text from ever running as code.
import { timingSafeEqual } from 'node:crypto';
import { Readable } from 'node:stream';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { z } from 'zod';
import { EXPORT_TYPES, exportEvents } from '../export.js';
import { describeOrigin, type Document } from '../document.js';
import { DEFAULT_OPTIONS, extractDocument, type Models } from '../pipeline.js';
import { objectDocument } from '../read/readers.js';
import { EVENT_TYPES, type EventRecord, type Message } from '../schema.js';
import { COMPACT_FIELDS, type EditableField, type EventFilter, type EventStore, type StoredEvent } from '../store/store.js';
import { METRICS_CONTENT_TYPE, Registry } from '../metrics.js';
import { openApiDocument } from './openapi.js';
import { ChangesQuery, EditBody, EventFilterQuery, EventsQuery, ExportQuery, fieldSchema, IdParam, issuesOf, MergeBody, NoteBody, ReportsBody } from './schemas.js';
import { changeStream } from './stream.js';
import { securityHeaders, serveWeb } from './web.js';

export interface ServerOptions {
  readonly store: EventStore;
  /** the bearer token writes need; without one the server is read-only */
  readonly token?: string | null;
  /** an origin (or `*`) other sites may call the API from; none unless set */
  readonly corsOrigin?: string | null;
  /** the built web UI (dist/web); none: the API alone */
  readonly webRoot?: string | null;
  /** the extraction models, loaded on the first report posted (seconds, so not at start) */
  readonly models: () => Models;
  /** the largest request body, bytes (a report is seldom over 100 KB; a batch of them may be) */
  readonly bodyLimit?: number;
  /** writes a client may make a minute */
  readonly writesPerMinute?: number;
  /** how often the live feed looks for changes, ms */
  readonly streamPollMs?: number;
  readonly logger?: boolean;
}

/** A 4xx the handlers raise: the status and a message for the client. */
class HttpError extends Error {
  constructor(
    readonly statusCode: number,
    message: string,
    readonly issues?: { path: string; message: string }[],
  ) {
    super(message);
  }
}

function parse<T extends z.ZodType>(schema: T, value: unknown, what: string): z.output<T> {
  const r = schema.safeParse(value ?? {});
  if (!r.success) throw new HttpError(400, `invalid ${what}`, issuesOf(r.error));
  return r.data;
}

function filterOf(q: z.output<typeof EventFilterQuery>): EventFilter {
  return Object.fromEntries(Object.entries(q).filter(([, v]) => v !== undefined)) as EventFilter;
}

function feature(e: StoredEvent): unknown {
  const { latitude, longitude, ...properties } = e;
  return { type: 'Feature', id: e.event_id, geometry: latitude !== null && longitude !== null ? { type: 'Point', coordinates: [longitude, latitude] } : null, properties };
}

export async function buildServer(opts: ServerOptions): Promise<FastifyInstance> {
  const { store } = opts;
  const app = Fastify({ logger: opts.logger ?? false, bodyLimit: opts.bodyLimit ?? 10 * 1024 * 1024, trustProxy: false });
  const token = opts.token ? Buffer.from(opts.token) : null;

  // --- the edge: errors as JSON, headers on every answer, CORS only where configured ---
  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, req, reply) => {
    if (err instanceof HttpError) return reply.status(err.statusCode).send({ error: err.message, ...(err.issues ? { issues: err.issues } : {}) });
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return reply.status(413).send({ error: `request body over ${app.initialConfig.bodyLimit} bytes` });
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) return reply.status(err.statusCode).send({ error: err.message });
    req.log.error(err);
    return reply.status(500).send({ error: 'internal error' });
  });
  app.setNotFoundHandler((req, reply) => reply.status(404).send({ error: `no route ${req.method} ${req.url.split('?')[0]}` }));
  app.addHook('onSend', async (req, reply, payload) => {
    securityHeaders(reply);
    if (opts.corsOrigin) {
      const origin = req.headers.origin;
      if (opts.corsOrigin === '*' || origin === opts.corsOrigin) {
        reply.header('access-control-allow-origin', opts.corsOrigin === '*' ? '*' : origin!);
        reply.header('vary', 'Origin');
      }
    }
    return payload;
  });
  if (opts.corsOrigin) {
    app.options('/api/*', async (_req, reply) =>
      reply.status(204).header('access-control-allow-methods', 'GET, POST, PATCH').header('access-control-allow-headers', 'authorization, content-type, x-sitrep-user').header('access-control-max-age', '600').send(),
    );
  }

  // --- writes: the token, then a rate per client ---
  const writes = new Map<string, number[]>();
  const perMinute = opts.writesPerMinute ?? 120;
  const authorize = async (req: FastifyRequest, reply: FastifyReply): Promise<void> => {
    if (!token) throw new HttpError(401, 'writes are disabled: start the server with SITREP_TOKEN set');
    const given = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const g = given ? Buffer.from(given) : null;
    if (!g || g.length !== token.length || !timingSafeEqual(g, token)) throw new HttpError(401, 'writes need Authorization: Bearer <the server\'s SITREP_TOKEN>');
    const now = Date.now();
    const recent = (writes.get(req.ip) ?? []).filter((t) => now - t < 60_000);
    if (recent.length >= perMinute) {
      reply.header('retry-after', String(Math.ceil((60_000 - (now - recent[0]!)) / 1000)));
      throw new HttpError(429, `more than ${perMinute} writes a minute`);
    }
    recent.push(now);
    writes.set(req.ip, recent);
    if (writes.size > 10_000) writes.clear();
  };
  const who = (req: FastifyRequest): string => {
    const name = req.headers['x-sitrep-user'];
    return typeof name === 'string' && /^[\p{L}\p{N} ._@-]{1,100}$/u.test(name) ? name : 'analyst';
  };

  /** An event with every report behind it, the words of each report that support each field, its merges and its audit log. */
  const detail = async (id: string): Promise<unknown> => {
    const event = await store.event(id);
    if (!event) throw new HttpError(404, `no event ${id}`);
    const accounts = await store.accounts(event.event_id);
    const reports = [];
    for (const reportId of event.sources) {
      const r = await store.report(reportId);
      if (!r) continue;
      const evidence: Record<string, unknown[]> = {};
      for (const a of accounts.filter((a) => a.reportId === reportId)) for (const [field, spans] of Object.entries(a.event.evidence)) (evidence[field] ??= []).push(...(spans ?? []));
      reports.push({ id: r.id, title: r.title, date: r.date, url: r.url, source: r.source, text: r.text, evidence });
    }
    return { event, reports, merges: await store.merges(event.event_id), audit: await store.audit(event.event_id) };
  };

  // --- metrics, for Prometheus: requests by route and status, reports and events stored ---
  const registry = new Registry();
  const requests = registry.counter('sitrep_http_requests_total', 'HTTP requests answered, by method, route and status');
  const posted = registry.counter('sitrep_reports_posted_total', 'reports stored through POST /api/reports');
  const reviews = registry.counter('sitrep_reviews_total', 'review actions, by action');
  registry.gauge('sitrep_store_reports', 'reports in the store', async () => (await store.counts()).reports);
  registry.gauge('sitrep_store_events', 'canonical events in the store', async () => (await store.counts()).events);
  app.addHook('onResponse', async (req, reply) => {
    requests.inc(1, { method: req.method, route: req.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) });
  });
  app.get('/metrics', async (_req, reply) => reply.type(METRICS_CONTENT_TYPE).send(await registry.render()));

  // --- reading ---
  app.get('/api/openapi.json', async () => openApiDocument());

  app.get('/api/health', async () => ({ ok: true, ...(await store.counts()) }));

  app.get('/api/events', async (req, reply) => {
    const q = parse(EventsQuery, req.query, 'query');
    const filter = filterOf(q);
    const total = await store.countEvents(filter);
    if (q.format === 'compact') {
      const rows = await store.compactEvents({ ...filter, sort: q.sort, limit: q.limit ?? 50_000, offset: q.offset });
      return { total, fields: COMPACT_FIELDS, rows };
    }
    const limit = q.limit ?? 100;
    const events = await store.events({ ...filter, sort: q.sort, limit, offset: q.offset });
    if (q.format === 'geojson') return reply.type('application/geo+json').send({ type: 'FeatureCollection', total, limit, offset: q.offset, features: events.map(feature) });
    return { total, limit, offset: q.offset, events };
  });

  app.get('/api/events/:id', async (req) => detail(parse(IdParam, req.params, 'path').id));

  app.get('/api/reports/:id', async (req) => {
    const { id } = parse(IdParam, req.params, 'path');
    const r = await store.report(id);
    if (!r) throw new HttpError(404, `no report ${id}`);
    return r;
  });

  app.get('/api/export', async (req, reply) => {
    const q = parse(ExportQuery, req.query, 'query');
    const { format, ...rest } = q;
    reply.type(EXPORT_TYPES[format]).header('content-disposition', `attachment; filename="sitrep-events.${format === 'geojson' ? 'geojson' : format}"`);
    const chunks = exportEvents(store, filterOf(rest), format);
    // (a stream: fastify sends it with back-pressure, so a large export holds one page in memory)
    return reply.send(Readable.from(chunks));
  });

  app.get('/api/changes', async (req) => {
    const q = parse(ChangesQuery, req.query, 'query');
    const changes = q.after !== undefined ? await store.changesAfter(q.after, q.limit) : (await store.changes(new Date(Date.parse(q.since!)).toISOString())).slice(0, q.limit);
    return { changes: changes.map((c) => ({ seq: c.seq, at: c.at, event_id: c.eventId, change: c.kind, ...(c.survivor ? { [c.kind === 'merged' ? 'merged_into' : 'split_from']: c.survivor } : {}) })) };
  });

  const stream = changeStream(store, opts.streamPollMs ?? 1000);
  app.get('/api/stream', (req, reply) => stream.attach(req, reply));
  app.addHook('onClose', async () => stream.close());

  // --- writing ---
  app.post('/api/reports', { preHandler: authorize }, async (req) => {
    const body = parse(ReportsBody, req.body, 'body');
    const items: unknown[] = Array.isArray(body) ? body : 'reports' in body && Array.isArray(body.reports) ? body.reports : [body];
    const results: unknown[] = [];
    const batch: { index: number; doc: Document; events: readonly EventRecord[]; messages: readonly Message[] }[] = [];
    items.forEach((raw: unknown, index: number) => {
      const item = objectDocument(raw, { file: 'POST /api/reports', line: index + 1 }, { maxDocumentBytes: 5_000_000 });
      if (item.kind === 'failure') {
        results[index] = { index, status: 'failed', error: `${describeOrigin(item.origin)}: ${item.reason}` };
        return;
      }
      try {
        const r = extractDocument(item.doc, opts.models(), DEFAULT_OPTIONS);
        batch.push({ index, doc: item.doc, events: r.events, messages: r.messages });
      } catch (err) {
        results[index] = { index, id: item.doc.id, status: 'failed', error: `extraction failed: ${(err as Error).message}` };
      }
    });
    const outcomes = batch.length ? await store.addReports(batch) : [];
    outcomes.forEach((o, k) => {
      const { index, doc } = batch[k]!;
      results[index] = { index, id: doc.id, status: o.status, events: o.events.map((e) => ({ event_id: e.eventId, merged: e.merged, score: e.score })) };
    });
    const count = (s: string): number => results.filter((r) => (r as { status: string }).status === s).length;
    posted.inc(count('stored'));
    return { stored: count('stored'), duplicates: count('duplicate'), failed: count('failed'), results };
  });

  const review = (action: 'confirm' | 'reject') => async (req: FastifyRequest) => {
    const { id } = parse(IdParam, req.params, 'path');
    const { note } = parse(NoteBody, req.body, 'body');
    await activeEvent(id);
    await store.review(id, { action }, who(req), note ?? null);
    reviews.inc(1, { action });
    return detail(id);
  };
  const activeEvent = async (id: string): Promise<StoredEvent> => {
    const e = await store.event(id);
    if (!e) throw new HttpError(404, `no event ${id}`);
    if (e.event_id !== id) throw new HttpError(409, `event ${id} was merged into ${e.event_id}: review that one`);
    return e;
  };
  app.post('/api/events/:id/confirm', { preHandler: authorize }, review('confirm'));
  app.post('/api/events/:id/reject', { preHandler: authorize }, review('reject'));

  app.patch('/api/events/:id', { preHandler: authorize }, async (req) => {
    const { id } = parse(IdParam, req.params, 'path');
    const body = parse(EditBody, req.body, 'body');
    const fields = ('fields' in body ? body.fields : { [body.field]: body.value }) as Partial<Record<EditableField, unknown>>;
    const event = await activeEvent(id);
    const issues: { path: string; message: string }[] = [];
    const values: [EditableField, unknown][] = [];
    for (const [field, value] of Object.entries(fields) as [EditableField, unknown][]) {
      const r = fieldSchema(field).safeParse(value);
      if (r.success) values.push([field, r.data]);
      else issues.push(...issuesOf(r.error).map((i) => ({ path: `${'fields' in body ? `fields.${field}` : 'value'}${i.path === '(body)' ? '' : `.${i.path}`}`, message: i.message })));
    }
    if (issues.length) throw new HttpError(400, 'invalid body', issues);
    // (the kind and its sub-type as they will be: a sub-type belongs to one kind)
    const after = { ...event, ...Object.fromEntries(values) } as StoredEvent;
    if (!(EVENT_TYPES[after.event_type] as readonly string[]).includes(after.sub_event_type)) {
      throw new HttpError(400, 'invalid body', [{ path: 'fields', message: `"${after.sub_event_type}" is not a sub-type of "${after.event_type}": change both together with {"fields": {"event_type": ..., "sub_event_type": ...}}` }]);
    }
    for (const [field, value] of values) await store.review(id, { action: 'edit', field, value }, who(req), body.note ?? null);
    reviews.inc(1, { action: 'edit' });
    return detail(id);
  });

  app.post('/api/events/:id/merge', { preHandler: authorize }, async (req) => {
    const { id } = parse(IdParam, req.params, 'path');
    const body = parse(MergeBody, req.body, 'body');
    await activeEvent(id);
    for (const other of body.others) if (other !== id) await activeEvent(other);
    const merged = await store.merge(id, body.others, body.note ?? 'merged by an analyst', who(req));
    reviews.inc(1, { action: 'merge' });
    return { merged, ...(await detail(id) as object) };
  });

  app.post('/api/events/:id/split', { preHandler: authorize }, async (req) => {
    const { id } = parse(IdParam, req.params, 'path');
    parse(NoteBody, req.body, 'body');
    await activeEvent(id);
    const created = await store.split(id, who(req));
    reviews.inc(1, { action: 'split' });
    return { created, ...(await detail(id) as object) };
  });

  if (opts.webRoot) serveWeb(app, opts.webRoot);
  return app;
}
