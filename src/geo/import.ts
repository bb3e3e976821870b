// `sitrep gazetteer import`: villages, districts, camps, wadis and hills from full GeoNames dumps
// (XX.txt, XX.zip, allCountries.zip from download.geonames.org/export/dump), which cities500 lacks.
// They go into a SQLite database of their own in the cache directory, which the Gazetteer attaches:
// the base index is rebuilt whenever its inputs change, and an import of allCountries (12M rows,
// 1.5 GB unzipped) takes minutes, so imports are done once and survive every rebuild. Files are read as
// streams, never whole; importing a file again adds nothing.
import { createHash } from 'node:crypto';
import { createReadStream, mkdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import Database from 'better-sqlite3';
import yauzl from 'yauzl';
import { silentProgress, type Progress } from '../progress.js';
import { AliasFilter } from './aliases.js';
import { ensureIndex, importedPlacesFile } from './gazetteer.js';
import { parseGeoName, type GeoName } from './geonames.js';

/** What the rows of a file (or of all files) came to. */
export interface RowCounts {
  rowsRead: number;
  placesAdded: number;
  /** rows whose place the base index or an earlier import already has */
  alreadyPresent: number;
  /** rows of feature classes and codes that conflict reporting does not name (forests, hotels, reefs) */
  otherFeatures: number;
  malformed: number;
}

export type FileOutcome =
  | ({ readonly kind: 'imported'; readonly file: string } & Readonly<RowCounts>)
  | { readonly kind: 'already-imported'; readonly file: string; readonly importedAt: string }
  /** rows added before a read failed are kept: importing the file again finishes it */
  | ({ readonly kind: 'failed'; readonly file: string; readonly reason: string } & Readonly<RowCounts>);

export interface MalformedLine {
  readonly file: string;
  readonly line: number;
  readonly reason: string;
}

export interface ImportSummary extends RowCounts {
  readonly files: FileOutcome[];
  /** the first few malformed lines of each file */
  readonly malformedLines: MalformedLine[];
}

export interface ImportOptions {
  readonly progress?: Progress;
}

/** An imported file as recorded: the same name, size and content is never imported twice. */
export interface ImportRecord {
  readonly name: string;
  readonly path: string;
  readonly size: number;
  readonly sha256: string;
  readonly importedAt: string;
  readonly rows: number;
  readonly added: number;
}

// Conflict reporting names populated places (P), districts and other admin areas (A), areas and
// localities (L), mountains, hills and valleys (T) and wadis, rivers and wells (H). Vegetation (V),
// roads and railways (R) and undersea features (U) it hardly ever names; they would only add false
// readings of ordinary words.
const KEPT_CLASSES = new Set(['P', 'A', 'L', 'T', 'H']);
// Spots and buildings (S) are mostly hotels, schools, churches and farms: only the sites where
// fighting, displacement and arrests happen are kept.
const KEPT_SITES = new Set([
  ...['CMP', 'CMPRF', 'CMPQ', 'CMPLA', 'CMPMN', 'CMPO'], // camps, refugee camps among them
  ...['AIRP', 'AIRF', 'AIRB', 'AIRH', 'AIRQ'], // airports, airfields, air bases
  ...['MILB', 'INSM', 'FT', 'MFGM'], // bases, military installations, forts, munitions plants
  ...['PSTB', 'PSTC', 'PSTP', 'PP', 'PPQ', 'CSTM'], // border, customs and police posts: the checkpoints
  ...['PRN', 'BDG', 'DAM', 'MKT', 'PS', 'OILR'], // prisons, bridges, dams, markets, power stations, refineries
]);

function isKeptFeature(featureClass: string, featureCode: string): boolean {
  return KEPT_CLASSES.has(featureClass) || (featureClass === 'S' && KEPT_SITES.has(featureCode));
}

/** Rows a transaction: large enough that commits cost little, small enough that a stopped import keeps most of its work. */
const BATCH_ROWS = 5000;
/** Malformed lines shown a file; the rest are counted. */
const MALFORMED_SHOWN = 5;

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS place(id INTEGER PRIMARY KEY, name TEXT NOT NULL, lat REAL NOT NULL, lon REAL NOT NULL,
    fclass TEXT NOT NULL, fcode TEXT NOT NULL, cc TEXT NOT NULL, a1 TEXT, a2 TEXT, pop INTEGER NOT NULL, part_of TEXT);
  CREATE TABLE IF NOT EXISTS alias(key TEXT NOT NULL, place INTEGER NOT NULL, alternate INTEGER NOT NULL,
    PRIMARY KEY (key, place)) WITHOUT ROWID;
  -- the aliases of the file being imported, in arrival order: merged into alias in key order when the
  -- file ends, because a sorted merge into a large tree is many times faster than random inserts
  CREATE TABLE IF NOT EXISTS alias_pending(key TEXT NOT NULL, place INTEGER NOT NULL, alternate INTEGER NOT NULL);
  CREATE TABLE IF NOT EXISTS import(name TEXT NOT NULL, size INTEGER NOT NULL, sha256 TEXT NOT NULL, path TEXT NOT NULL,
    imported_at TEXT NOT NULL, rows INTEGER NOT NULL, added INTEGER NOT NULL, PRIMARY KEY (name, size, sha256));
`;

/** Import GeoNames dumps into the cache directory's import database; a file that fails is reported and the rest go on. */
export async function importGeoNames(files: string[], options: ImportOptions = {}): Promise<ImportSummary> {
  const progress = options.progress ?? silentProgress;
  const summary: ImportSummary = { files: [], ...noRows(), malformedLines: [] };
  const store = new ImportStore(basePlaceIds(progress));
  try {
    for (const file of files) {
      const outcome = await importFile(file, store, summary.malformedLines, progress);
      if (outcome.kind !== 'already-imported') addCounts(summary, outcome);
      summary.files.push(outcome);
    }
  } finally {
    store.close();
  }
  return summary;
}

function noRows(): RowCounts {
  return { rowsRead: 0, placesAdded: 0, alreadyPresent: 0, otherFeatures: 0, malformed: 0 };
}

function addCounts(into: RowCounts, from: Readonly<RowCounts>): void {
  for (const k of Object.keys(noRows()) as (keyof RowCounts)[]) into[k] += from[k];
}

/** The base index's place ids: cities500 rows appear in every dump and are the base's. */
function basePlaceIds(progress: Progress): Set<number> {
  return readDatabase(ensureIndex(progress), (db) => new Set(db.prepare<[], number>('SELECT id FROM place').pluck().all()));
}

function readDatabase<T>(file: string, read: (db: Database.Database) => T): T {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return read(db);
  } finally {
    db.close();
  }
}

/** The import database, open for writing. */
class ImportStore {
  private readonly db: Database.Database;
  private readonly filter = new AliasFilter();
  private readonly insertPlace: Database.Statement<unknown[]>;
  private readonly insertPendingAlias: Database.Statement<unknown[]>;
  /** moves the pending aliases into alias, in key order */
  readonly mergeAliases: () => void;
  private readonly findImport: Database.Statement<[string, number, string], { imported_at: string }>;
  private readonly recordImport: Database.Statement<unknown[]>;
  /** rows → how many were new */
  readonly insertBatch: (rows: readonly GeoName[]) => number;

  constructor(readonly baseIds: ReadonlySet<number>) {
    const file = importedPlacesFile();
    mkdirSync(path.dirname(file), { recursive: true });
    this.db = new Database(file);
    // WAL: sitrep runs can read the places while an import writes more
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 10000');
    this.db.exec(SCHEMA);
    this.insertPlace = this.db.prepare('INSERT OR IGNORE INTO place VALUES (?,?,?,?,?,?,?,?,?,?,NULL)');
    this.insertPendingAlias = this.db.prepare('INSERT INTO alias_pending VALUES (?,?,?)');
    this.mergeAliases = this.db.transaction(() => {
      this.db.exec('INSERT OR IGNORE INTO alias SELECT key, place, alternate FROM alias_pending ORDER BY key, place; DELETE FROM alias_pending;');
    });
    // an import stopped before its file ended left its aliases pending: its places are found from now on
    this.mergeAliases();
    this.findImport = this.db.prepare('SELECT imported_at FROM import WHERE name = ? AND size = ? AND sha256 = ?');
    this.recordImport = this.db.prepare('INSERT OR REPLACE INTO import VALUES (?,?,?,?,?,?,?)');
    this.insertBatch = this.db.transaction((rows: readonly GeoName[]) => {
      let added = 0;
      for (const g of rows) {
        // a place an earlier import added keeps its row and aliases
        if (this.insertPlace.run(g.id, g.name, g.latitude, g.longitude, g.featureClass, g.featureCode, g.iso2, g.admin1Code, g.admin2Code, g.population).changes === 0) continue;
        added++;
        for (const [key, kind] of this.filter.geoNameKeys(g)) this.insertPendingAlias.run(key, g.id, kind === 'alternate' ? 1 : 0);
      }
      return added;
    });
  }

  importedAt(file: FileIdentity): string | null {
    return this.findImport.get(file.name, file.size, file.sha256)?.imported_at ?? null;
  }

  /** The file's places findable by their names, and the file recorded as imported. */
  finish(file: FileIdentity, counts: Readonly<RowCounts>): void {
    this.db.transaction(() => {
      this.mergeAliases();
      this.recordImport.run(file.name, file.size, file.sha256, file.path, new Date().toISOString(), counts.rowsRead, counts.placesAdded);
    })();
  }

  close(): void {
    this.db.close();
  }
}

interface FileIdentity {
  readonly name: string;
  readonly path: string;
  readonly size: number;
  readonly sha256: string;
}

async function importFile(file: string, store: ImportStore, malformedLines: MalformedLine[], progress: Progress): Promise<FileOutcome> {
  let identity: FileIdentity;
  try {
    identity = await identify(file, progress);
  } catch (err) {
    return { kind: 'failed', file, reason: `cannot read: ${(err as Error).message}`, ...noRows() };
  }
  const importedAt = store.importedAt(identity);
  if (importedAt) return { kind: 'already-imported', file, importedAt };
  let dump: DumpStream;
  try {
    dump = await openDump(file);
  } catch (err) {
    return { kind: 'failed', file, reason: (err as Error).message, ...noRows() };
  }
  progress.start(`importing ${path.basename(file)}`, dump.bytes);
  const counts = noRows();
  const malformed = (line: number, reason: string): void => {
    if (++counts.malformed <= MALFORMED_SHOWN) malformedLines.push({ file, line, reason });
  };
  try {
    await loadRows(dump, store, counts, malformed, progress);
  } catch (err) {
    dump.stream.destroy();
    store.mergeAliases();
    progress.done('failed');
    return { kind: 'failed', file, reason: (err as Error).message, ...counts };
  }
  store.finish(identity, counts);
  progress.done(`${counts.rowsRead.toLocaleString('en')} rows, ${counts.placesAdded.toLocaleString('en')} places added`);
  return { kind: 'imported', file, ...counts };
}

/** Read a dump's rows into the store, counting what became of each. */
async function loadRows(dump: DumpStream, store: ImportStore, counts: RowCounts, malformed: (line: number, reason: string) => void, progress: Progress): Promise<void> {
  let lineNo = 0;
  let batch: GeoName[] = [];
  const flush = (): void => {
    const added = store.insertBatch(batch);
    counts.placesAdded += added;
    counts.alreadyPresent += batch.length - added;
    batch = [];
  };
  try {
    for await (const lines of lineBatches(dump.stream, (n) => progress.tick(n))) {
      for (const line of lines) {
        lineNo++;
        if (line === '') continue;
        const parsed = parseGeoName(line);
        if (parsed.kind === 'malformed') {
          // a file that does not start with a GeoNames row is another file, not a dump with a bad line
          if (counts.rowsRead === 0 && counts.malformed === 0) throw new NotAGeoNamesDump(`not a GeoNames dump (line ${lineNo}: ${parsed.reason})`);
          malformed(lineNo, parsed.reason);
          continue;
        }
        counts.rowsRead++;
        const g = parsed.row;
        if (!isKeptFeature(g.featureClass, g.featureCode)) counts.otherFeatures++;
        else if (store.baseIds.has(g.id)) counts.alreadyPresent++;
        else if (batch.push(g) >= BATCH_ROWS) flush();
      }
    }
  } catch (err) {
    if (err instanceof NotAGeoNamesDump) throw err;
    // the rows read before the failure are good: keep them
    flush();
    throw new Error(`stopped after line ${lineNo}: ${(err as Error).message} (the places read so far are kept; import the file again to finish)`);
  }
  if (counts.rowsRead === 0 && counts.malformed === 0) throw new NotAGeoNamesDump('no rows: not a GeoNames dump');
  flush();
}

class NotAGeoNamesDump extends Error {}

/** Name, size and a hash of the content: renaming or touching a dump does not make it new, a newer dump is. */
async function identify(file: string, progress: Progress): Promise<FileIdentity> {
  const st = statSync(file);
  if (!st.isFile()) throw new Error(st.isDirectory() ? 'a directory, not a file' : 'not a regular file');
  const hash = createHash('sha256');
  progress.start(`fingerprinting ${path.basename(file)}`, st.size);
  for await (const chunk of createReadStream(file)) {
    hash.update(chunk as Buffer);
    progress.tick((chunk as Buffer).length);
  }
  progress.done();
  return { name: path.basename(file), path: path.resolve(file), size: st.size, sha256: hash.digest('hex') };
}

interface DumpStream {
  readonly stream: Readable;
  /** the bytes the stream will give, for the progress bar */
  readonly bytes: number;
}

/** The text of a dump: the file itself, or the one GeoNames table of a .zip (XX.zip holds XX.txt and a readme). */
async function openDump(file: string): Promise<DumpStream> {
  if (path.extname(file).toLowerCase() !== '.zip') return { stream: createReadStream(file), bytes: statSync(file).size };
  let zip: yauzl.ZipFile;
  try {
    // not autoClose: that would close the file as soon as the entries are listed, before the one is read
    zip = await yauzl.openPromise(file, { lazyEntries: true, autoClose: false });
  } catch (err) {
    throw new Error(`not a zip file (${(err as Error).message})`);
  }
  const tables: yauzl.Entry[] = [];
  for await (const entry of zip.eachEntry()) {
    if (/\.txt$/i.test(entry.fileName) && !/(^|\/)readme\.txt$/i.test(entry.fileName)) tables.push(entry);
  }
  const own = `${path.basename(file, path.extname(file))}.txt`.toLowerCase();
  const entry = tables.length === 1 ? tables[0] : tables.find((e) => path.basename(e.fileName).toLowerCase() === own);
  if (!entry) {
    zip.close();
    throw new Error(tables.length === 0 ? 'no .txt table in the zip: not a GeoNames dump' : `several .txt tables in the zip (${tables.map((e) => e.fileName).join(', ')}): which is the dump?`);
  }
  try {
    const stream = await zip.openReadStreamPromise(entry);
    stream.once('close', () => zip.close());
    return { stream, bytes: entry.uncompressedSize };
  } catch (err) {
    zip.close();
    throw new Error(`cannot read ${entry.fileName} in the zip (${(err as Error).message})`);
  }
}

/** A stream's lines, a chunk's worth at a time (a line per await would cost more than parsing it). */
async function* lineBatches(stream: Readable, onBytes: (n: number) => void): AsyncGenerator<string[]> {
  const decoder = new StringDecoder('utf8');
  let rest = '';
  for await (const chunk of stream) {
    onBytes((chunk as Buffer).length);
    const lines = (rest + decoder.write(chunk as Buffer)).split('\n');
    rest = lines.pop()!;
    yield lines.map(stripCr);
  }
  rest += decoder.end();
  if (rest) yield [stripCr(rest)];
}

function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

export interface GazetteerStatus {
  readonly base: { readonly file: string; readonly bytes: number; readonly places: number };
  /** null until something was imported */
  readonly imported: { readonly file: string; readonly bytes: number; readonly places: number; readonly files: ImportRecord[] } | null;
}

/** The base index and the import database: their files, sizes, places, and the files imported. */
export function gazetteerStatus(progress?: Progress): GazetteerStatus {
  const baseFile = ensureIndex(progress);
  const base = { file: baseFile, bytes: statSync(baseFile).size, places: countPlaces(baseFile) };
  const file = importedPlacesFile();
  let files: ImportRecord[];
  try {
    files = readImportRecords(file);
  } catch {
    return { base, imported: null };
  }
  // the WAL file holds what was written since the last checkpoint: it is part of the size
  const bytes = [file, `${file}-wal`].reduce((n, f) => n + (statSync(f, { throwIfNoEntry: false })?.size ?? 0), 0);
  return { base, imported: { file, bytes, places: countPlaces(file), files } };
}

function countPlaces(file: string): number {
  return readDatabase(file, (db) => db.prepare<[], number>('SELECT count(*) FROM place').pluck().get() ?? 0);
}

function readImportRecords(file: string): ImportRecord[] {
  return readDatabase(file, (db) => db.prepare<[], ImportRecord>('SELECT name, path, size, sha256, imported_at AS importedAt, rows, added FROM import ORDER BY imported_at').all());
}
