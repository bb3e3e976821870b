// The HTTP API, in process (fastify's inject): every route, the 400/401/404/413/429 paths, a hostile
// report, and the review kept through a retelling. The reports are the team's own invented wording.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer } from '../src/server/app.js';
import { SqliteStore } from '../src/store/sqlite.js';
import { testModels } from './models.js';

const TOKEN = 'a-long-test-token-0123456789';
const auth = { authorization: `Bearer ${TOKEN}` };
const dir = mkdtempSync(path.join(tmpdir(), 'sitrep-api-'));
let store: SqliteStore;
let app: FastifyInstance;

const REPORTS = [
  { id: 'r-ambush', date: '2024-06-07', title: 'Convoy ambushed', text: 'On 6 June 2024, Al Shabaab fighters ambushed an army convoy near Afgooye in Lower Shabelle, killing four soldiers and wounding two.' },
  { id: 'r-protest', date: '2024-06-07', text: 'On 6 June 2024, hundreds of teachers protested in Nairobi over unpaid salaries.' },
  { id: 'r-shelling', date: '2024-03-12', text: 'Artillery shelling hit the town of Marinka in Donetsk oblast on 11 March 2024, killing two civilians.' },
];
const HOSTILE = { id: 'r-hostile', date: '2024-06-08', text: 'On 7 June 2024, <script>window.__pwned=1</script> rioters <img src=x onerror="alert(1)"> burned tyres in Kisumu, Kenya.' };

beforeAll(async () => {
  store = new SqliteStore(path.join(dir, 'api.db'));
  app = await buildServer({ store, token: TOKEN, models: testModels, writesPerMinute: 1000, bodyLimit: 64 * 1024, streamPollMs: 50 });
  const res = await app.inject({ method: 'POST', url: '/api/reports', headers: auth, payload: REPORTS });
  expect(res.statusCode, res.body).toBe(200);
  // (the first report loads the models, and on a fresh machine builds the gazetteer's index: seconds)
}, 120_000);
afterAll(async () => {
  await app.close();
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const get = (url: string) => app.inject({ method: 'GET', url });
const firstEvent = async (query: string): Promise<string> => (get(`/api/events?${query}`).then((r) => r.json().events[0].event_id as string));

describe('reading', () => {
  it('lists events as JSON with a total, paged and sorted', async () => {
    const res = await get('/api/events');
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body.total).toBe(3);
    expect(body.events.map((e: { event_date: string }) => e.event_date)).toEqual(['2024-03-11', '2024-06-06', '2024-06-06']);
    expect(body.events[0].review).toBe('unreviewed');
    const page = (await get('/api/events?limit=1&offset=1&sort=-date')).json();
    expect(page).toMatchObject({ total: 3, limit: 1, offset: 1 });
    expect(page.events).toHaveLength(1);
  });

  it('filters by type, country, box, dates, actor and report words', async () => {
    const count = async (q: string): Promise<number> => (await get(`/api/events?${q}`)).json().total;
    expect(await count('type=Protests')).toBe(1);
    expect(await count('country=SO')).toBe(1);
    expect(await count('bbox=36.6,-1.5,37.1,-1.1')).toBe(1);
    expect(await count('from=2024-06-01&to=2024-06-30')).toBe(2);
    expect(await count('actor=shabaab')).toBe(1);
    expect(await count('q=salaries')).toBe(1);
    expect(await count('minConfidence=0')).toBe(3);
  });

  it('gives compact rows for a map and GeoJSON for GIS', async () => {
    const compact = (await get('/api/events?format=compact')).json();
    expect(compact.fields[0]).toBe('id');
    expect(compact.rows).toHaveLength(3);
    const geo = await get('/api/events?format=geojson&type=Battles');
    expect(geo.headers['content-type']).toMatch(/application\/geo\+json/);
    expect(geo.json().features[0].geometry.type).toBe('Point');
  });

  it('answers 400 with a message per field for a bad query', async () => {
    const res = await get('/api/events?from=2024-02-30&bbox=1,2,3&limit=0&type=Picnic&colour=red');
    expect(res.statusCode).toBe(400);
    const paths = res.json().issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['from', 'bbox', 'limit', 'type']));
    expect((await get('/api/events?limit=5000')).statusCode).toBe(400);
    expect((await get('/api/events?format=compact&limit=5000')).statusCode).toBe(200);
  });

  it('takes quotes and SQL in filters as text', async () => {
    const res = await get(`/api/events?actor=${encodeURIComponent("x' OR 1=1 --")}&q=${encodeURIComponent('"a" OR NEAR(*')}`);
    expect(res.statusCode).toBe(200);
    expect(res.json().total).toBe(0);
  });

  it('shows one event with its reports, the evidence of each field in them, and 404 for an unknown id', async () => {
    const id = await firstEvent('type=Battles');
    const res = await get(`/api/events/${id}`);
    expect(res.statusCode).toBe(200);
    const d = res.json();
    expect(d.event.event_id).toBe(id);
    expect(d.reports).toHaveLength(1);
    const r = d.reports[0];
    expect(r.text).toContain('Afgooye');
    for (const spans of Object.values(r.evidence) as { start: number; end: number; text: string }[][]) for (const s of spans) expect(r.text.slice(s.start, s.end)).toBe(s.text);
    expect(r.evidence.location).toBeDefined();
    expect((await get('/api/events/ev-nowhere')).statusCode).toBe(404);
    expect((await get('/api/reports/r-protest')).json().text).toContain('teachers');
    expect((await get('/api/reports/nope')).statusCode).toBe(404);
  });

  it('exports CSV with ACLED columns, GeoJSON and JSONL', async () => {
    const csv = await get('/api/export?format=csv&type=Protests');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    expect(csv.body.split('\n')[0]).toMatch(/^event_id_cnty,event_date,year,/);
    expect(csv.body.trim().split('\n')).toHaveLength(2);
    expect(JSON.parse((await get('/api/export?format=geojson')).body).features).toHaveLength(3);
    expect((await get('/api/export?format=jsonl')).body.trim().split('\n')).toHaveLength(3);
    expect((await get('/api/export?format=xlsx')).statusCode).toBe(400);
  });

  it('lists changes since a time or after a sequence number', async () => {
    const all = (await get('/api/changes?since=2000-01-01')).json().changes;
    expect(all.length).toBeGreaterThanOrEqual(3);
    expect(all[0]).toMatchObject({ change: 'created' });
    expect((await get(`/api/changes?after=${all[all.length - 1].seq}`)).json().changes).toEqual([]);
    expect((await get('/api/changes')).statusCode).toBe(400);
  });

  it('describes itself as OpenAPI 3.1 and sends security headers', async () => {
    const res = await get('/api/openapi.json');
    const doc = res.json();
    expect(doc.openapi).toBe('3.1.0');
    for (const p of ['/api/events', '/api/events/{id}', '/api/reports', '/api/export', '/api/stream', '/api/changes', '/api/events/{id}/merge']) expect(doc.paths[p]).toBeDefined();
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toMatch(/script-src 'self'/);
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
    expect((await get('/api/nothing')).statusCode).toBe(404);
  });
});

describe('writing', () => {
  it('needs the token: 401 without it or with a wrong one', async () => {
    const id = await firstEvent('type=Protests');
    expect((await app.inject({ method: 'POST', url: `/api/events/${id}/confirm` })).statusCode).toBe(401);
    expect((await app.inject({ method: 'POST', url: `/api/events/${id}/confirm`, headers: { authorization: 'Bearer wrong' } })).statusCode).toBe(401);
    expect((await app.inject({ method: 'POST', url: '/api/reports', payload: REPORTS[0] })).statusCode).toBe(401);
  });

  it('is read-only when the server has no token', async () => {
    const ro = await buildServer({ store, models: testModels });
    const res = await ro.inject({ method: 'POST', url: '/api/reports', headers: auth, payload: REPORTS[0] });
    expect(res.statusCode).toBe(401);
    expect(res.json().error).toMatch(/SITREP_TOKEN/);
    await ro.close();
  });

  it('refuses a body over the limit with 413, and malformed JSON or a report without text with 400', async () => {
    const big = await app.inject({ method: 'POST', url: '/api/reports', headers: { ...auth, 'content-type': 'application/json' }, payload: JSON.stringify({ text: 'x'.repeat(70 * 1024) }) });
    expect(big.statusCode).toBe(413);
    const bad = await app.inject({ method: 'POST', url: '/api/reports', headers: { ...auth, 'content-type': 'application/json' }, payload: '{"text": ' });
    expect(bad.statusCode).toBe(400);
    const empty = await app.inject({ method: 'POST', url: '/api/reports', headers: auth, payload: { title: 'no text' } });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().issues.length).toBeGreaterThan(0);
  });

  it('ingests reports: stored once, a bad date reported for its item while the rest goes on', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/reports', headers: auth, payload: { reports: [REPORTS[1], { id: 'r-bad-date', date: '2024-02-30', text: 'Police dispersed a march in Kampala.' }, HOSTILE] } });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ stored: 1, duplicates: 1, failed: 1 });
    expect(body.results[1].error).toMatch(/not a date/);
  });

  it('keeps a hostile report as text: stored and served byte for byte, never as markup', async () => {
    const r = (await get('/api/reports/r-hostile')).json();
    expect(r.text).toBe(HOSTILE.text);
    const list = await get('/api/events?q=tyres');
    expect(list.headers['content-type']).toMatch(/application\/json/);
  });

  it('confirms, corrects (validated per field), rejects, and keeps a correction through a retelling, with an audit log', async () => {
    const id = await firstEvent('type=Battles');
    const h = { ...auth, 'x-sitrep-user': 'amina' };
    expect((await app.inject({ method: 'POST', url: `/api/events/${id}/confirm`, headers: h, payload: { note: 'matches the local press' } })).json().event.review).toBe('confirmed');
    const badValue = await app.inject({ method: 'PATCH', url: `/api/events/${id}`, headers: h, payload: { field: 'fatalities', value: -3 } });
    expect(badValue.statusCode).toBe(400);
    expect(badValue.json().issues[0].path).toBe('value');
    expect((await app.inject({ method: 'PATCH', url: `/api/events/${id}`, headers: h, payload: { field: 'event_id', value: 'x' } })).statusCode).toBe(400);
    expect((await app.inject({ method: 'PATCH', url: `/api/events/${id}`, headers: h, payload: { field: 'sub_event_type', value: 'Peaceful protest' } })).statusCode).toBe(400);
    const edited = await app.inject({ method: 'PATCH', url: `/api/events/${id}`, headers: h, payload: { field: 'fatalities', value: 5 } });
    expect(edited.statusCode, edited.body).toBe(200);
    expect(edited.json().event.fatalities).toBe(5);
    // a retelling joins the event; the correction stands
    await app.inject({ method: 'POST', url: '/api/reports', headers: auth, payload: { id: 'r-ambush-2', date: '2024-06-08', text: 'Four soldiers were killed and two wounded on Thursday 6 June 2024 when Al Shabaab fighters ambushed an army convoy near Afgooye, in the Lower Shabelle region, officials said.' } });
    const after = (await get(`/api/events/${id}`)).json();
    expect(after.event.sources).toEqual(['r-ambush', 'r-ambush-2']);
    expect(after.event.fatalities).toBe(5);
    expect(after.reports).toHaveLength(2);
    expect(after.audit.map((a: { who: string; action: string }) => `${a.who}:${a.action}`)).toEqual(['amina:confirm', 'amina:edit']);
    const kind = await app.inject({ method: 'PATCH', url: `/api/events/${id}`, headers: h, payload: { fields: { event_type: 'Violence against civilians', sub_event_type: 'Attack' } } });
    expect(kind.statusCode, kind.body).toBe(200);
    expect(kind.json().event.sub_event_type).toBe('Attack');
    const protest = await firstEvent('type=Protests');
    await app.inject({ method: 'POST', url: `/api/events/${protest}/reject`, headers: h });
    expect((await get('/api/events?type=Protests')).json().total).toBe(0);
    expect((await get('/api/events?type=Protests&review=rejected')).json().total).toBe(1);
    expect((await app.inject({ method: 'POST', url: '/api/events/ev-nowhere/confirm', headers: h })).statusCode).toBe(404);
  });

  it('merges and splits, the merged id leading to the survivor', async () => {
    const a = await firstEvent('type=Riots');
    const b = await firstEvent('country=UA');
    const merged = await app.inject({ method: 'POST', url: `/api/events/${a}/merge`, headers: auth, payload: { others: [b] } });
    expect(merged.statusCode, merged.body).toBe(200);
    expect(merged.json().merged).toEqual([b]);
    expect((await get(`/api/events/${b}`)).json().event.event_id).toBe(a);
    expect((await get('/api/changes?since=2000-01-01')).json().changes.some((c: { change: string; merged_into?: string }) => c.change === 'merged' && c.merged_into === a)).toBe(true);
    expect((await app.inject({ method: 'POST', url: `/api/events/${b}/confirm`, headers: auth })).statusCode).toBe(409);
    const split = await app.inject({ method: 'POST', url: `/api/events/${a}/split`, headers: auth });
    expect(split.json().created).toEqual([b]);
    expect((await app.inject({ method: 'POST', url: `/api/events/${a}/merge`, headers: auth, payload: { others: [] } })).statusCode).toBe(400);
  });

  it('limits the rate of writes with 429', async () => {
    const slow = await buildServer({ store, token: TOKEN, models: testModels, writesPerMinute: 2 });
    const id = await firstEvent('country=SO');
    const codes = [];
    for (let i = 0; i < 3; i++) codes.push((await slow.inject({ method: 'POST', url: `/api/events/${id}/confirm`, headers: auth })).statusCode);
    expect(codes).toEqual([200, 200, 429]);
    await slow.close();
  });
});

describe('the live feed', () => {
  it('sends each new change as a server-sent event', async () => {
    const address = await app.listen({ port: 0, host: '127.0.0.1' });
    const ctrl = new AbortController();
    const res = await fetch(`${address}/api/stream`, { signal: ctrl.signal });
    expect(res.headers.get('content-type')).toMatch(/text\/event-stream/);
    const reader = res.body!.getReader();
    // (a change made after the client came)
    setTimeout(() => void app.inject({ method: 'POST', url: '/api/reports', headers: auth, payload: { id: 'r-live', date: '2024-07-02', text: 'On 1 July 2024, traders protested in Mombasa against new market fees.' } }), 200);
    let text = '';
    const until = Date.now() + 10_000;
    while (!/event: change\ndata: .*"change":"created"/.test(text) && Date.now() < until) text += new TextDecoder().decode((await reader.read()).value);
    ctrl.abort();
    expect(text).toMatch(/id: \d+\nevent: change\ndata: \{"seq":\d+/);
  });
});

describe('metrics', () => {
  it('counts requests by route and status, and the store, in Prometheus text format', async () => {
    await get('/api/events/ev-nowhere');
    const res = await get('/metrics');
    expect(res.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.body).toMatch(/# TYPE sitrep_http_requests_total counter/);
    expect(res.body).toMatch(/sitrep_http_requests_total\{method="GET",route="\/api\/events\/:id",status="404"\} \d+/);
    expect(res.body).toMatch(/sitrep_store_events \d+/);
    expect(res.body).toMatch(/sitrep_reviews_total\{action="confirm"\} \d+/);
  });
});

describe('CORS', () => {
  it('is off unless an origin is configured, then answers that origin only', async () => {
    const open = await buildServer({ store, models: testModels, corsOrigin: 'https://desk.example.org' });
    const ok = await open.inject({ method: 'GET', url: '/api/health', headers: { origin: 'https://desk.example.org' } });
    expect(ok.headers['access-control-allow-origin']).toBe('https://desk.example.org');
    const other = await open.inject({ method: 'GET', url: '/api/health', headers: { origin: 'https://evil.example' } });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
    expect((await open.inject({ method: 'OPTIONS', url: '/api/events', headers: { origin: 'https://desk.example.org', 'access-control-request-method': 'POST' } })).statusCode).toBe(204);
    await open.close();
  });
});
