// Importing GeoNames dumps: a 15-line dump in GeoNames' format with invented villages, a camp, a
// checkpoint, a wadi and a hill in Iraq and Somalia, a forest and a hotel (not kept), a copy of a
// cities500 row (Mosul) and a line cut short (test/fixtures/geonames/README.md). Every test here shares
// one temporary cache directory, so the base index is built once and the import is done once.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../paths.js';
import { ensureIndex, Gazetteer, importedPlacesFile } from './gazetteer.js';
import { gazetteerStatus, importGeoNames, type ImportSummary } from './import.js';

const SAMPLE = path.join(PACKAGE_ROOT, 'test', 'fixtures', 'geonames', 'XX-sample.txt');
const MOSUL = 99072;

const savedCacheDir = process.env.SITREP_CACHE_DIR;
let cache: string;
let first: ImportSummary;
let gazetteer: Gazetteer;

beforeAll(async () => {
  cache = mkdtempSync(path.join(os.tmpdir(), 'sitrep-import-'));
  process.env.SITREP_CACHE_DIR = cache;
  first = await importGeoNames([SAMPLE]);
  gazetteer = Gazetteer.open();
}, 120_000);

afterAll(() => {
  gazetteer.close();
  if (savedCacheDir === undefined) delete process.env.SITREP_CACHE_DIR;
  else process.env.SITREP_CACHE_DIR = savedCacheDir;
  rmSync(cache, { recursive: true, force: true });
});

/** The alias keys an imported place was given. */
function importedKeys(id: number): string[] {
  const db = new Database(importedPlacesFile(), { readonly: true });
  try {
    return db.prepare<[number], string>('SELECT key FROM alias WHERE place = ? ORDER BY key').pluck().all(id);
  } finally {
    db.close();
  }
}

describe('importGeoNames', () => {
  it('counts what became of every row', () => {
    expect(first.files).toEqual([{ kind: 'imported', file: SAMPLE, rowsRead: 14, placesAdded: 11, alreadyPresent: 1, otherFeatures: 2, malformed: 1 }]);
    expect(first).toMatchObject({ rowsRead: 14, placesAdded: 11, alreadyPresent: 1, otherFeatures: 2, malformed: 1 });
  });

  it('reports a malformed line by file and line number and imports the lines after it', () => {
    expect(first.malformedLines).toEqual([{ file: SAMPLE, line: 11, reason: '8 columns, want 19' }]);
    expect(gazetteer.lookup('Dooxada Jiliyo').map((p) => p.id)).toEqual([990000010]);
  });

  /** Each imported place, by its name and alternate names, as the lookup must give it. */
  const places: readonly { names: string[]; id: number; lat: number; lon: number; code: string; admin1: string; admin2: string }[] = [
    { names: ['Tall Qasrawi', 'Tell Qasrawi', 'Tāl Qaṣrāwī'], id: 990000001, lat: 36.4012, lon: 42.4718, code: 'P.PPL', admin1: 'Nineveh', admin2: 'Tel Afar District' },
    { names: ['Kharab Dhiyab', 'Khirbat Dhiyab'], id: 990000002, lat: 36.331, lon: 41.8644, code: 'P.PPL', admin1: 'Nineveh', admin2: 'Sinjar' },
    { names: ['Wadi Umm Jurayn'], id: 990000003, lat: 36.2205, lon: 42.103, code: 'H.WAD', admin1: 'Nineveh', admin2: 'Tel Afar District' },
    { names: ['Jebel Sinawi'], id: 990000004, lat: 36.3702, lon: 41.7411, code: 'T.MT', admin1: 'Nineveh', admin2: 'Sinjar' },
    { names: ['Qasrawi Checkpoint'], id: 990000005, lat: 36.395, lon: 42.46, code: 'S.PSTP', admin1: 'Nineveh', admin2: 'Tel Afar District' },
    { names: ['Ceel Dhuubato', 'El Dhuubato'], id: 990000007, lat: 1.912, lon: 44.6315, code: 'P.PPL', admin1: 'Lower Shabeelle', admin2: 'Qoryooley' },
    { names: ['Bur Qaydaro'], id: 990000008, lat: 2.877, lon: 43.5122, code: 'P.PPL', admin1: 'Bay', admin2: 'Baydhaba' },
    { names: ['Dabaqa Camp'], id: 990000009, lat: 3.0851, lon: 43.6702, code: 'S.CMPRF', admin1: 'Bay', admin2: 'Baydhaba' },
    { names: ['Jiliyo District'], id: 990000013, lat: 1.83, lon: 44.57, code: 'A.ADM3', admin1: 'Lower Shabeelle', admin2: 'Qoryooley' },
  ];
  const byName = places.flatMap(({ names, ...want }) => names.map((name) => ({ name, ...want })));
  it.each(byName)('finds $name by its name or an alternate name, with coordinates and admin names', (want) => {
    const hits = gazetteer.lookup(want.name);
    expect(hits).toHaveLength(1);
    const p = hits[0]!;
    expect(p).toMatchObject({ id: want.id, latitude: want.lat, longitude: want.lon, admin1: want.admin1, admin2: want.admin2, partOf: null });
    expect(`${p.featureClass}.${p.featureCode}`).toBe(want.code);
  });

  it('keeps out forests and hotels', () => {
    expect(gazetteer.lookup('Kaymo Forest')).toEqual([]);
    expect(gazetteer.lookup('Funduq Qasrawi')).toEqual([]);
  });

  it('skips a cities500 place that the base index has', () => {
    expect(gazetteer.lookup('Mosul').filter((p) => p.id === MOSUL)).toHaveLength(1);
    expect(importedKeys(MOSUL)).toEqual([]);
  });

  it('refuses the alternate names the base index refuses: other scripts, weekdays, countries, short ones', () => {
    // the row's alternates: Tal Qasrawi, Tell Qasrawi, Tāl Qaṣrāwī, an Arabic spelling, Thursday, Qas
    expect(importedKeys(990000001)).toEqual(['tal qasrawi', 'tall qasrawi', 'tell qasrawi']);
    // Kharab Dhiyab's alternates: Khirbat Dhiyab, Iraq
    expect(importedKeys(990000002)).toEqual(['kharab dhiyab', 'khirbat dhiyab']);
    expect(gazetteer.lookup('Thursday').map((p) => p.id)).not.toContain(990000001);
    expect(gazetteer.lookup('تل قصراوي')).toEqual([]);
  });

  it('adds nothing when the same file is imported again', async () => {
    const again = await importGeoNames([SAMPLE]);
    expect(again.files).toEqual([{ kind: 'already-imported', file: SAMPLE, importedAt: expect.any(String) }]);
    expect(again.placesAdded).toBe(0);
    expect(gazetteerStatus().imported?.places).toBe(11);
  });

  it.skipIf(spawnSync('zip', ['-v']).error !== undefined)('reads the dump inside a .zip, and adds nothing already there', async () => {
    const zip = path.join(cache, 'XX.zip');
    expect(spawnSync('zip', ['-j', '-q', zip, SAMPLE]).status).toBe(0);
    const viaZip = await importGeoNames([zip]);
    expect(viaZip.files).toEqual([{ kind: 'imported', file: zip, rowsRead: 14, placesAdded: 0, alreadyPresent: 12, otherFeatures: 2, malformed: 1 }]);
    expect(viaZip.malformedLines).toEqual([{ file: zip, line: 11, reason: '8 columns, want 19' }]);
  });

  it.skipIf(spawnSync('zip', ['-v']).error !== undefined)('keeps the rows read before a read fails, and says to import again', async () => {
    const zip = path.join(cache, 'ZZ.zip');
    // the sample with other ids, and a name of its own to look up
    const renamed = path.join(cache, 'ZZ.txt');
    writeFileSync(renamed, readFileSync(SAMPLE, 'utf8').replaceAll('Tall Qasrawi', 'Tall Zarqawi').replace(/^99000/gm, '98000'));
    expect(spawnSync('zip', ['-j', '-q', zip, renamed]).status).toBe(0);
    // a central directory that promises more bytes than the entry holds: the read fails at its end
    const bytes = readFileSync(zip);
    const entry = bytes.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    bytes.writeUInt32LE(bytes.readUInt32LE(entry + 24) + 1000, entry + 24);
    writeFileSync(zip, bytes);
    const [outcome] = (await importGeoNames([zip])).files;
    expect(outcome).toMatchObject({ kind: 'failed', reason: expect.stringMatching(/^stopped after line 15: .* import the file again to finish\)$/), placesAdded: 11 });
    const reopened = Gazetteer.open();
    try {
      expect(reopened.lookup('Tall Zarqawi').map((p) => p.id)).toEqual([980000001]);
    } finally {
      reopened.close();
    }
  });

  it('fails a missing file, a directory and a file that is no GeoNames dump by name, and goes on with the rest', async () => {
    const readme = path.join(PACKAGE_ROOT, 'README.md');
    const missing = path.join(cache, 'IQ.txt');
    const summary = await importGeoNames([missing, readme, cache, SAMPLE]);
    expect(summary.files.map((f) => [f.kind, f.file])).toEqual([
      ['failed', missing],
      ['failed', readme],
      ['failed', cache],
      ['already-imported', SAMPLE],
    ]);
    expect(summary.files.map((f) => (f.kind === 'failed' ? f.reason : ''))).toEqual([
      expect.stringMatching(/^cannot read: ENOENT/),
      expect.stringMatching(/^not a GeoNames dump \(line 1: \d+ columns, want 19\)$/),
      'cannot read: a directory, not a file',
      '',
    ]);
  });

  it('keeps imported places when the base index is rebuilt', () => {
    rmSync(ensureIndex());
    const rebuilt = Gazetteer.open();
    try {
      expect(rebuilt.lookup('Tall Qasrawi').map((p) => p.id)).toEqual([990000001]);
    } finally {
      rebuilt.close();
    }
  }, 120_000);
});

describe('sitrep gazetteer', () => {
  // a cache of its own with a copy of the base index: the command starts with nothing imported
  let own: string;
  beforeAll(() => {
    own = mkdtempSync(path.join(os.tmpdir(), 'sitrep-import-cli-'));
    const base = ensureIndex();
    copyFileSync(base, path.join(own, path.basename(base)));
  }, 120_000);
  afterAll(() => rmSync(own, { recursive: true, force: true }));

  function sitrep(args: string[]): { status: number | null; stdout: string; stderr: string } {
    const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(PACKAGE_ROOT, 'src', 'bin.ts'), ...args], {
      cwd: PACKAGE_ROOT,
      encoding: 'utf8',
      env: { ...process.env, SITREP_CACHE_DIR: own },
    });
    return { status: r.status, stdout: r.stdout, stderr: r.stderr };
  }

  it('imports a dump, says what it added, and lists it in status', () => {
    const r = sitrep(['gazetteer', 'import', SAMPLE]);
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(`${SAMPLE}: 14 rows read, 11 places added, 1 already present, 2 of feature types not kept, 1 malformed\n`);
    expect(r.stderr).toContain(`${SAMPLE}:11: malformed row (8 columns, want 19), skipped`);
    const status = sitrep(['gazetteer', 'status']);
    expect(status.status).toBe(0);
    expect(status.stdout).toMatch(/^base index: .*gazetteer-\w+\.db \([\d.]+ MB, [\d,]+ places\)$/m);
    expect(status.stdout).toMatch(/^imported: .*geonames-import\.db \([\d.]+ MB, 11 places\)$/m);
    expect(status.stdout).toMatch(/^ {2}XX-sample\.txt\t14 rows, 11 places added\t/m);
  });

  it('names a missing file, exits 1, and imports the others', () => {
    const missing = path.join(own, 'SO.zip');
    const r = sitrep(['gazetteer', 'import', missing, SAMPLE]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`sitrep: ${missing}: cannot read: ENOENT`);
    expect(r.stderr).toContain('sitrep: 1 of 2 files failed');
    expect(r.stdout).toContain(`${SAMPLE}: already imported on `);
  });

  it('exits 2 on usage errors', () => {
    expect(sitrep(['gazetteer']).status).toBe(2);
    expect(sitrep(['gazetteer', 'import']).status).toBe(2);
    expect(sitrep(['gazetteer', 'export']).status).toBe(2);
    expect(sitrep(['gazetteer', 'status', 'extra']).status).toBe(2);
  });
});
