// `sitrep bench --ingest` and `--query`: the store's speed and memory. Ingest is measured end to end
// (read, extract, dedup, commit) into a fresh SQLite file, beside extraction alone on the same reports
// in the same run, so the store's share of the time is a ratio that means the same on any machine;
// memory is sampled through the run to show whether it grows with the number of reports. The query
// bench fills a store with synthetic events and times the analyst's commonest question: a box, a date
// range and a kind of event.
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Document } from './document.js';
import { extractDocument, loadModels } from './pipeline.js';
import type { Progress } from './progress.js';
import { readInputs, type ReadOptions } from './read/readers.js';
import { EVENT_TYPES, type EventRecord } from './schema.js';
import { SqliteStore } from './store/sqlite.js';

export interface IngestBench {
  reports: number;
  events_stored: number;
  ingest_s: number;
  reports_per_s: number;
  extract_only_s: number;
  /** ingest time over extraction time: the store's cost as a factor */
  ratio_to_extraction: number;
  /** reports a second over each tenth of the run (extraction included): level when a report's cost does not grow with the store */
  reports_per_s_by_tenth: number[];
  /** RSS at each tenth of the run, MB: flat when memory does not grow with the reports */
  rss_mb_by_tenth: number[];
  /** the JavaScript heap in use at each tenth, MB: what of the RSS the program's own objects hold */
  heap_mb_by_tenth: number[];
  /**
   * the heap still in use after a full collection at each tenth, MB: the objects the program keeps.
   * Flat when nothing accumulates with the number of reports (the heap in use above it is garbage not
   * yet collected, and the RSS a high-water mark V8 and SQLite do not give back)
   */
  live_heap_mb_by_tenth: number[];
  peak_rss_mb: number;
}

/** Reports as many as asked: the inputs, then again with new ids and a marked text, so each is a new report. */
export function* cycle(docs: readonly Document[], n: number, from = 0): Generator<Document> {
  for (let i = from; i < from + n; i++) {
    const d = docs[i % docs.length]!;
    const round = Math.floor(i / docs.length);
    yield round === 0 ? d : { ...d, id: `${d.id}~${round}`, text: `${d.text}\n\n(Filed again, copy ${round}.)` };
  }
}

export async function runIngestBench(inputs: readonly string[], read: ReadOptions, opts: { reports?: number; progress?: Progress } = {}): Promise<IngestBench> {
  const models = loadModels(opts.progress);
  const docs: Document[] = [];
  for await (const item of readInputs(inputs, read)) if (item.kind === 'document') docs.push(item.doc);
  if (docs.length === 0) throw new Error('bench: no documents in the input');
  const n = opts.reports ?? docs.length;

  // extraction alone, on the first pass of the reports (the JIT warmed on a few first)
  for (const d of docs.slice(0, 100)) extractDocument(d, models);
  const e0 = performance.now();
  for (const d of docs.slice(0, Math.min(n, docs.length))) extractDocument(d, models);
  const extractOnlyS = ((performance.now() - e0) / 1000) * (n / Math.min(n, docs.length));

  const dir = mkdtempSync(path.join(tmpdir(), 'sitrep-bench-'));
  const store = new SqliteStore(path.join(dir, 'bench.db'));
  const rss: number[] = [];
  const heap: number[] = [];
  const live: number[] = [];
  const rate: number[] = [];
  const collect = fullCollection();
  let eventsStored = 0;
  try {
    opts.progress?.start('bench: ingesting', n);
    const t0 = performance.now();
    let tenthStart = { done: 0, t: t0 };
    let batch: { doc: Document; events: EventRecord[]; messages: [] }[] = [];
    let done = 0;
    for (const d of cycle(docs, n)) {
      batch.push({ doc: d, events: extractDocument(d, models).events, messages: [] });
      if (batch.length === 100) {
        store.addReports(batch);
        done += batch.length;
        opts.progress?.tick(batch.length);
        batch = [];
        if (rss.length < Math.floor((done / n) * 10)) {
          // (the tenth's own pace, before the collection below)
          const now = performance.now();
          rate.push(Math.round((done - tenthStart.done) / ((now - tenthStart.t) / 1000)));
          rss.push(Math.round(process.memoryUsage.rss() / 1e6));
          heap.push(Math.round(process.memoryUsage().heapUsed / 1e6));
          collect();
          live.push(Math.round(process.memoryUsage().heapUsed / 1e6));
          tenthStart = { done, t: performance.now() };
        }
      }
    }
    if (batch.length) store.addReports(batch);
    const ingestS = (performance.now() - t0) / 1000;
    opts.progress?.done(`${n} reports`);
    eventsStored = store.counts().events;
    return {
      reports: n,
      events_stored: eventsStored,
      ingest_s: round(ingestS),
      reports_per_s: Math.round(n / ingestS),
      extract_only_s: round(extractOnlyS),
      ratio_to_extraction: round(ingestS / extractOnlyS),
      reports_per_s_by_tenth: rate,
      rss_mb_by_tenth: rss,
      heap_mb_by_tenth: heap,
      live_heap_mb_by_tenth: live,
      peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    };
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A full garbage collection on demand, for measuring what stays alive. V8 lends its `gc` only to code
 * compiled after the flag is set, so it is fetched from a fresh context.
 */
function fullCollection(): () => void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as (() => void) | undefined;
  return gc ?? (() => {});
}

export interface QueryBench {
  events: number;
  fill_s: number;
  store_mb: number;
  queries: number;
  p50_ms: number;
  p95_ms: number;
  max_ms: number;
  mean_results: number;
}

/** A small deterministic random sequence, so two runs ask the same questions. */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function runQueryBench(opts: { events?: number; queries?: number; progress?: Progress } = {}): QueryBench {
  const n = opts.events ?? 1_000_000;
  const dir = mkdtempSync(path.join(tmpdir(), 'sitrep-bench-'));
  const file = path.join(dir, 'query.db');
  const store = new SqliteStore(file);
  try {
    const world = syntheticWorld(7);
    opts.progress?.start('bench: filling a store', n);
    const t0 = performance.now();
    world.fill(store, n, opts.progress);
    const fillS = (performance.now() - t0) / 1000;
    opts.progress?.done(`${n} events`);
    const q = opts.queries ?? 500;
    const times: number[] = [];
    let results = 0;
    for (let i = 0; i < q; i++) {
      const { bbox, from, to, type } = world.question();
      const s = performance.now();
      results += store.events({ bbox, from, to, type, limit: 500 }).length;
      times.push(performance.now() - s);
    }
    return { events: n, fill_s: round(fillS), store_mb: Math.round(statSync(file).size / 1e6), queries: q, ...percentiles(times), mean_results: Math.round(results / q) };
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Synthetic events where conflicts are (a few dozen hot spots, spread over five years, of every kind),
 * and the analyst's commonest question about them: a box of 2-10° around a hot spot, 90 days, one kind.
 */
export function syntheticWorld(seed: number) {
  const rand = random(seed);
  const types = Object.keys(EVENT_TYPES) as (keyof typeof EVENT_TYPES)[];
  const spots = Array.from({ length: 40 }, () => [rand() * 120 - 20, rand() * 70 - 30] as const);
  const day = (d: number): string => new Date(Date.UTC(2020, 0, 1) + d * 86_400_000).toISOString().slice(0, 10);
  return {
    fill(store: SqliteStore, n: number, progress?: Progress): void {
      store.fillSynthetic(n, (i) => {
        const [lon0, lat0] = spots[Math.floor(rand() * spots.length)]!;
        const type = types[Math.floor(rand() * types.length)]!;
        if (i % 10_000 === 0) progress?.tick(10_000);
        return { event_date: day(Math.floor(rand() * 1826)), event_type: type, sub_event_type: EVENT_TYPES[type][0], latitude: lat0 + (rand() - 0.5) * 6, longitude: lon0 + (rand() - 0.5) * 6, location: `Place ${i % 997}`, fatalities: Math.floor(rand() * 4), confidence: Math.round(rand() * 100) / 100 };
      });
    },
    question(): { bbox: [number, number, number, number]; from: string; to: string; type: keyof typeof EVENT_TYPES } {
      const [lon0, lat0] = spots[Math.floor(rand() * spots.length)]!;
      const size = 1 + rand() * 4;
      const start = Math.floor(rand() * 1700);
      return { bbox: [lon0 - size, lat0 - size, lon0 + size, lat0 + size], from: day(start), to: day(start + 90), type: types[Math.floor(rand() * types.length)]! };
    },
  };
}

/** The 50th and 95th percentiles and the maximum of some times, ms. */
export function percentiles(times: number[]): { p50_ms: number; p95_ms: number; max_ms: number } {
  const sorted = [...times].sort((a, b) => a - b);
  const pct = (p: number): number => round(sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!);
  return { p50_ms: pct(0.5), p95_ms: pct(0.95), max_ms: round(sorted[sorted.length - 1]!) };
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
