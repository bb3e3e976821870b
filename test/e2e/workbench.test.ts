// The analyst's workbench end to end: the example reports (and one hostile report of the test's own)
// ingested by the CLI into a temporary database, `sitrep serve` on a free port, and the built page
// (dist/web) driven in headless Chromium. It checks what an analyst relies on: the map draws every
// event the API returns, the type filter and the timeline brush narrow map and list together, the
// detail marks the evidence, an edit survives a reload, and a report's markup stays text.
// Skipped where there is no Chromium (SITREP_CHROMIUM, or /usr/bin/chromium) or no build of the UI.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SHOTS = path.join(ROOT, 'test', 'e2e', 'screenshots');
const CHROMIUM = process.env['SITREP_CHROMIUM'] || '/usr/bin/chromium';
const TOKEN = 'test-token';
const ARGS = ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--use-angle=swiftshader', '--enable-unsafe-swiftshader'];

const missing = [
  existsSync(CHROMIUM) ? null : `no Chromium at ${CHROMIUM}`,
  existsSync(path.join(ROOT, 'dist', 'web', 'index.html')) ? null : 'dist/web is not built',
  existsSync(path.join(ROOT, 'dist', 'bin.js')) ? null : 'dist/ is not built',
].filter(Boolean);

// The team's own wording: an attack that should become an event, and markup that must never run.
const HOSTILE_REPORT = [
  ' date 2024-05-02 KADUNA, Nigeria — Gunmen killed four villagers in an attack on a market near Kaduna on Tuesday, police said.',
  '',
  'A statement posted with the report read: <script>window.__pwned=1</script><img src=x onerror="window.__pwned=1"> and nothing else.',
  '',
].join('\n');

interface Row {
  id: string;
  date: string | null;
  type: string;
  lat: number | null;
  lon: number | null;
}

/** What to wait for in the page's probe (window.__sitrep) besides `ready`. */
interface Want {
  loaded?: number;
  listed?: number;
  listedBelow?: number;
}

describe.skipIf(missing.length > 0)(`the workbench in Chromium${missing.length ? ` (skipped: ${missing.join('; ')})` : ''}`, () => {
  let dir: string;
  let server: ChildProcess | null = null;
  let base: string;
  let browser: Browser;
  let page: Page;
  let rows: Row[] = [];

  const api = async <T>(p: string): Promise<T> => {
    const res = await fetch(`${base}${p}`);
    if (!res.ok) throw new Error(`${p}: ${res.status} ${await res.text()}`);
    return (await res.json()) as T;
  };
  const compact = async (): Promise<Row[]> => {
    const r = await api<{ fields: string[]; rows: unknown[][] }>('/api/events?format=compact&limit=200000');
    const at = (f: string): number => r.fields.indexOf(f);
    return r.rows.map((x) => ({ id: String(x[at('id')]), date: x[at('date')] as string | null, type: String(x[at('type')]), lat: x[at('lat')] as number | null, lon: x[at('lon')] as number | null }));
  };
  const mappable = (rs: Row[]): number => rs.filter((r) => r.lat !== null && r.lon !== null).length;
  // (a function, not a string: the page's content security policy forbids evaluating strings)
  const ready = async (want: Want = {}): Promise<void> => {
    await page.waitForFunction(
      (w: Want) => {
        const s = (globalThis as { __sitrep?: { ready: boolean; loaded: number; listed: number } }).__sitrep;
        return !!s && s.ready && (w.loaded === undefined || s.loaded === w.loaded) && (w.listed === undefined || s.listed === w.listed) && (w.listedBelow === undefined || s.listed < w.listedBelow);
      },
      want,
      { timeout: 30_000 },
    );
  };
  const probe = async (): Promise<{ drawn: number; listed: number; loaded: number }> => (await page.evaluate('({ ...window.__sitrep })')) as { drawn: number; listed: number; loaded: number };
  const markerCount = async (): Promise<number> => {
    const count = Number(await page.getAttribute('[data-testid="marker-count"]', 'data-count'));
    expect(await page.textContent('[data-testid="marker-count"]')).toBe(String(count));
    return count;
  };
  const rowIds = async (): Promise<string[]> => {
    const ids = await page.locator('[data-testid="event-row"]:visible').evaluateAll((els) => els.map((e) => e.getAttribute('data-event-id') ?? ''));
    return ids;
  };
  const shot = (name: string): Promise<Buffer> => page.screenshot({ path: path.join(SHOTS, `${name}.png`) });

  beforeAll(async () => {
    mkdirSync(SHOTS, { recursive: true });
    dir = mkdtempSync(path.join(tmpdir(), 'sitrep-e2e-'));
    const db = path.join(dir, 'ui.db');
    const hostile = path.join(dir, 'hostile-kaduna-2024-05-02.txt');
    writeFileSync(hostile, HOSTILE_REPORT);
    const cli = path.join(ROOT, 'bin', 'sitrep.js');
    execFileSync(process.execPath, [cli, 'ingest', path.join(ROOT, 'examples', 'reports'), hostile, '--db', db], { cwd: ROOT, stdio: 'pipe' });

    const child = spawn(process.execPath, [cli, 'serve', '--db', db, '--port', '0'], { cwd: ROOT, env: { ...process.env, SITREP_TOKEN: TOKEN }, stdio: ['ignore', 'ignore', 'pipe'] });
    server = child;
    base = await new Promise<string>((resolve, reject) => {
      let err = '';
      const timer = setTimeout(() => reject(new Error(`sitrep serve did not start: ${err}`)), 30_000);
      child.stderr!.on('data', (chunk: Buffer) => {
        err += chunk.toString();
        const m = /sitrep: serving (http:\/\/[^\s/]+)/.exec(err);
        if (m) {
          clearTimeout(timer);
          // (it listens on 127.0.0.1 and says localhost, which may resolve to ::1 first)
          resolve(m[1]!.replace('//localhost:', '//127.0.0.1:'));
        }
      });
      child.once('exit', (code) => reject(new Error(`sitrep serve exited (${code}): ${err}`)));
    });
    rows = await compact();

    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => server!.once('exit', resolve));
      server.kill('SIGTERM');
      await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 5000))]);
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  }, 30_000);

  it('loads, and the map draws every event the API returns', async () => {
    expect(rows.length).toBeGreaterThan(5);
    await page.goto(`${base}/`);
    await ready();
    await shot('01-loaded');
    expect(await markerCount()).toBe(mappable(rows));
    expect((await probe()).loaded).toBe(rows.length);
    expect(await page.textContent('[data-testid="status"]')).toContain(`${rows.length} events`);
    expect(await page.locator('[data-testid="map"] canvas').count()).toBeGreaterThan(0);
    // the list holds only the rows in view (virtualised), each naming its event
    const ids = await rowIds();
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.every((id) => rows.some((r) => r.id === id))).toBe(true);
  }, 90_000);

  it('a type filter narrows the list and the map together', async () => {
    const counts = new Map<string, number>();
    for (const r of rows) counts.set(r.type, (counts.get(r.type) ?? 0) + 1);
    const [type] = [...counts].sort((a, b) => b[1] - a[1])[0]!;
    const expected = rows.filter((r) => r.type === type);
    expect(expected.length).toBeLessThan(rows.length);
    await page.selectOption('[data-testid="filter-type"]', type);
    await ready({ loaded: expected.length });
    await shot('02-type-filter');
    expect(await markerCount()).toBe(mappable(expected));
    const ids = await rowIds();
    expect(ids.length).toBe(Math.min(expected.length, ids.length));
    expect(ids.every((id) => expected.some((r) => r.id === id))).toBe(true);
    expect(new URL(page.url()).searchParams.get('type')).toBe(type);

    await page.selectOption('[data-testid="filter-type"]', '');
    await ready({ loaded: rows.length });
    expect(await markerCount()).toBe(mappable(rows));
  }, 90_000);

  it('a brush on the timeline narrows the list and the map together', async () => {
    const box = (await page.locator('[data-testid="timeline"]').boundingBox())!;
    const y = box.y + box.height / 2;
    // (the right half: the example reports are mostly from 2024, with a few older background events)
    await page.mouse.move(box.x + box.width * 0.55, y);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.75, y, { steps: 5 });
    await page.mouse.move(box.x + box.width * 0.97, y, { steps: 5 });
    await page.mouse.up();
    await ready({ listedBelow: rows.length });
    await shot('03-brush');
    const url = new URL(page.url());
    const from = url.searchParams.get('from');
    const to = url.searchParams.get('to');
    expect(from).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(to).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    const inRange = rows.filter((r) => r.date !== null && r.date >= from! && r.date <= to!);
    expect(inRange.length).toBeGreaterThan(0);
    expect(inRange.length).toBeLessThan(rows.length);
    expect((await probe()).listed).toBe(inRange.length);
    expect(await markerCount()).toBe(mappable(inRange));
    const ids = await rowIds();
    expect(ids.every((id) => inRange.some((r) => r.id === id))).toBe(true);
    expect(await page.textContent('[data-testid="status"]')).toContain(`${inRange.length} of ${rows.length} events`);

    // a double-click clears the range
    await page.dblclick('[data-testid="timeline"] canvas');
    await ready({ listed: rows.length });
    expect(await markerCount()).toBe(mappable(rows));
    expect(new URL(page.url()).searchParams.get('from')).toBeNull();
  }, 90_000);

  it('a click on a row opens the detail with the evidence marked', async () => {
    const first = page.locator('[data-testid="event-row"]:visible').first();
    const id = await first.getAttribute('data-event-id');
    await first.click();
    const detail = page.locator('[data-testid="detail"]');
    await detail.locator('mark.evidence').first().waitFor({ timeout: 15_000 });
    expect(await detail.locator('[data-testid="detail-id"]').textContent()).toBe(id);
    expect(await detail.locator('mark.evidence').count()).toBeGreaterThan(0);
    // hovering a field with evidence lights its spans
    const field = detail.locator('tr.has-evidence').first();
    await field.hover();
    expect(await detail.locator('mark.evidence.hl').count()).toBeGreaterThan(0);
    expect(new URL(page.url()).searchParams.get('event')).toBe(id);
    await shot('04-detail');
  }, 90_000);

  it('an edit made with the token survives a reload', async () => {
    const id = (await page.locator('[data-testid="detail-id"]').textContent())!;
    await page.evaluate(`localStorage.setItem('sitrep.token', ${JSON.stringify(TOKEN)})`);
    await page.click('[data-testid="review-edit"]');
    await page.selectOption('[data-testid="edit-field"]', 'fatalities');
    await page.fill('[data-testid="edit-value"]', '17');
    await page.click('[data-testid="edit-save"]');
    await page.locator('[data-testid="toast-info"]').first().waitFor({ timeout: 15_000 });
    const saved = await api<{ event: { fatalities: number | null } }>(`/api/events/${encodeURIComponent(id)}`);
    expect(saved.event.fatalities).toBe(17);

    await page.reload();
    await ready();
    const detail = page.locator('[data-testid="detail"]');
    await detail.locator('[data-testid="detail-id"]').waitFor({ timeout: 15_000 });
    expect(await detail.locator('[data-testid="detail-id"]').textContent()).toBe(id);
    expect((await detail.locator('tr[data-field="fatalities"] .field-value').first().textContent())?.trim()).toBe('17');
    expect(await detail.locator('ol.audit').textContent()).toContain('fatalities');
    await shot('05-edited');
  }, 90_000);

  it('without a token a write is refused, and the server says why', async () => {
    await page.evaluate(`localStorage.removeItem('sitrep.token')`);
    await page.click('[data-testid="review-confirm"]');
    const toast = page.locator('[data-testid="toast-error"]').first();
    await toast.waitFor({ timeout: 15_000 });
    expect(await toast.textContent()).toContain('401');
  }, 60_000);

  it('a hostile report shows as text, and its markup never runs', async () => {
    const listed = await api<{ events: { event_id: string; sources: string[] }[] }>('/api/events?format=json&limit=1000&review=all');
    const hostile = listed.events.find((e) => e.sources.some((s) => s.includes('hostile')));
    expect(hostile, 'the hostile report yields an event').toBeDefined();
    // (the server's content security policy would stop inline script on its own: turn it off, so
    // that what is tested is that the page never turns report text into markup)
    const context = await browser.newContext({ bypassCSP: true, viewport: { width: 1440, height: 900 } });
    page = await context.newPage();
    await page.goto(`${base}/?event=${encodeURIComponent(hostile!.event_id)}`);
    await ready();
    const detail = page.locator('[data-testid="detail"]');
    await detail.locator('.report-text').first().waitFor({ timeout: 15_000 });
    const text = await detail.locator('.report-text').first().textContent();
    expect(text).toContain('<script>window.__pwned=1</script>');
    expect(text).toContain('<img src=x onerror="window.__pwned=1">');
    expect(await detail.locator('script').count()).toBe(0);
    expect(await detail.locator('img').count()).toBe(0);
    await page.waitForTimeout(500);
    expect(await page.evaluate('typeof window.__pwned')).toBe('undefined');
    await detail.locator('.report').first().screenshot({ path: path.join(SHOTS, '06-hostile-report.png') });
  }, 90_000);
});
