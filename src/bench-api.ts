// `sitrep bench --api`: the workbench's speed as an analyst meets it. A store of synthetic events is
// served on a loopback port and asked, over HTTP, the commonest question (a box and 90 days, one kind,
// a page of events with its total); the whole set as compact rows, as the map loads it, is timed too.
// Where a Chromium is installed, the web UI is loaded on a store of 10,000 events and the time from
// the data's arrival to the map, list and timeline drawn is read from the page.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { percentiles, syntheticWorld } from './bench-store.js';
import { PACKAGE_ROOT } from './paths.js';
import type { Progress } from './progress.js';
import { buildServer } from './server/app.js';
import { SqliteStore } from './store/sqlite.js';

export interface ApiBench {
  events: number;
  queries: number;
  /** GET /api/events?bbox&from&to&type, a page of 100 and the total, over HTTP on loopback */
  p50_ms: number;
  p95_ms: number;
  max_ms: number;
  mean_total: number;
  /** GET /api/events?format=compact for every event, as the map loads them */
  compact_all_ms: number;
  compact_all_mb: number;
  /** the web UI drawing `ui_events` events in headless Chromium, or why it was not measured */
  ui: { events: number; render_ms: number; load_ms?: number } | { skipped: string };
}

export async function runApiBench(opts: { events?: number; queries?: number; uiEvents?: number; progress?: Progress } = {}): Promise<ApiBench> {
  const n = opts.events ?? 100_000;
  const dir = mkdtempSync(path.join(tmpdir(), 'sitrep-bench-api-'));
  try {
    const store = new SqliteStore(path.join(dir, 'api.db'));
    const world = syntheticWorld(11);
    opts.progress?.start('bench: filling a store', n);
    world.fill(store, n, opts.progress);
    opts.progress?.done(`${n} events`);
    const app = await buildServer({ store, models: () => { throw new Error('the API bench posts no reports'); } });
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    let result: Omit<ApiBench, 'ui'>;
    try {
      const ask = async (q: URLSearchParams): Promise<{ ms: number; body: string }> => {
        const t = performance.now();
        const res = await fetch(`${base}/api/events?${q}`);
        const body = await res.text();
        if (!res.ok) throw new Error(`bench: ${res.status} ${body}`);
        return { ms: performance.now() - t, body };
      };
      // (the first questions warm the statement cache and the JIT)
      for (let i = 0; i < 20; i++) {
        const { bbox, from, to, type } = world.question();
        await ask(new URLSearchParams({ bbox: bbox.join(','), from, to, type }));
      }
      const q = opts.queries ?? 300;
      const times: number[] = [];
      let totals = 0;
      for (let i = 0; i < q; i++) {
        const { bbox, from, to, type } = world.question();
        const r = await ask(new URLSearchParams({ bbox: bbox.join(','), from, to, type }));
        times.push(r.ms);
        totals += (JSON.parse(r.body) as { total: number }).total;
      }
      const all = await ask(new URLSearchParams({ format: 'compact', limit: String(n) }));
      result = { events: n, queries: q, ...percentiles(times), mean_total: Math.round(totals / q), compact_all_ms: Math.round(all.ms), compact_all_mb: Math.round(all.body.length / 1e5) / 10 };
    } finally {
      await app.close();
      store.close();
    }
    return { ...result, ui: await uiBench(dir, opts.uiEvents ?? 10_000, opts.progress) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The web UI on a store of `n` events, in headless Chromium, when there is one and the UI is built. */
async function uiBench(dir: string, n: number, progress?: Progress): Promise<ApiBench['ui']> {
  const webRoot = path.join(PACKAGE_ROOT, 'dist', 'web');
  let ui: typeof import('./bench-ui.js');
  try {
    ui = await import('./bench-ui.js');
  } catch (err) {
    return { skipped: `the UI bench could not load: ${(err as Error).message}` };
  }
  const { runUiBench, findChromium } = ui;
  const chromium = findChromium();
  if (!chromium) return { skipped: 'no Chromium (apt-get install chromium, or set SITREP_CHROMIUM)' };
  const store = new SqliteStore(path.join(dir, 'ui.db'));
  syntheticWorld(13).fill(store, n, progress);
  const app = await buildServer({ store, webRoot, models: () => { throw new Error('the UI bench posts no reports'); } });
  try {
    const base = await app.listen({ port: 0, host: '127.0.0.1' });
    const r = await runUiBench(base, { chromium });
    return { events: r.events, render_ms: r.render_ms, ...(r.load_ms !== undefined ? { load_ms: r.load_ms } : {}) };
  } finally {
    await app.close();
    store.close();
  }
}
