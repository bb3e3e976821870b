// `sitrep bench --cluster`: workers on NATS JetStream and PostgreSQL, measured as a ratio in one run.
// The same reports go through one worker, then two, each time into a fresh schema and a fresh stream,
// the workers started (models loaded) before the first report is published; throughput is reports
// stored a second from the first publish to the last commit. Then, with two workers, reports are
// published at half the rate two workers can store, and the time from each publish to its commit
// (the report's ingested_at) gives the publish-to-stored latency an analyst waits in steady work.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { rmSync } from 'node:fs';
import Database from 'better-sqlite3';
import pg from 'pg';
import { cycle, percentiles } from './bench-store.js';
import type { Document } from './document.js';
import { PACKAGE_ROOT } from './paths.js';
import type { Progress } from './progress.js';
import { ReportQueue } from './queue/jetstream.js';
import { readInputs, type ReadOptions } from './read/readers.js';

export interface ClusterBench {
  reports: number;
  /** reports stored a second, by number of workers */
  reports_per_s: Record<string, number>;
  /** two workers' throughput over one's (the target is at least 1.6 on two cores) */
  speedup_2_over_1: number;
  /** publish-to-stored with two workers at half their capacity */
  latency: { reports: number; rate_per_s: number; p50_ms: number; p95_ms: number; max_ms: number };
}

interface Run {
  schema: string;
  /** what the workers are given: a PostgreSQL URL with the schema, or a SQLite file */
  target: string;
  stream: string;
  queue: ReportQueue;
  workers: ChildProcess[];
}

export async function runClusterBench(inputs: readonly string[], read: ReadOptions, opts: { db: string; queue: string; reports?: number; warmUp?: number; progress?: Progress }): Promise<ClusterBench> {
  const docs: Document[] = [];
  for await (const item of readInputs(inputs, read)) if (item.kind === 'document') docs.push(item.doc);
  if (docs.length === 0) throw new Error('bench: no documents in the input');
  const n = opts.reports ?? 6000;
  const warm = opts.warmUp ?? 4000;
  // (PostgreSQL, each run in a schema of its own; or, to compare, one SQLite file a run that the workers
  // of one machine share)
  const onPg = /^postgres(?:ql)?:\/\//.test(opts.db);
  const admin = onPg ? new pg.Client({ connectionString: opts.db }) : null;
  await admin?.connect();
  const runs: Run[] = [];
  // (a run: a fresh schema, or file, and a fresh stream; its workers launched when the run wants them)
  const open = async (): Promise<Run> => {
    const id = randomUUID().replace(/-/g, '').slice(0, 10);
    const schema = `sitrep_bench_${id}`;
    const stream = `SITREP_BENCH_${id.toUpperCase()}`;
    const queue = await ReportQueue.open({ url: opts.queue, stream });
    let target: string;
    if (onPg) {
      const url = new URL(opts.db);
      url.searchParams.set('schema', schema);
      target = url.toString();
    } else target = `${opts.db}.${schema}.db`;
    const run: Run = { schema: onPg ? schema : target, target, stream, queue, workers: [] };
    runs.push(run);
    return run;
  };
  const launch = async (run: Run, workers: number, tag: string): Promise<void> => {
    opts.progress?.start(`bench: starting ${workers} worker${workers > 1 ? 's' : ''} (${tag})`, workers);
    await Promise.all(
      Array.from({ length: workers }, async () => {
        run.workers.push(await startWorker(run.target, opts.queue, run.stream, warm, () => opts.progress?.tick(1)));
      }),
    );
    opts.progress?.done(`${workers} ready`);
  };
  const arrivals = async (schema: string): Promise<{ id: string; ingested_at: string }[]> => {
    if (!admin) {
      const db = new Database(schema, { readonly: true });
      try {
        return db.prepare('SELECT id, ingested_at FROM report').all() as { id: string; ingested_at: string }[];
      } finally {
        db.close();
      }
    }
    return (await admin.query<{ id: string; ingested_at: string }>(`SELECT id, ingested_at FROM ${pg.escapeIdentifier(schema)}.report`)).rows;
  };
  const stop = async (run: Run): Promise<void> => {
    await Promise.all(run.workers.map((w) => new Promise<void>((resolve) => (w.exitCode !== null ? resolve() : (w.once('exit', () => resolve()), w.kill('SIGTERM'))))));
    await run.queue.deleteStream().catch(() => {});
    await run.queue.close();
    if (admin) await admin.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(run.schema)} CASCADE`);
    else for (const suffix of ['', '-wal', '-shm']) rmSync(`${run.schema}${suffix}`, { force: true });
  };
  try {
    const rate: Record<string, number> = {};
    for (const workers of [1, 2]) {
      // A backlog, then the workers: what they store a second while they drain it, from the tenth of the
      // reports stored to the ninth tenth (the workers' start, one perhaps before the other, and the last
      // batches, one worker idle while the other ends, fall outside the window). The publishing is not
      // counted: `sitrep ingest --queue` does it, on a machine of its own where the flow is large.
      const run = await open();
      opts.progress?.start(`bench: publishing ${n} reports`, n);
      await run.queue.publish(cycle(docs, n), { onPublished: () => opts.progress?.tick(1) });
      opts.progress?.done('queued');
      await launch(run, workers, 'throughput');
      opts.progress?.start(`bench: ${n} reports through ${workers} worker${workers > 1 ? 's' : ''}`, n);
      // (the reports done are those the queue no longer holds, stored and acknowledged, or found stored
      // before: asked of the queue, as a count of the stored reports would be a scan that grows and
      // takes the database's time from the workers)
      const marks: { at: number; done: number }[] = [];
      let done = 0;
      for (;;) {
        await new Promise((r) => setTimeout(r, 100));
        const lag = await run.queue.lag();
        const now = n - lag.pending - lag.unacknowledged;
        marks.push({ at: performance.now(), done: now });
        opts.progress?.tick(now - done);
        done = now;
        if (lag.pending + lag.unacknowledged === 0) break;
      }
      const from = marks.find((m) => m.done >= n * 0.1)!;
      const to = marks.find((m) => m.done >= n * 0.9)!;
      rate[String(workers)] = Math.round(((to.done - from.done) / (to.at - from.at)) * 1000);
      opts.progress?.done(`${rate[String(workers)]} reports/s`);
      await stop(run);
    }

    // latency in steady work: two workers, half their capacity
    const run = await open();
    await launch(run, 2, 'latency');
    const perSecond = Math.max(1, Math.round(rate['2']! / 2));
    const total = Math.min(n, perSecond * 20);
    const published = new Map<string, number>();
    opts.progress?.start(`bench: ${total} reports at ${perSecond}/s through 2 workers`, total);
    const t0 = Date.now();
    const paced = async function* (): AsyncGenerator<Document> {
      let i = 0;
      for (const d of cycle(docs, total)) {
        const due = t0 + (i++ * 1000) / perSecond;
        if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
        published.set(d.id, Date.now());
        opts.progress?.tick(1);
        yield d;
      }
    };
    await run.queue.publish(paced(), { inFlight: 16 });
    for (;;) {
      const lag = await run.queue.lag();
      if (lag.pending + lag.unacknowledged === 0) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    opts.progress?.done('stored');
    const rows = await arrivals(run.schema);
    const latencies = rows.map((r) => Date.parse(r.ingested_at) - published.get(r.id)!).filter((x) => Number.isFinite(x));
    await stop(run);
    const p = percentiles(latencies);
    return { reports: n, reports_per_s: rate, speedup_2_over_1: Math.round((rate['2']! / rate['1']!) * 100) / 100, latency: { reports: total, rate_per_s: perSecond, ...p } };
  } finally {
    for (const run of runs) for (const w of run.workers) if (w.exitCode === null) w.kill('SIGKILL');
    await admin?.end();
  }
}

/** A worker process, resolved once it says it is taking reports (its models loaded). */
function startWorker(db: string, queue: string, stream: string, warm: number, onReady: () => void): Promise<ChildProcess> {
  const nodeArgs = (process.env.SITREP_WORKER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, path.join(PACKAGE_ROOT, 'bin', 'sitrep.js'), 'worker', '--db', db, '--queue', queue, '--stream', stream, '--metrics-port', '0', '--warm-up', String(warm)], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, SITREP_NO_PROGRESS: '1' } });
  return new Promise((resolve, reject) => {
    let err = '';
    child.stderr!.on('data', (c: Buffer) => {
      err += c.toString();
      if (/taking reports/.test(err)) {
        onReady();
        resolve(child);
      }
    });
    child.once('exit', (code) => reject(new Error(`a worker exited (${code}) before it was ready: ${err}`)));
  });
}
