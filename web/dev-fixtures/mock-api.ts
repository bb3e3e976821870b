// An in-memory stand-in for `sitrep serve`'s /api, for developing the workbench without the server
// or a database: the invented reports in reports.json, plus (optionally) N synthetic events for
// load testing. It follows the API contract closely enough to exercise every part of the UI; it is
// not a reference for the server.
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';

interface Span {
  start: number;
  end: number;
  text: string;
}
type Rec = Record<string, unknown> & { event_id: string; sources: string[]; evidence: Record<string, Span[]>; review: string };
interface Report {
  id: string;
  title: string;
  date: string;
  source: string;
  url: string | null;
  text: string;
  evidence: Record<string, Record<string, Span[]>>;
}
interface Audit {
  at: string;
  who: string;
  action: string;
  field?: string;
  before?: unknown;
  after?: unknown;
  note?: string;
}
interface FixtureEvent extends Record<string, unknown> {
  evidence: Record<string, string>;
}
interface Fixture {
  reports: { id: string; title: string; date: string; source: string; url: string | null; text: string; events: FixtureEvent[] }[];
}

const FIELDS = ['event_type', 'sub_event_type', 'event_date', 'time_precision', 'background', 'actor1', 'assoc_actor_1', 'inter1', 'actor2', 'assoc_actor_2', 'inter2', 'country', 'iso2', 'admin1', 'admin2', 'location', 'latitude', 'longitude', 'geo_precision', 'fatalities', 'fatalities_low', 'fatalities_high', 'injuries', 'confidence', 'tags'];
const TYPES: [string, string][] = [
  ['Battles', 'Armed clash'],
  ['Explosions/Remote violence', 'Shelling/artillery/missile attack'],
  ['Explosions/Remote violence', 'Air/drone strike'],
  ['Violence against civilians', 'Attack'],
  ['Protests', 'Peaceful protest'],
  ['Riots', 'Mob violence'],
  ['Strategic developments', 'Arrests'],
];
const CENTRES: [string, string, number, number][] = [
  ['Mali', 'ML', 14.5, -4.2],
  ['Nigeria', 'NG', 11.8, 13.1],
  ['Somalia', 'SO', 2.1, 45.3],
  ['Yemen', 'YE', 13.6, 44.0],
  ['Myanmar', 'MM', 21.9, 95.9],
  ['Colombia', 'CO', 7.1, -70.7],
  ['Afghanistan', 'AF', 31.6, 65.7],
  ['Iraq', 'IQ', 33.4, 43.3],
  ['DR Congo', 'CD', -1.7, 29.2],
  ['India', 'IN', 26.8, 80.9],
];

function spanOf(text: string, quote: string): Span[] {
  const at = text.indexOf(quote);
  return at < 0 ? [] : [{ start: at, end: at + quote.length, text: quote }];
}

/** A deterministic pseudo-random sequence, so that synthetic data is the same on every run. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export function createMockApi(opts: { events?: number; token?: string } = {}) {
  const token = opts.token ?? process.env['SITREP_TOKEN'] ?? 'dev-token';
  const fixture = JSON.parse(readFileSync(new URL('./reports.json', import.meta.url), 'utf8')) as Fixture;
  const events = new Map<string, Rec>();
  const reports = new Map<string, Report>();
  const audit = new Map<string, Audit[]>();
  const mergedInto = new Map<string, string>();
  const clients = new Set<ServerResponse>();
  let seq = 0;

  for (const r of fixture.reports) {
    const report: Report = { id: r.id, title: r.title, date: r.date, source: r.source, url: r.url, text: r.text, evidence: {} };
    reports.set(r.id, report);
    r.events.forEach((fe, k) => {
      const id = `ev-${r.id}-${k + 1}`;
      const evidence: Record<string, Span[]> = {};
      for (const [field, quote] of Object.entries(fe.evidence)) {
        const spans = spanOf(r.text, quote);
        if (spans.length) evidence[field] = spans;
      }
      const rec: Rec = { event_id: id, background: false, assoc_actor_1: null, assoc_actor_2: null, admin2: null, actor1: null, actor2: null, inter1: null, inter2: null, fatalities_low: null, fatalities_high: null, injuries: null, ...fe, evidence, sources: [r.id], review: 'unreviewed' };
      for (const f of FIELDS) if (!(f in rec)) rec[f] = null;
      events.set(id, rec);
      report.evidence[id] = evidence;
      audit.set(id, [{ at: `${r.date}T12:00:00Z`, who: 'sitrep', action: 'extracted' }]);
    });
  }

  const random = rng(42);
  const n = opts.events ?? 0;
  for (let i = 0; i < n; i++) {
    const [type, sub] = TYPES[Math.floor(random() * TYPES.length)]!;
    const [country, iso2, clat, clon] = CENTRES[Math.floor(random() * CENTRES.length)]!;
    const day = Math.floor(random() * 540);
    const date = new Date(Date.UTC(2023, 0, 1) + day * 86_400_000).toISOString().slice(0, 10);
    const town = `Town ${Math.floor(random() * 400)}`;
    const fat = random() < 0.4 ? 0 : Math.floor(random() * random() * 40);
    const reportId = `synthetic-${i}`;
    const text = `${town.toUpperCase()} — A synthetic ${sub.toLowerCase()} was recorded in ${town}, ${country}, on ${date}. ${fat} people were killed.`;
    const id = `ev-${reportId}-1`;
    const evidence = { event_type: spanOf(text, sub.toLowerCase()), location: spanOf(text, town), event_date: spanOf(text, date), fatalities: spanOf(text, `${fat} people were killed`) };
    reports.set(reportId, { id: reportId, title: `Synthetic report ${i}`, date, source: 'Synthetic', url: null, text, evidence: { [id]: evidence } });
    const rec: Rec = { event_id: id, review: 'unreviewed', sources: [reportId], evidence, tags: ['synthetic'] };
    for (const f of FIELDS) rec[f] = null;
    Object.assign(rec, {
      event_type: type, sub_event_type: sub, event_date: date, time_precision: 1, background: false, country, iso2, admin1: `${country} North`, location: town,
      latitude: Math.round((clat + (random() - 0.5) * 6) * 1e4) / 1e4, longitude: Math.round((clon + (random() - 0.5) * 6) * 1e4) / 1e4, geo_precision: 1,
      fatalities: fat, confidence: Math.round(random() * 100) / 100, tags: ['synthetic'],
    });
    events.set(id, rec);
    audit.set(id, []);
  }

  function emit(event_id: string, change: string, merged_into?: string): void {
    const msg = JSON.stringify({ seq: ++seq, at: new Date().toISOString(), event_id, change, ...(merged_into ? { merged_into } : {}) });
    for (const c of clients) c.write(`event: change\ndata: ${msg}\n\n`);
  }

  function matches(e: Rec, q: URLSearchParams): boolean {
    const s = (k: string): string => (q.get(k) ?? '').toLowerCase();
    const review = q.get('review') || '';
    if (review === '' && e.review === 'rejected') return false;
    if (review && review !== 'all' && e.review !== review) return false;
    if (s('type') && String(e['event_type']).toLowerCase() !== s('type')) return false;
    if (s('subType') && String(e['sub_event_type']).toLowerCase() !== s('subType')) return false;
    if (s('country') && String(e['country'] ?? '').toLowerCase() !== s('country')) return false;
    if (s('admin1') && String(e['admin1'] ?? '').toLowerCase() !== s('admin1')) return false;
    if (s('actor') && ![e['actor1'], e['actor2'], e['assoc_actor_1'], e['assoc_actor_2']].some((a) => String(a ?? '').toLowerCase().includes(s('actor')))) return false;
    if (q.get('minConfidence') && Number(e['confidence']) < Number(q.get('minConfidence'))) return false;
    if (q.get('from') && String(e['event_date'] ?? '') < q.get('from')!) return false;
    if (q.get('to') && String(e['event_date'] ?? '9') > q.get('to')!) return false;
    if (s('q') && !e.sources.some((r) => reports.get(r)?.text.toLowerCase().includes(s('q')))) return false;
    return true;
  }

  function detail(id: string) {
    const survivor = mergedInto.get(id) ?? id;
    const e = events.get(survivor);
    if (!e) return null;
    return {
      event: e,
      reports: e.sources.map((r) => {
        const rep = reports.get(r)!;
        return { id: rep.id, title: rep.title, date: rep.date, url: rep.url, source: rep.source, text: rep.text, evidence: rep.evidence[survivor] ?? Object.values(rep.evidence)[0] ?? {} };
      }),
      merges: e.sources.length > 1 ? e.sources.map((r, k) => ({ reportId: r, ordinal: 1, score: k ? 0.81 : null, reasons: k ? ['same day', 'same location', 'same type'] : ['first report'], at: new Date().toISOString() })) : [],
      audit: audit.get(survivor) ?? [],
    };
  }

  function send(res: ServerResponse, status: number, body: unknown): true {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
    res.end(JSON.stringify(body));
    return true;
  }

  async function body(req: IncomingMessage): Promise<Record<string, unknown>> {
    let raw = '';
    for await (const chunk of req) raw += chunk;
    try {
      return raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    } catch {
      return {};
    }
  }

  async function write(req: IncomingMessage, res: ServerResponse, id: string, verb: string): Promise<unknown> {
    if (req.headers['authorization'] !== `Bearer ${token}`) return send(res, 401, { error: 'a valid bearer token is required' });
    const survivor = mergedInto.get(id) ?? id;
    const e = events.get(survivor);
    if (!e) return send(res, 404, { error: `no event ${id}` });
    const b = await body(req);
    const log = audit.get(survivor)!;
    const at = new Date().toISOString();
    const note = typeof b['note'] === 'string' ? b['note'] : undefined;
    if (verb === 'confirm' || verb === 'reject') {
      const before = e.review;
      e.review = verb === 'confirm' ? 'confirmed' : 'rejected';
      log.push({ at, who: 'analyst', action: verb, field: 'review', before, after: e.review, ...(note ? { note } : {}) });
      emit(survivor, verb === 'confirm' ? 'confirmed' : 'rejected');
      return send(res, 200, detail(survivor));
    }
    if (verb === 'edit') {
      const fields = (b['fields'] && typeof b['fields'] === 'object' ? b['fields'] : { [String(b['field'] ?? '')]: b['value'] }) as Record<string, unknown>;
      for (const [field, value] of Object.entries(fields)) {
        if (!FIELDS.includes(field)) return send(res, 400, { error: 'invalid body', issues: [{ path: 'field', message: `unknown field "${field}"` }] });
        if ((field === 'fatalities' || field === 'injuries') && value !== null && !(Number.isInteger(value) && Number(value) >= 0)) {
          return send(res, 400, { error: 'invalid body', issues: [{ path: 'value', message: 'expected a non-negative integer or null' }] });
        }
      }
      for (const [field, value] of Object.entries(fields)) {
        log.push({ at, who: String(req.headers['x-sitrep-user'] ?? 'analyst'), action: 'edit', field, before: e[field], after: value, ...(note ? { note } : {}) });
        e[field] = value;
      }
      emit(survivor, 'updated');
      return send(res, 200, detail(survivor));
    }
    if (verb === 'merge') {
      const others = Array.isArray(b['others']) ? b['others'].map(String) : [];
      const missing = others.filter((o) => !events.has(o) || o === survivor);
      if (!others.length || missing.length) return send(res, 400, { error: 'invalid merge', issues: [{ path: 'others', message: missing.length ? `not mergeable: ${missing.join(', ')}` : 'no events given' }] });
      for (const o of others) {
        const other = events.get(o)!;
        e.sources.push(...other.sources);
        events.delete(o);
        mergedInto.set(o, survivor);
        emit(o, 'merged', survivor);
      }
      log.push({ at, who: 'analyst', action: 'merge', after: others });
      emit(survivor, 'merged');
      return send(res, 200, detail(survivor));
    }
    if (verb === 'split') {
      if (e.sources.length < 2) return send(res, 400, { error: 'nothing to split', issues: [{ path: 'id', message: 'the event has a single report' }] });
      const created: string[] = [];
      for (const r of e.sources.slice(1)) {
        const nid = `ev-${r}-1`;
        events.set(nid, { ...e, event_id: nid, sources: [r], review: 'unreviewed' });
        mergedInto.delete(nid);
        audit.set(nid, audit.get(nid) ?? []);
        created.push(nid);
        emit(nid, 'created');
      }
      e.sources = e.sources.slice(0, 1);
      log.push({ at, who: 'analyst', action: 'split', after: created });
      emit(survivor, 'split');
      return send(res, 200, { ...detail(survivor), created });
    }
    return send(res, 404, { error: 'not found' });
  }

  function handle(req: IncomingMessage, res: ServerResponse): boolean {
    const url = new URL(req.url ?? '/', 'http://mock');
    const path = url.pathname;
    if (!path.startsWith('/api/')) return false;
    if (path === '/api/stream') {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
      res.write(': connected\n\n');
      clients.add(res);
      req.on('close', () => clients.delete(res));
      return true;
    }
    if (path === '/api/events' && req.method === 'GET') {
      const q = url.searchParams;
      const all = [...events.values()].filter((e) => matches(e, q)).sort((a, b) => String(a['event_date'] ?? '').localeCompare(String(b['event_date'] ?? '')));
      const limit = Math.min(Number(q.get('limit') ?? 100) || 100, 200_000);
      const offset = Number(q.get('offset') ?? 0) || 0;
      if (q.get('format') === 'compact') {
        const fields = ['id', 'date', 'type', 'sub_type', 'lat', 'lon', 'fatalities', 'location', 'country', 'actor1', 'actor2', 'confidence', 'review'];
        const rows = all.slice(0, limit).map((e) => [e.event_id, e['event_date'], e['event_type'], e['sub_event_type'], e['latitude'], e['longitude'], e['fatalities'], e['location'], e['country'], e['actor1'], e['actor2'], e['confidence'], e.review]);
        return send(res, 200, { total: all.length, fields, rows });
      }
      return send(res, 200, { total: all.length, limit, offset, events: all.slice(offset, offset + limit) });
    }
    const m = /^\/api\/events\/([^/]+)(?:\/(confirm|reject|merge|split))?$/.exec(path);
    if (m) {
      const id = decodeURIComponent(m[1]!);
      if (req.method === 'GET' && !m[2]) {
        const d = detail(id);
        return d ? send(res, 200, d) : send(res, 404, { error: `no event ${id}` });
      }
      const verb = req.method === 'PATCH' && !m[2] ? 'edit' : req.method === 'POST' ? m[2] : undefined;
      if (verb) {
        write(req, res, id, verb).catch((err: unknown) => send(res, 500, { error: String(err) }));
        return true;
      }
    }
    return send(res, 404, { error: `no route ${req.method} ${path}` });
  }

  return { handle, size: () => events.size };
}
