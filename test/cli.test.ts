// The command line end to end, as a user runs it: formats, stdin, exit codes, and bad input that is
// reported by file and line while the rest of the batch goes on.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../src/paths.js';
import { ExtractLine } from '../src/schema.js';

function sitrep(args: string[], input?: string | Buffer): { status: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(PACKAGE_ROOT, 'src', 'bin.ts'), ...args], {
    cwd: PACKAGE_ROOT,
    input,
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

const dir = mkdtempSync(path.join(tmpdir(), 'sitrep-cli-'));
const REPORT = ' date 2023-03-16 NAIROBI, Kenya — Police fired tear gas at hundreds of protesters in Kisumu on Tuesday as they marched against rising food prices, witnesses said.';

describe('sitrep extract', () => {
  it('reads a header-format report and prints one valid JSONL line', () => {
    const file = path.join(dir, 'kisumu.txt');
    writeFileSync(file, REPORT);
    const r = sitrep(['extract', file]);
    expect(r.status).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const line = ExtractLine.parse(JSON.parse(lines[0]!));
    expect(line.id).toBe('kisumu');
    expect(line.date).toBe('2023-03-16');
    expect(line.dateline).toBe('NAIROBI, Kenya —');
    expect(line.events[0]?.sub_event_type).toBe('Protest with intervention');
    expect(line.events[0]?.event_date).toBe('2023-03-14');
    expect(line.events[0]?.location).toBe('Kisumu');
  });

  it('reads plain text from stdin with --date, and without a date says so', () => {
    const text = 'Gunmen abducted 12 farmers near Kaduna on Monday, residents said.';
    const dated = sitrep(['extract', '-', '--date', '2023-03-16'], text);
    expect(dated.status).toBe(0);
    expect(JSON.parse(dated.stdout).events[0].event_date).toBe('2023-03-13');
    const undated = JSON.parse(sitrep(['extract', '-'], text).stdout);
    expect(undated.date).toBeNull();
    expect(undated.messages.map((m: { code: string }) => m.code)).toContain('date.missing');
    expect(undated.events[0].event_date).toBeNull();
  });

  it('keeps going past bad JSONL lines, names file and line, and exits 1', () => {
    const file = path.join(dir, 'mixed.jsonl');
    writeFileSync(
      file,
      [
        JSON.stringify({ id: 'ok-1', date: '2023-03-16', text: 'Soldiers clashed with rebels near Goma on Monday.' }),
        '{"id": "broken", "text": ',
        JSON.stringify({ id: 'no-text', date: '2023-03-16' }),
        JSON.stringify({ id: 'bad-date', date: '2023-02-30', text: 'Soldiers clashed with rebels.' }),
        JSON.stringify({ id: 'not-a-date', date: 'yesterday', text: 'Soldiers clashed with rebels.' }),
        JSON.stringify({ id: 'empty', date: '2023-03-16', text: '   ' }),
        JSON.stringify({ id: 'ok-2', date: '2023-03-16', text: 'An airstrike hit a market in Idlib on Tuesday.' }),
      ].join('\n'),
    );
    const r = sitrep(['extract', file]);
    expect(r.status).toBe(1);
    expect(r.stdout.trim().split('\n').map((l) => JSON.parse(l).id)).toEqual(['ok-1', 'ok-2']);
    for (const line of [2, 3, 4, 5, 6]) expect(r.stderr).toContain(`${file}:${line}:`);
    expect(r.stderr).toMatch(/not JSON/);
    expect(r.stderr).toMatch(/"date" is not a date/);
    expect(r.stderr).toMatch(/5 of 7 inputs failed/);
  });

  it('refuses binary files, invalid UTF-8 and oversized documents with a message, and reads the rest', () => {
    const sub = mkdtempSync(path.join(tmpdir(), 'sitrep-bad-'));
    writeFileSync(path.join(sub, 'a-binary.txt'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x00, 0x01, 0x02]));
    writeFileSync(path.join(sub, 'b-latin1.txt'), Buffer.from('Protesters marched in Bogot\xe1 on Monday.', 'latin1'));
    writeFileSync(path.join(sub, 'c-huge.txt'), 'Protesters marched. '.repeat(150_000));
    writeFileSync(path.join(sub, 'd-good.txt'), REPORT);
    writeFileSync(path.join(sub, 'notes.md'), 'not a report');
    const r = sitrep(['extract', sub, '--max-doc-mb', '2']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/a-binary\.txt: binary content/);
    expect(r.stderr).toMatch(/b-latin1\.txt: invalid UTF-8 at byte 27/);
    expect(r.stderr).toMatch(/c-huge\.txt: document is 3\.0 MB, over the 2\.0 MB limit/);
    expect(r.stdout.trim().split('\n').map((l) => JSON.parse(l).id)).toEqual(['d-good']);
  });

  it('writes CSV with ACLED column names first, and RFC 7946 GeoJSON', () => {
    const file = path.join(dir, 'kisumu.txt');
    const csv = sitrep(['extract', file, '--format', 'csv']).stdout.split('\n');
    expect(csv[0]).toMatch(/^event_id_cnty,event_date,year,time_precision,event_type,sub_event_type,actor1,/);
    expect(csv[1]).toContain('Protest with intervention');
    const geo = JSON.parse(sitrep(['extract', file, '--format', 'geojson']).stdout);
    expect(geo.type).toBe('FeatureCollection');
    const [lon, lat] = geo.features[0].geometry.coordinates;
    expect(lat).toBeCloseTo(-0.1, 0);
    expect(lon).toBeCloseTo(34.76, 0);
    const json = JSON.parse(sitrep(['extract', file, '--format', 'json']).stdout);
    expect(json).toHaveLength(1);
  });

  it('exits 2 on usage errors', () => {
    expect(sitrep(['extract']).status).toBe(2);
    expect(sitrep(['extract', 'x', '--format', 'xml']).status).toBe(2);
    expect(sitrep(['extract', 'x', '--date', '2023-13-01']).status).toBe(2);
    expect(sitrep(['frobnicate']).status).toBe(2);
  });

  it('reports a missing file and exits 1', () => {
    const r = sitrep(['extract', path.join(dir, 'nope.txt')]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/nope\.txt: cannot read: ENOENT/);
  });
});

describe('sitrep schema, eval and demo', () => {
  it('prints a JSON Schema of the output line', () => {
    const schema = JSON.parse(sitrep(['schema']).stdout);
    expect(schema.$schema).toMatch(/2020-12/);
    expect(schema.properties.events.items.properties.sub_event_type.enum).toContain('Air/drone strike');
  });

  it('scores a prediction file and prints a per-label table', () => {
    const gold = path.join(dir, 'gold.jsonl');
    const pred = path.join(dir, 'pred.jsonl');
    writeFileSync(gold, JSON.stringify({ id: 'g1', date: '2023-03-16', text: 'x', events: [{ event_type: 'Protests', sub_event_type: 'Peaceful protest', event_date: '2023-03-14' }] }));
    writeFileSync(pred, JSON.stringify({ id: 'g1', events: [{ event_type: 'Protests', sub_event_type: 'Protest with intervention', event_date: '2023-03-14' }] }));
    const metrics = JSON.parse(sitrep(['eval', gold, '--pred', pred]).stdout);
    expect(metrics.event_type).toBe(1);
    expect(metrics.sub_event_type).toBe(0);
    const table = sitrep(['eval', gold, '--pred', pred, '--by', 'sub_event_type']).stdout;
    expect(table).toMatch(/Peaceful protest\s+1\s+0\.0%/);
  });

  it('demo prints the bundled reports as a table', () => {
    const r = sitrep(['demo']);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^report\s+date\s+type \/ sub-type/);
    expect(r.stdout).toMatch(/10 reports, \d+ events/);
  });
});
