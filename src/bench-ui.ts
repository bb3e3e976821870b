// The web UI's speed as an analyst meets it: the workbench served at `baseUrl` is loaded in headless
// Chromium, and the page's own probe (window.__sitrep, set by web/src/main.ts) says when the map,
// the list and the timeline show the data and how long that took from the data's arrival. Then a
// date range is brushed on the timeline and a type chosen, each timed the same way. playwright-core
// is loaded only here, on demand, so the CLI runs without it (it is a development dependency).
import { existsSync } from 'node:fs';
import type { SitrepProbe } from './probe.js';

/** Chromium's flags for a headless run on a machine without a GPU or a network. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--use-angle=swiftshader',
  '--enable-unsafe-swiftshader',
];

/** SITREP_CHROMIUM, or Debian's chromium (or Chrome) where installed; null when there is none. */
export function findChromium(): string | null {
  const named = process.env['SITREP_CHROMIUM'];
  if (named) return existsSync(named) ? named : null;
  for (const p of ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome']) if (existsSync(p)) return p;
  return null;
}

/** What the page reports in window.__sitrep. */
type Probe = SitrepProbe;

export interface UiBench {
  /** events the page loaded, and those drawn on the map (the ones with coordinates) */
  events: number;
  drawn: number;
  /** from the data's arrival in the page to map, list and timeline drawn */
  render_ms: number;
  /** from navigation to the page ready (HTML, scripts, the map's style, the fetch and the render) */
  load_ms: number;
  /** where render_ms went: the fetch (before it), parsing rows, list + timeline, the map */
  phases: Record<string, number> | null;
  /** a brush over the middle of the timeline: from the pointer's release to everything redrawn */
  brush_ms: number | null;
  brushed_events: number | null;
  /** choosing an event type: from the choice to everything redrawn, the refetch included */
  filter_ms: number | null;
  /** the page's JavaScript heap once ready, MB */
  heap_mb: number | null;
}

/** Besides `ready`, what the probe must show before a measurement is read. */
interface Want {
  loadedNot?: number;
  listedNot?: number;
}

export async function runUiBench(baseUrl: string, opts: { chromium?: string; timeoutMs?: number } = {}): Promise<UiBench> {
  const executablePath = opts.chromium ?? findChromium();
  if (!executablePath) throw new Error('bench: no Chromium found (apt-get install chromium, or set SITREP_CHROMIUM)');
  let playwright: typeof import('playwright-core');
  try {
    playwright = await import('playwright-core');
  } catch {
    throw new Error('bench: the UI bench needs playwright-core, a development dependency (npm install)');
  }
  const timeout = opts.timeoutMs ?? 120_000;
  const browser = await playwright.chromium.launch({ executablePath, args: [...CHROMIUM_ARGS], timeout });
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    const probe = async (): Promise<Probe> => (await page.evaluate('({ ...window.__sitrep })')) as Probe;
    // (a function, not a string: the page's content security policy forbids evaluating strings)
    const until = (want: Want, ms: number) =>
      page.waitForFunction(
        (w: Want) => {
          const s = (globalThis as { __sitrep?: Probe }).__sitrep;
          return !!s && s.ready && (w.loadedNot === undefined || s.loaded !== w.loadedNot) && (w.listedNot === undefined || s.listed !== w.listedNot);
        },
        want,
        { timeout: ms },
      );
    const settled = async (): Promise<Probe> => {
      await until({}, timeout);
      const p = await probe();
      if (p.error) throw new Error(`bench: the page failed: ${p.error}`);
      return p;
    };

    const t0 = performance.now();
    await page.goto(new URL('/', baseUrl).href, { waitUntil: 'load', timeout });
    const first = await settled().catch((err: Error) => {
      throw new Error(`${err.message}${errors.length ? ` (page errors: ${errors.join('; ')})` : ''}`);
    });
    const load_ms = Math.round(first.firstReadyMs ?? performance.now() - t0);
    const heap = (await page.evaluate('performance.memory ? performance.memory.usedJSHeapSize : null')) as number | null;

    // A brush over the middle third of the timeline.
    let brush_ms: number | null = null;
    let brushed_events: number | null = null;
    const box = await page.locator('[data-testid="timeline"]').boundingBox();
    if (box && first.loaded > 0) {
      const y = box.y + box.height / 2;
      await page.mouse.move(box.x + box.width / 3, y);
      await page.mouse.down();
      await page.mouse.move(box.x + (box.width * 2) / 3, y, { steps: 4 });
      await page.mouse.up();
      await until({ listedNot: first.listed }, 10_000).catch(() => undefined);
      const p = await settled();
      brush_ms = p.renderMs;
      brushed_events = p.listed;
      await page.locator('[data-testid="timeline-clear"]').click();
      await settled();
    }

    // One event type.
    let filter_ms: number | null = null;
    if (first.loaded > 0) {
      const t = performance.now();
      await page.selectOption('[data-testid="filter-type"]', 'Battles');
      await until({ loadedNot: first.loaded }, timeout).catch(() => undefined);
      await settled();
      filter_ms = Math.round(performance.now() - t);
    }

    return {
      events: first.loaded,
      drawn: first.drawn,
      render_ms: first.renderMs,
      load_ms,
      phases: first.phases ?? null,
      brush_ms,
      brushed_events,
      filter_ms,
      heap_mb: heap === null ? null : Math.round(heap / 1e5) / 10,
    };
  } finally {
    await browser.close();
  }
}
