// The `sitrep` command line: extract | eval | bench | schema | demo | gazetteer.
// Exit codes: 0 every document processed, 1 some failed (summary on stderr), 2 usage error.
import { createReadStream, existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { formatBench, runBench } from './bench.js';
import { runApiBench } from './bench-api.js';
import { runClusterBench } from './bench-cluster.js';
import { runIngestBench, runQueryBench } from './bench-store.js';
import { describeOrigin, isCalendarDate, type Document } from './document.js';
import { foldOf, parseFold } from './eval/folds.js';
import { evaluate, perLabelTable, type GoldDoc, type PredDoc } from './eval/metrics.js';
import { extractAll, type ExtractSummary } from './extract.js';
import { ingest } from './ingest.js';
import { PostgresStore } from './store/postgres.js';
import { SqliteStore } from './store/sqlite.js';
import type { EventStore } from './store/store.js';
import { gazetteerStatus, importGeoNames, type FileOutcome, type RowCounts } from './geo/import.js';
import { exportEvents } from './export.js';
import { buildServer } from './server/app.js';
import { METRICS_CONTENT_TYPE, Registry } from './metrics.js';
import { ReportQueue, type QueueConfig } from './queue/jetstream.js';
import { runWorker } from './worker.js';
import { FORMATS, formatWriter, type Format } from './output/formats.js';
import { PACKAGE_ROOT, dataPath } from './paths.js';
import { extractDocument, loadModels, type Models } from './pipeline.js';
import { terminalProgress } from './progress.js';
import { DEFAULT_MAX_DOCUMENT_BYTES, readInputs, type ReadOptions } from './read/readers.js';
import { jsonSchema, type ExtractLine } from './schema.js';
import path from 'node:path';

const USAGE = `sitrep: news reports about political violence in, ACLED-compatible events with evidence out

usage:
  sitrep extract [FILE|DIR|-]... [--format jsonl|json|csv|geojson] [--date YYYY-MM-DD] [--max-doc-mb N]
  sitrep eval GOLD.jsonl [--pred PRED.jsonl] [--by event_type|sub_event_type] [--fold K/N]
  sitrep bench [FILE|DIR]... [--json]
  sitrep bench --ingest [FILE|DIR]... [--reports N]   reports/s into a fresh SQLite store, memory by tenth
  sitrep bench --query [--events N]                   bbox + dates + type queries over N synthetic events
  sitrep bench --api [--events N] [--ui-events N]     the API over HTTP at N events; the web UI drawing N in Chromium
  sitrep bench --cluster [FILE|DIR]... --db postgres://... --queue nats://... [--reports 16000] [--warm-up 8000]
                                   1 worker against 2 on the same reports; publish-to-stored latency
  sitrep ingest PATH|URL... [--db FILE] [--date YYYY-MM-DD] [--batch N] [--watch SECONDS]
                                   extract reports and file their events in the store (default ./sitrep.db),
                                   one event per incident across reports; a report stored already is skipped
  sitrep ingest PATH|URL... --queue nats://HOST:4222 [--stream NAME]
                                   publish the reports to the queue for the workers instead
  sitrep worker --db postgres://... --queue nats://... [--batch 40] [--commit 2] [--ack-wait 60] [--warm-up REPORTS] [--metrics-port 9464]
                                   take reports from the queue, extract and store them (as many as you like)
  sitrep export [--db FILE] [--format csv|geojson|jsonl] [--from D] [--to D] [--type T] [--country C]
                [--bbox minLon,minLat,maxLon,maxLat]
  sitrep changes --since TIME [--db FILE]   created, updated, merged, split and deleted event ids
  sitrep split EVENT_ID [--db FILE]         undo the merges of an event: each report's account stands alone
  sitrep serve [--db FILE|postgres://...] [--port 8080] [--host 127.0.0.1] [--cors ORIGIN]
                                   the workbench: web UI and HTTP API (writes need SITREP_TOKEN)
  sitrep start [--db FILE] [--port 8080]   the example reports into ./sitrep.db, then serve (npm start)
  sitrep merge SURVIVOR OTHER... [--db FILE] [--reason TEXT]
                                   file other events under the survivor (their ids then lead to it)
  sitrep reextract [--db FILE]              read the stored reports again with this version; event ids stay
  sitrep schema
  sitrep demo                      extract the bundled example reports and print their events
  sitrep gazetteer import FILE...  add villages from GeoNames dumps (XX.txt, XX.zip, allCountries.zip)
  sitrep gazetteer status          the gazetteer's index and the dumps imported into it

inputs: report files in the header format (" date YYYY-MM-DD DATELINE — lead..."), plain text
(report date from --date), JSONL with {id, date, text, title?, url?, source?} a line, directories
(recursively: .txt, .jsonl, .ndjson, .jsonlines, .html, .htm, .xml, .rss, .atom), web pages and RSS/Atom feeds
(files or http(s) URLs: a page gives its article text, a feed one report an item), and - for stdin.`;

class UsageError extends Error {}

function parse<const O extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: O) {
  try {
    return parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>({ args, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

function readOptions(values: { date?: string | boolean | undefined; 'max-doc-mb'?: string | boolean | undefined }): ReadOptions {
  const date = typeof values.date === 'string' ? values.date : null;
  if (date !== null && !isCalendarDate(date)) throw new UsageError(`--date ${date}: not a date (want YYYY-MM-DD)`);
  const mb = typeof values['max-doc-mb'] === 'string' ? Number(values['max-doc-mb']) : null;
  if (mb !== null && !(mb > 0)) throw new UsageError(`--max-doc-mb ${values['max-doc-mb']}: want a positive number`);
  return { date, maxDocumentBytes: mb !== null ? mb * 1e6 : DEFAULT_MAX_DOCUMENT_BYTES };
}

/** Write with backpressure, so a slow consumer of stdout keeps memory flat. */
async function write(chunk: string): Promise<void> {
  if (chunk && !process.stdout.write(chunk)) await new Promise<void>((resolve) => process.stdout.once('drain', resolve));
}

function reportFailures(summary: ExtractSummary): number {
  if (summary.failures.length === 0) return 0;
  process.stderr.write(`sitrep: ${summary.failures.length} of ${summary.documents + summary.failures.length} inputs failed (each reported above)\n`);
  return 1;
}

async function cmdExtract(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    format: { type: 'string', default: 'jsonl' },
    date: { type: 'string' },
    'max-doc-mb': { type: 'string' },
  });
  const format = values.format as Format;
  if (!FORMATS.includes(format)) throw new UsageError(`--format ${values.format}: want one of ${FORMATS.join(', ')}`);
  if (positionals.length === 0) throw new UsageError('extract: give at least one FILE, DIR or - for stdin');
  const read = readOptions(values);
  const progress = terminalProgress();
  const models = loadModels(progress);
  const writer = formatWriter(format);
  await write(writer.header());
  progress.start('extracting', null);
  const summary = await extractAll(positionals, models, read, (line) => write(writer.document(line)), {
    progress,
    onFailure: (f) => process.stderr.write(`sitrep: ${f.where}: ${f.reason}\n`),
  });
  await write(writer.footer());
  progress.done(`${summary.documents} documents, ${summary.events} events`);
  return reportFailures(summary);
}

async function readJsonlFile<T>(file: string, what: string): Promise<T[]> {
  if (!existsSync(file)) throw new UsageError(`${what} ${file}: no such file`);
  const out: T[] = [];
  let n = 0;
  for await (const line of createInterface({ input: createReadStream(file), crlfDelay: Infinity })) {
    n++;
    if (!line.trim()) continue;
    try {
      out.push(JSON.parse(line) as T);
    } catch (err) {
      process.stderr.write(`sitrep: ${file}:${n}: not JSON (${(err as Error).message}), skipped\n`);
    }
  }
  return out;
}

async function cmdEval(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { pred: { type: 'string' }, by: { type: 'string' }, fold: { type: 'string' } });
  if (positionals.length !== 1) throw new UsageError('eval: give exactly one GOLD.jsonl');
  const fold = values.fold === undefined ? null : parseFold(values.fold);
  if (values.fold !== undefined && !fold) throw new UsageError(`--fold ${values.fold}: want K/N, e.g. 0/5`);
  const by = values.by;
  if (by !== undefined && by !== 'event_type' && by !== 'sub_event_type') throw new UsageError(`--by ${by}: want event_type or sub_event_type`);
  const goldFile = positionals[0]!;
  // --fold K/N scores only the documents of that fold: the ones the classifier was not trained on
  const gold = (await readJsonlFile<GoldDoc>(goldFile, 'gold')).filter((d) => !fold || foldOf(d.id, fold.n) === fold.k);
  const predictions = new Map<string, PredDoc>();
  let failed = 0;
  if (values.pred) {
    for (const p of await readJsonlFile<PredDoc>(values.pred, '--pred')) if (p && typeof p.id === 'string') predictions.set(p.id, { id: p.id, events: Array.isArray(p.events) ? p.events : [] });
  } else {
    const progress = terminalProgress();
    const models = loadModels(progress);
    progress.start('extracting gold documents', gold.length);
    const summary = await extractAll([goldFile], models, readOptions({}), (line: ExtractLine) => {
      predictions.set(line.id, { id: line.id, events: line.events as unknown as Record<string, unknown>[] });
    }, { progress, onFailure: (f) => process.stderr.write(`sitrep: ${f.where}: ${f.reason}\n`) });
    progress.done(`${summary.documents} documents`);
    failed = reportFailures(summary);
  }
  const result = evaluate(gold, predictions);
  if (by) process.stdout.write(`${perLabelTable(result.pairs[by])}\n`);
  else process.stdout.write(`${JSON.stringify(roundAll(result.metrics), null, 2)}\n`);
  return failed;
}

function roundAll<T>(m: T): T {
  return JSON.parse(JSON.stringify(m, (_k, v: unknown) => (typeof v === 'number' && !Number.isInteger(v) ? Math.round(v * 10000) / 10000 : v))) as T;
}

async function cmdBench(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { json: { type: 'boolean', default: false }, 'max-doc-mb': { type: 'string' }, ingest: { type: 'boolean', default: false }, query: { type: 'boolean', default: false }, api: { type: 'boolean', default: false }, cluster: { type: 'boolean', default: false }, db: { type: 'string' }, queue: { type: 'string' }, reports: { type: 'string' }, 'warm-up': { type: 'string' }, events: { type: 'string' }, 'ui-events': { type: 'string' } });
  const inputs = positionals.length ? positionals : [path.join(PACKAGE_ROOT, 'examples', 'reports')];
  const count = (v: string | undefined, what: string): number | undefined => {
    if (v === undefined) return undefined;
    const x = Number(v);
    if (!(Number.isInteger(x) && x > 0)) throw new UsageError(`--${what} ${v}: want a positive whole number`);
    return x;
  };
  if (values.cluster) {
    const db = values.db ?? process.env.SITREP_DB;
    const queue = values.queue ?? process.env.SITREP_QUEUE;
    if (!db || !queue) throw new UsageError('bench --cluster: give --db postgres://... (or a SQLite file name) and --queue nats://... (each run uses a schema, or a file, and a stream of its own, dropped after)');
    const reports = count(values.reports, 'reports');
    const warmUp = count(values['warm-up'], 'warm-up');
    const out = await runClusterBench(inputs, readOptions(values), { db, queue, progress: terminalProgress(), ...(reports ? { reports } : {}), ...(warmUp ? { warmUp } : {}) });
    process.stdout.write(`${JSON.stringify(out, null, values.json ? 2 : 1)}\n`);
    return 0;
  }
  if (values.api) {
    const events = count(values.events, 'events');
    const uiEvents = count(values['ui-events'], 'ui-events');
    const out = await runApiBench({ progress: terminalProgress(), ...(events ? { events } : {}), ...(uiEvents ? { uiEvents } : {}) });
    process.stdout.write(`${JSON.stringify(out, null, values.json ? 2 : 1)}\n`);
    return 0;
  }
  if (values.ingest || values.query) {
    const progress = terminalProgress();
    const reports = count(values.reports, 'reports');
    const events = count(values.events, 'events');
    const out = values.ingest
      ? await runIngestBench(inputs, readOptions(values), { progress, ...(reports ? { reports } : {}) })
      : runQueryBench({ progress, ...(events ? { events } : {}) });
    process.stdout.write(`${JSON.stringify(out, null, values.json ? 2 : 1)}\n`);
    return 0;
  }
  const result = await runBench(inputs, readOptions(values), terminalProgress());
  process.stdout.write(values.json ? `${JSON.stringify(result, null, 2)}\n` : `${formatBench(result)}\n`);
  return 0;
}

/** The main job for now (`npm start`): the bundled example reports' events as a readable table. */
async function cmdDemo(): Promise<number> {
  const dir = path.join(PACKAGE_ROOT, 'examples', 'reports');
  const progress = terminalProgress();
  const models = loadModels(progress);
  const rows: string[][] = [['report', 'date', 'type / sub-type', 'actor1', 'actor2', 'location', 'country', 'killed', 'injured']];
  const summary = await extractAll([dir], models, readOptions({}), (line) => {
    for (const e of line.events) {
      rows.push([
        line.id,
        `${e.event_date ?? '?'}${e.background ? ' (bg)' : ''}`,
        `${e.event_type} / ${e.sub_event_type}`,
        e.actor1 ?? '',
        e.actor2 ?? '',
        e.location ? `${e.location}${e.geo_precision && e.geo_precision > 1 ? ` (p${e.geo_precision})` : ''}` : '',
        e.country ?? '',
        String(e.fatalities ?? ''),
        String(e.injuries ?? ''),
      ]);
    }
  });
  const clip = (s: string, n: number): string => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
  const widths = rows[0]!.map((_, c) => Math.min(c === 2 ? 48 : 30, Math.max(...rows.map((r) => r[c]!.length))));
  for (const r of rows) process.stdout.write(`${r.map((v, c) => clip(v, widths[c]!).padEnd(widths[c]!)).join('  ')}\n`);
  process.stdout.write(`\n${summary.documents} reports, ${summary.events} events (sitrep extract ${path.relative(process.cwd(), dir) || dir} for the full records with evidence)\n`);
  return reportFailures(summary);
}

async function cmdGazetteer(args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  const { positionals } = parse(rest, {});
  switch (sub) {
    case 'import':
      if (positionals.length === 0) throw new UsageError('gazetteer import: give at least one GeoNames dump (XX.txt, XX.zip, allCountries.zip)');
      return cmdGazetteerImport(positionals);
    case 'status':
      if (positionals.length > 0) throw new UsageError('gazetteer status: takes no arguments');
      return cmdGazetteerStatus();
    default:
      throw new UsageError(sub === undefined ? 'gazetteer: import or status?' : `gazetteer ${sub}: want import or status`);
  }
}

async function cmdGazetteerImport(files: string[]): Promise<number> {
  const summary = await importGeoNames(files, { progress: terminalProgress() });
  for (const m of summary.malformedLines) process.stderr.write(`sitrep: ${m.file}:${m.line}: malformed row (${m.reason}), skipped\n`);
  for (const outcome of summary.files) reportImport(outcome);
  const failed = summary.files.filter((f) => f.kind === 'failed').length;
  if (files.length > 1) process.stdout.write(`all ${files.length} files: ${formatCounts(summary)}\n`);
  if (failed === 0) return 0;
  process.stderr.write(`sitrep: ${failed} of ${files.length} files failed (each reported above)\n`);
  return 1;
}

function reportImport(outcome: FileOutcome): void {
  switch (outcome.kind) {
    case 'imported':
      process.stdout.write(`${outcome.file}: ${formatCounts(outcome)}\n`);
      return;
    case 'already-imported':
      process.stdout.write(`${outcome.file}: already imported on ${outcome.importedAt.slice(0, 10)}, skipped\n`);
      return;
    case 'failed':
      process.stderr.write(`sitrep: ${outcome.file}: ${outcome.reason}\n`);
      return;
  }
}

function formatCounts(c: Readonly<RowCounts>): string {
  const n = (v: number): string => v.toLocaleString('en');
  return `${n(c.rowsRead)} rows read, ${n(c.placesAdded)} places added, ${n(c.alreadyPresent)} already present, ${n(c.otherFeatures)} of feature types not kept, ${n(c.malformed)} malformed`;
}

async function cmdGazetteerStatus(): Promise<number> {
  const status = gazetteerStatus(terminalProgress());
  const mb = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;
  const { base, imported } = status;
  process.stdout.write(`base index: ${base.file} (${mb(base.bytes)}, ${base.places.toLocaleString('en')} places)\n`);
  if (!imported) {
    process.stdout.write('imported: nothing yet (sitrep gazetteer import FILE...)\n');
    return 0;
  }
  process.stdout.write(`imported: ${imported.file} (${mb(imported.bytes)}, ${imported.places.toLocaleString('en')} places)\n`);
  for (const f of imported.files) {
    process.stdout.write(`  ${f.name}\t${f.rows.toLocaleString('en')} rows, ${f.added.toLocaleString('en')} places added\t${f.importedAt.slice(0, 10)}\t${f.path}\n`);
  }
  return 0;
}

const DEFAULT_DB = 'sitrep.db';

/**
 * The store a command names (`--db`, else SITREP_DB, else ./sitrep.db): a SQLite file, or PostgreSQL by
 * URL, where `?schema=NAME` keeps sitrep's tables in a schema of their own.
 */
async function openStore(db: string | undefined, opts: { asyncCommit?: boolean } = {}): Promise<EventStore> {
  const target = db ?? process.env.SITREP_DB ?? DEFAULT_DB;
  if (/^postgres(?:ql)?:\/\//.test(target)) {
    const url = new URL(target);
    const schema = url.searchParams.get('schema');
    url.searchParams.delete('schema');
    return PostgresStore.open(url.toString(), { ...(schema ? { schema } : {}), ...opts });
  }
  return new SqliteStore(target);
}

/** The queue a command names (`--queue`, else SITREP_QUEUE), with the stream and consumer flags or their variables. */
function queueConfig(values: { queue?: string | undefined; stream?: string | undefined; consumer?: string | undefined; 'ack-wait'?: string | undefined }): QueueConfig | null {
  const url = values.queue ?? process.env.SITREP_QUEUE;
  if (!url) return null;
  if (!/^nats:\/\//.test(url)) throw new UsageError(`--queue ${url}: want nats://host:port`);
  const ackWait = values['ack-wait'] ?? process.env.SITREP_ACK_WAIT;
  const ackWaitS = ackWait === undefined ? undefined : Number(ackWait);
  if (ackWaitS !== undefined && !(ackWaitS >= 1)) throw new UsageError(`--ack-wait ${ackWait}: want seconds (1 or more)`);
  const stream = values.stream ?? process.env.SITREP_STREAM;
  const consumer = values.consumer ?? process.env.SITREP_CONSUMER;
  return { url, ...(stream ? { stream } : {}), ...(consumer ? { consumer } : {}), ...(ackWaitS ? { ackWaitMs: ackWaitS * 1000 } : {}) };
}

/**
 * Publish the inputs' reports to the queue for the workers, instead of extracting them here; with
 * `every` seconds, again and again until SIGINT or SIGTERM (a URL whose server says it has not changed
 * is not read again; a report published before is dropped by the stream, or skipped by the workers).
 */
async function publishInputs(inputs: readonly string[], cfg: QueueConfig, read: ReadOptions, every: number | null): Promise<number> {
  const queue = await ReportQueue.open(cfg);
  try {
    return every === null ? await publishOnce(inputs, queue, read) : await repeatUntilStopped(every, () => publishOnce(inputs, queue, read));
  } finally {
    await queue.close();
  }
}

/**
 * Do `poll`, then again every `seconds`, until SIGINT or SIGTERM: a poll in progress finishes first.
 * Returns the last poll's exit code.
 */
async function repeatUntilStopped(seconds: number, poll: () => Promise<number>): Promise<number> {
  let stopping = false;
  let wake: (() => void) | null = null;
  const stop = (): void => {
    stopping = true;
    wake?.();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  let code = 0;
  while (!stopping) {
    code = await poll();
    if (stopping) break;
    await new Promise<void>((resolve) => {
      wake = resolve;
      setTimeout(resolve, seconds * 1000);
    });
  }
  return code;
}

async function publishOnce(inputs: readonly string[], queue: ReportQueue, read: ReadOptions): Promise<number> {
  let failed = 0;
  const progress = terminalProgress();
  {
    progress.start('publishing', null);
    async function* documents(): AsyncGenerator<Document> {
      for await (const item of readInputs(inputs, read)) {
        if (item.kind === 'failure') {
          failed++;
          process.stderr.write(`sitrep: ${describeOrigin(item.origin)}: ${item.reason}\n`);
        } else yield item.doc;
      }
    }
    const s = await queue.publish(documents(), { onPublished: () => progress.tick(1), onFailure: (id, reason) => process.stderr.write(`sitrep: report ${id}: not published: ${reason}\n`) });
    progress.done(`${s.published} reports published`);
    const lag = await queue.lag();
    process.stderr.write(`sitrep: ${new Date().toISOString()} ${s.published} reports published to ${queue.stream}, ${s.duplicates} published before (dropped by the stream), ${s.failed + failed} failed; ${lag.pending} wait for a worker\n`);
    return s.failed + failed > 0 ? 1 : 0;
  }
}

/**
 * Take reports from the queue until SIGTERM or SIGINT (the batch in hand is stored first), serving the
 * worker's metrics on --metrics-port.
 */
async function cmdWorker(args: string[]): Promise<number> {
  const { values } = parse(args, { db: { type: 'string' }, queue: { type: 'string' }, stream: { type: 'string' }, consumer: { type: 'string' }, 'ack-wait': { type: 'string' }, batch: { type: 'string' }, commit: { type: 'string' }, 'warm-up': { type: 'string' }, 'metrics-port': { type: 'string' }, 'metrics-host': { type: 'string' } });
  const cfg = queueConfig(values);
  if (!cfg) throw new UsageError('worker: give --queue nats://host:port (or set SITREP_QUEUE)');
  const batchGiven = values.batch ?? process.env.SITREP_BATCH;
  const batch = batchGiven === undefined ? 40 : Number(batchGiven);
  if (!(Number.isInteger(batch) && batch > 0)) throw new UsageError(`--batch ${batchGiven}: want a positive whole number`);
  const commitGiven = values.commit ?? process.env.SITREP_COMMIT;
  const commit = commitGiven === undefined ? 2 : Number(commitGiven);
  if (!(Number.isInteger(commit) && commit > 0)) throw new UsageError(`--commit ${commitGiven}: want a positive whole number`);
  const metricsPort = Number(values['metrics-port'] ?? process.env.SITREP_METRICS_PORT ?? 9464);
  if (!(Number.isInteger(metricsPort) && metricsPort >= 0 && metricsPort < 65536)) throw new UsageError(`--metrics-port ${values['metrics-port']}: want a port number (0: any free one)`);
  const warm = values['warm-up'] === undefined ? 0 : Number(values['warm-up']);
  if (!(Number.isInteger(warm) && warm >= 0)) throw new UsageError(`--warm-up ${values['warm-up']}: want a number of reports (0 or more)`);
  const models = loadModels(terminalProgress());
  // (V8 compiles the pipeline's hot code over its first several thousand reports, on a second thread:
  // a worker can pay for some of that before it takes its first report, on the bundled example and
  // training reports, unstored)
  if (warm > 0) {
    const reports: Document[] = [];
    for await (const item of readInputs([path.join(PACKAGE_ROOT, 'examples', 'reports'), dataPath('train')], readOptions({}))) if (item.kind === 'document') reports.push(item.doc);
    for (let i = 0; i < warm && reports.length; i++) extractDocument(reports[i % reports.length]!, models);
  }
  // (a worker acknowledges a report once its commit is on disk, not at the commit: see runWorker)
  const store = await openStore(values.db, { asyncCommit: true });
  const queue = await ReportQueue.open(cfg);
  const stop = new AbortController();
  process.once('SIGTERM', () => stop.abort());
  process.once('SIGINT', () => stop.abort());
  const registry = new Registry();
  const server = createServer((req, res) => {
    if (req.url !== '/metrics') return void res.writeHead(404).end();
    registry.render().then(
      (text) => res.writeHead(200, { 'content-type': METRICS_CONTENT_TYPE }).end(text),
      () => res.writeHead(500).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(metricsPort, values['metrics-host'] ?? process.env.SITREP_METRICS_HOST ?? '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  process.stderr.write(`sitrep: worker ${process.pid} taking reports from ${cfg.url} (stream ${queue.stream}) into ${values.db ?? process.env.SITREP_DB ?? DEFAULT_DB}; metrics on http://127.0.0.1:${port}/metrics\n`);
  try {
    const s = await runWorker(store, queue, models, { batch, commit, signal: stop.signal, registry, onFailure: (where, reason) => process.stderr.write(`sitrep: ${where}: ${reason}\n`) });
    process.stderr.write(`sitrep: worker ${process.pid} stopped: ${s.stored} reports stored, ${s.duplicates} seen before, ${s.failed} failed; ${s.events} events, ${s.merged} joined an event already stored\n`);
    return 0;
  } finally {
    server.close();
    await queue.close();
    await store.close();
  }
}

async function cmdIngest(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { db: { type: 'string' }, date: { type: 'string' }, 'max-doc-mb': { type: 'string' }, batch: { type: 'string' }, watch: { type: 'string' }, queue: { type: 'string' }, stream: { type: 'string' } });
  if (positionals.length === 0) throw new UsageError('ingest: give at least one FILE, DIR, URL or - for stdin');
  const queue = queueConfig(values);
  const every = values.watch === undefined ? null : Number(values.watch);
  if (every !== null && !(every >= 1)) throw new UsageError(`--watch ${values.watch}: want the seconds between polls (1 or more)`);
  const batchSize = values.batch === undefined ? 100 : Number(values.batch);
  if (!(Number.isInteger(batchSize) && batchSize > 0)) throw new UsageError(`--batch ${values.batch}: want a positive whole number`);
  const read = { ...readOptions(values), validators: new Map<string, { etag?: string; lastModified?: string }>() };
  if (queue) return publishInputs(positionals, queue, read, every);
  const progress = terminalProgress();
  const models = loadModels(progress);
  const store = await openStore(values.db);
  if (every !== null) return watch(positionals, every, store, models, read);
  try {
    progress.start('ingesting', null);
    const s = await ingest(positionals, store, models, read, { batchSize, progress, onFailure: (where, reason) => process.stderr.write(`sitrep: ${where}: ${reason}\n`) });
    progress.done(`${s.stored} reports stored`);
    const counts = await store.counts();
    process.stderr.write(
      `sitrep: ${s.read} reports read: ${s.stored} stored, ${s.duplicates} stored before (skipped), ${s.failed} failed; ` +
        `${s.events} events: ${s.created} new, ${s.merged} joined an event already stored. ` +
        `The store (${values.db ?? DEFAULT_DB}) holds ${counts.reports} reports and ${counts.events} events.\n`,
    );
    return s.failed > 0 ? 1 : 0;
  } finally {
    await store.close();
  }
}

/**
 * Poll the inputs every `seconds` until SIGINT or SIGTERM, asking each URL's server whether it changed
 * (ETag, If-Modified-Since) and storing what is new; a poll in progress finishes before the store closes.
 */
async function watch(inputs: readonly string[], seconds: number, store: EventStore, models: ReturnType<typeof loadModels>, read: ReadOptions): Promise<number> {
  try {
    await repeatUntilStopped(seconds, async () => {
      const s = await ingest(inputs, store, models, read, { onFailure: (where, reason) => process.stderr.write(`sitrep: ${where}: ${reason}\n`) });
      process.stderr.write(`sitrep: ${new Date().toISOString()} poll: ${s.stored} new reports, ${s.duplicates} seen before, ${s.failed} failed; ${s.created} new events, ${s.merged} joined\n`);
      return 0;
    });
    return 0;
  } finally {
    await store.close();
  }
}

/**
 * Serve the workbench (API and web UI) on the store until SIGINT or SIGTERM. Writes need the bearer
 * token in SITREP_TOKEN; without one the server is read-only. It listens on 127.0.0.1 unless --host
 * says otherwise: a workbench is not put on a network by accident.
 */
async function serve(store: EventStore, values: { port?: string | undefined; host?: string | undefined; cors?: string | undefined }, models: () => Models): Promise<number> {
  const port = values.port === undefined ? 8080 : Number(values.port);
  if (!(Number.isInteger(port) && port >= 0 && port < 65536)) throw new UsageError(`--port ${values.port}: want a port number`);
  const host = values.host ?? '127.0.0.1';
  const token = process.env.SITREP_TOKEN?.trim() || null;
  const webRoot = path.join(PACKAGE_ROOT, 'dist', 'web');
  const app = await buildServer({ store, token, corsOrigin: values.cors ?? process.env.SITREP_CORS_ORIGIN ?? null, webRoot, models });
  const address = await app.listen({ port, host });
  const url = address.replace('[::1]', 'localhost').replace('//127.0.0.1:', '//localhost:');
  process.stderr.write(`sitrep: serving ${url} (the workbench at ${url}/, the API at ${url}/api/openapi.json)${token ? '' : '; read-only: set SITREP_TOKEN to allow reviews and posted reports'}\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await app.close();
  await store.close();
  return 0;
}

async function cmdServe(args: string[]): Promise<number> {
  const { values } = parse(args, { db: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' }, cors: { type: 'string' } });
  const store = await openStore(values.db);
  let models: Models | null = null;
  return serve(store, values, () => (models ??= loadModels()));
}

/** `npm start`: the bundled example reports into ./sitrep.db (again adds nothing), then the workbench. */
async function cmdStart(args: string[]): Promise<number> {
  const { values } = parse(args, { db: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' } });
  const progress = terminalProgress();
  const models = loadModels(progress);
  const store = await openStore(values.db);
  const s = await ingest([path.join(PACKAGE_ROOT, 'examples', 'reports')], store, models, readOptions({}), { progress, onFailure: (where, reason) => process.stderr.write(`sitrep: ${where}: ${reason}\n`) });
  const counts = await store.counts();
  process.stderr.write(`sitrep: the example reports: ${s.stored} stored now, ${s.duplicates} before; ${values.db ?? DEFAULT_DB} holds ${counts.reports} reports and ${counts.events} events\n`);
  return serve(store, values, () => models);
}

function parseBbox(spec: string): [number, number, number, number] {
  const parts = spec.split(',').map(Number);
  if (parts.length !== 4 || parts.some((x) => !Number.isFinite(x))) throw new UsageError(`--bbox ${spec}: want minLon,minLat,maxLon,maxLat`);
  const [minLon, minLat, maxLon, maxLat] = parts as [number, number, number, number];
  if (minLon > maxLon || minLat > maxLat || minLat < -90 || maxLat > 90 || minLon < -180 || maxLon > 180) throw new UsageError(`--bbox ${spec}: not a box (minLon,minLat,maxLon,maxLat in degrees)`);
  return [minLon, minLat, maxLon, maxLat];
}

async function cmdExport(args: string[]): Promise<number> {
  const { values } = parse(args, { db: { type: 'string' }, format: { type: 'string', default: 'csv' }, from: { type: 'string' }, to: { type: 'string' }, type: { type: 'string' }, country: { type: 'string' }, bbox: { type: 'string' } });
  const format = values.format as Format;
  if (format !== 'csv' && format !== 'geojson' && format !== 'jsonl') throw new UsageError(`--format ${values.format}: want csv, geojson or jsonl`);
  for (const d of [values.from, values.to]) if (d !== undefined && !isCalendarDate(d)) throw new UsageError(`${d}: not a date (want YYYY-MM-DD)`);
  const store = await openStore(values.db);
  try {
    const filter = { ...(values.from ? { from: values.from } : {}), ...(values.to ? { to: values.to } : {}), ...(values.type ? { type: values.type } : {}), ...(values.country ? { country: values.country } : {}), ...(values.bbox ? { bbox: parseBbox(values.bbox) } : {}) };
    for await (const chunk of exportEvents(store, filter, format)) await write(chunk);
    return 0;
  } finally {
    await store.close();
  }
}

async function cmdChanges(args: string[]): Promise<number> {
  const { values } = parse(args, { db: { type: 'string' }, since: { type: 'string' } });
  if (!values.since || Number.isNaN(Date.parse(values.since))) throw new UsageError('changes: give --since TIME (an ISO date or time, e.g. 2026-11-29 or 2026-11-29T10:00:00Z)');
  const store = await openStore(values.db);
  try {
    const since = new Date(Date.parse(values.since)).toISOString();
    for (const c of await store.changes(since)) await write(`${JSON.stringify({ seq: c.seq, at: c.at, event_id: c.eventId, change: c.kind, ...(c.survivor ? { [c.kind === 'merged' ? 'merged_into' : 'split_from']: c.survivor } : {}) })}\n`);
    return 0;
  } finally {
    await store.close();
  }
}

/** Read every stored report again with this version's models: event ids stay where accounts go on. */
async function cmdReextract(args: string[]): Promise<number> {
  const { values } = parse(args, { db: { type: 'string' } });
  const progress = terminalProgress();
  const models = loadModels(progress);
  const store = await openStore(values.db);
  try {
    const ids = await store.reportIds();
    let kept = 0;
    let added = 0;
    let left = 0;
    progress.start('re-extracting', ids.length);
    for (const id of ids) {
      const r = (await store.report(id))!;
      const doc = { id: r.id, date: r.date, text: r.text, origin: { file: r.origin }, messages: [], ...(r.url ? { url: r.url } : {}), ...(r.title ? { title: r.title } : {}) };
      const out = await store.reextract(id, extractDocument(doc, models).events);
      kept += out.kept.length;
      added += out.added.length;
      left += out.left.length;
      progress.tick(1);
    }
    progress.done(`${ids.length} reports`);
    const counts = await store.counts();
    process.stderr.write(`sitrep: ${ids.length} reports read again: ${kept} accounts went on under their events' ids, ${added} new, ${left} no longer read; the store holds ${counts.events} events.\n`);
    return 0;
  } finally {
    await store.close();
  }
}

async function cmdSplit(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { db: { type: 'string' } });
  if (positionals.length !== 1) throw new UsageError('split: give exactly one EVENT_ID');
  const store = await openStore(values.db);
  try {
    if (!(await store.event(positionals[0]!))) {
      process.stderr.write(`sitrep: split: no event ${positionals[0]} in the store\n`);
      return 1;
    }
    const created = await store.split(positionals[0]!);
    process.stdout.write(created.length ? `${created.join('\n')}\n` : '');
    process.stderr.write(`sitrep: ${created.length} report account${created.length === 1 ? '' : 's'} split from ${positionals[0]}\n`);
    return 0;
  } finally {
    await store.close();
  }
}

async function cmdMerge(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { db: { type: 'string' }, reason: { type: 'string' } });
  if (positionals.length < 2) throw new UsageError('merge: give the SURVIVOR event id, then one or more OTHER ids');
  const [survivor, ...others] = positionals as [string, ...string[]];
  const store = await openStore(values.db);
  try {
    const merged = await store.merge(survivor, others, values.reason);
    process.stdout.write(merged.length ? `${merged.join('\n')}\n` : '');
    process.stderr.write(`sitrep: ${merged.length} event${merged.length === 1 ? '' : 's'} merged into ${survivor}\n`);
    return 0;
  } catch (err) {
    process.stderr.write(`sitrep: ${(err as Error).message}\n`);
    return 1;
  } finally {
    await store.close();
  }
}

export async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  try {
    switch (command) {
      case 'extract':
        return await cmdExtract(args);
      case 'eval':
        return await cmdEval(args);
      case 'bench':
        return await cmdBench(args);
      case 'ingest':
        return await cmdIngest(args);
      case 'export':
        return await cmdExport(args);
      case 'changes':
        return await cmdChanges(args);
      case 'split':
        return await cmdSplit(args);
      case 'merge':
        return await cmdMerge(args);
      case 'serve':
        return await cmdServe(args);
      case 'worker':
        return await cmdWorker(args);
      case 'start':
        return await cmdStart(args);
      case 'reextract':
        return await cmdReextract(args);
      case 'schema':
        process.stdout.write(`${JSON.stringify(jsonSchema(), null, 2)}\n`);
        return 0;
      case 'demo':
        return await cmdDemo();
      case 'gazetteer':
        return await cmdGazetteer(args);
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        process.stdout.write(`${USAGE}\n`);
        return command === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`sitrep: ${err.message}\n\n${USAGE}\n`);
      return 2;
    }
    throw err;
  }
}
