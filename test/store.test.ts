// The event store's contract (SQLite here; the PostgreSQL store will run the same suite) and the ingest
// command end to end: idempotent by id, content and URL, one event per incident across reports, merges
// that can be undone, and a rerun after SIGKILL that completes the rest with no duplicates. The reports
// are the team's own invented wording.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Document } from '../src/document.js';
import { extractDocument } from '../src/pipeline.js';
import { PACKAGE_ROOT } from '../src/paths.js';
import { SqliteStore } from '../src/store/sqlite.js';
import { testModels } from './models.js';

const dir = mkdtempSync(path.join(tmpdir(), 'sitrep-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const freshStore = (): SqliteStore => new SqliteStore(path.join(dir, `s${n++}.db`));

function doc(id: string, text: string, date = '2024-06-07', url?: string): Document {
  return { id, date, text, origin: { file: 'test' }, messages: [], ...(url ? { url } : {}) };
}

function add(store: SqliteStore, d: Document) {
  const r = extractDocument(d, testModels());
  return store.addReport(d, r.events, r.messages);
}

const AMBUSH = 'On 6 June 2024, Al Shabaab fighters ambushed an army convoy near Afgooye in Lower Shabelle, killing four soldiers and wounding two.';
const AMBUSH_RETOLD = 'Four soldiers were killed and two wounded on Thursday 6 June 2024 when Al Shabaab fighters ambushed an army convoy near Afgooye, in the Lower Shabelle region, officials said.';
const PROTEST = 'On 6 June 2024, hundreds of teachers protested in Nairobi over unpaid salaries.';

describe('the SQLite store', () => {
  it('stores a report once, whether it comes again by id, by content or by URL', () => {
    const store = freshStore();
    expect(add(store, doc('r1', AMBUSH, '2024-06-07', 'https://example.org/a')).status).toBe('stored');
    expect(add(store, doc('r1', PROTEST)).status).toBe('duplicate');
    expect(add(store, doc('r2', `  ${AMBUSH}\n`)).status).toBe('duplicate');
    expect(add(store, doc('r3', PROTEST, '2024-06-07', 'https://example.org/a')).status).toBe('duplicate');
    expect(store.counts()).toMatchObject({ reports: 1 });
    store.close();
  });

  it('files a retelling of an incident under the event already stored, with both reports as sources and the reasons kept', () => {
    const store = freshStore();
    const first = add(store, doc('a', AMBUSH));
    const second = add(store, doc('b', AMBUSH_RETOLD));
    expect(second.events[0]?.merged).toBe(true);
    const id = first.events[0]!.eventId;
    expect(second.events[0]?.eventId).toBe(id);
    const e = store.event(id)!;
    expect(e.sources).toEqual(['a', 'b']);
    expect(e.fatalities).toBe(4);
    const merges = store.merges(id);
    expect(merges).toHaveLength(1);
    expect(merges[0]!.reasons.join('; ')).toMatch(/same day/);
    expect(store.counts().events).toBe(1);
    store.close();
  });

  it('keeps apart incidents of one day in two places, and two kinds of event in one place', () => {
    const store = freshStore();
    add(store, doc('a', AMBUSH));
    add(store, doc('b', 'On 6 June 2024, Al Shabaab fighters ambushed an army convoy near Jowhar in Middle Shabelle, killing four soldiers.'));
    add(store, doc('c', 'On 6 June 2024, traders protested in Afgooye against new taxes.'));
    expect(store.counts().events).toBe(3);
    store.close();
  });

  it('never merges two events told by one report', () => {
    const store = freshStore();
    const r = add(store, doc('a', `${AMBUSH}\n\nOn the same day, Al Shabaab fighters ambushed a second army convoy near Afgooye, killing two soldiers.`));
    const ids = r.events.map((e) => e.eventId);
    expect(new Set(ids).size).toBe(ids.length);
    store.close();
  });

  it('splits a merged event back into its reports\' accounts, and lists the changes', () => {
    const store = freshStore();
    const since = new Date(Date.now() - 1000).toISOString();
    const first = add(store, doc('a', AMBUSH));
    add(store, doc('b', AMBUSH_RETOLD));
    const id = first.events[0]!.eventId;
    const created = store.split(id);
    expect(created).toHaveLength(1);
    expect(store.event(id)!.sources).toEqual(['a']);
    expect(store.event(created[0]!)!.sources).toEqual(['b']);
    expect(store.merges(id)).toHaveLength(0);
    const kinds = store.changes(since).map((c) => `${c.kind}:${c.eventId === id ? 'first' : 'other'}`);
    expect(kinds).toEqual(['created:first', 'updated:first', 'split:other', 'updated:first']);
    store.close();
  });

  it('finds events by date, kind, country and box', () => {
    const store = freshStore();
    add(store, doc('a', AMBUSH));
    add(store, doc('c', PROTEST));
    expect(store.events({ type: 'Protests' }).map((e) => e.country)).toEqual(['Kenya']);
    expect(store.events({ country: 'SO' })).toHaveLength(1);
    expect(store.events({ country: 'Somalia', from: '2024-06-07' })).toHaveLength(0);
    // (a box around Nairobi)
    expect(store.events({ bbox: [36.6, -1.5, 37.1, -1.1] }).map((e) => e.event_type)).toEqual(['Protests']);
    expect(store.events({ limit: 1 })).toHaveLength(1);
    store.close();
  });

  it('opens a file it made before without applying its migrations again', () => {
    const file = path.join(dir, 'reopen.db');
    const a = new SqliteStore(file);
    add(a, doc('a', AMBUSH));
    a.close();
    const b = new SqliteStore(file);
    expect(b.counts().reports).toBe(1);
    b.close();
  });
});

// --- the command line, end to end ---

const CLI = [path.join(PACKAGE_ROOT, 'src', 'bin.ts')];
function sitrep(args: string[]) {
  return spawnSync(process.execPath, ['--import', 'tsx', ...CLI, ...args], { encoding: 'utf8', cwd: PACKAGE_ROOT, env: { ...process.env, SITREP_NO_PROGRESS: '1' } });
}

/** Reports of many incidents, each told twice in other words, as a JSONL file. */
function writeReports(file: string, incidents: number): void {
  const towns = ['Kismayo', 'Baidoa', 'Beledweyne', 'Jowhar', 'Afgooye', 'Marka', 'Galkayo', 'Garowe'];
  const lines: string[] = [];
  for (let i = 0; i < incidents; i++) {
    const day = 1 + (i % 27);
    const town = towns[i % towns.length]!;
    const killed = 1 + (i % 7);
    lines.push(JSON.stringify({ id: `n${i}`, date: `2024-05-${String(day + 1).padStart(2, '0')}`, text: `On ${day} May 2024, Al Shabaab fighters attacked a police post in ${town}, killing ${killed} officers. Report number ${i}.` }));
    lines.push(JSON.stringify({ id: `n${i}-again`, date: `2024-05-${String(day + 1).padStart(2, '0')}`, text: `Al Shabaab fighters attacked a police post in ${town} on ${day} May 2024 and killed ${killed} officers, according to report number ${i}.` }));
  }
  writeFileSync(file, `${lines.join('\n')}\n`);
}

describe('sitrep ingest', () => {
  it('stores reports, merges the retellings, and adds nothing when run again', () => {
    const input = path.join(dir, 'reports.jsonl');
    writeReports(input, 12);
    const db = path.join(dir, 'cli.db');
    const first = sitrep(['ingest', input, '--db', db]);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stderr).toMatch(/24 reports read: 24 stored/);
    const events = Number(/holds 24 reports and (\d+) events/.exec(first.stderr)?.[1]);
    expect(events).toBeLessThanOrEqual(13);
    const again = sitrep(['ingest', input, '--db', db]);
    expect(again.stderr).toMatch(/0 stored, 24 stored before/);
    expect(again.stderr).toMatch(new RegExp(`holds 24 reports and ${events} events`));
    const csv = sitrep(['export', '--db', db, '--format', 'csv']);
    expect(csv.stdout.split('\n')[0]).toMatch(/^event_id_cnty,event_date,year,/);
    expect(csv.stdout.trim().split('\n')).toHaveLength(events + 1);
    const geo = JSON.parse(sitrep(['export', '--db', db, '--format', 'geojson']).stdout) as { type: string; features: unknown[] };
    expect(geo.type).toBe('FeatureCollection');
    expect(geo.features).toHaveLength(events);
  });

  it('completes after SIGKILL with nothing lost and nothing twice', async () => {
    const input = path.join(dir, 'many.jsonl');
    writeReports(input, 150);
    const clean = path.join(dir, 'clean.db');
    const whole = sitrep(['ingest', input, '--db', clean, '--batch', '10']);
    const expected = /holds (\d+) reports and (\d+) events/.exec(whole.stderr)!;
    const killed = path.join(dir, 'killed.db');
    const child = spawn(process.execPath, ['--import', 'tsx', ...CLI, 'ingest', input, '--db', killed, '--batch', '10'], { cwd: PACKAGE_ROOT, stdio: 'ignore' });
    // kill it once some batches have committed, before it is done
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        try {
          const s = new SqliteStore(killed);
          const stored = s.counts().reports;
          s.close();
          if (stored >= 20) {
            clearInterval(poll);
            child.kill('SIGKILL');
            resolve();
          }
        } catch {
          // (the file may not exist yet)
        }
      }, 50);
    });
    await new Promise((resolve) => child.once('exit', resolve));
    const partial = new SqliteStore(killed);
    const before = partial.counts().reports;
    partial.close();
    expect(before).toBeGreaterThanOrEqual(20);
    const rerun = sitrep(['ingest', input, '--db', killed, '--batch', '10']);
    expect(rerun.status, rerun.stderr).toBe(0);
    expect(rerun.stderr).toMatch(new RegExp(`holds ${expected[1]} reports and ${expected[2]} events`));
    const s = new SqliteStore(killed);
    expect(s.counts().mentions).toBe(new SqliteStore(clean).counts().mentions);
    s.close();
  }, 120_000);
});
