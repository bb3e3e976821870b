// `sitrep bench --cluster`: workers on NATS JetStream and PostgreSQL, measured as a ratio in one run.
// One worker, then two, each time into a fresh schema and a fresh stream. Each run first warms its
// workers on the same reports through the queue, then publishes a backlog of the same next reports and
// measures what the workers store a second while they drain it. With the two workers still running,
// reports are then published at half the rate they stored, and the time from each publish to its commit
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
  /** reports each worker filed before the measured ones */
  warm_up_per_worker: number;
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
  const n = opts.reports ?? 16_000;
  const warm = opts.warmUp ?? 8000;
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
        run.workers.push(await startWorker(run.target, opts.queue, run.stream, () => opts.progress?.tick(1)));
      }),
    );
    opts.progress?.done(`${workers} ready`);
  };
  const lagOf = async (run: Run): Promise<number> => {
    const lag = await run.queue.lag();
    return lag.pending + lag.unacknowledged;
  };
  const drained = async (run: Run): Promise<void> => {
    while ((await lagOf(run)) > 0) await new Promise((r) => setTimeout(r, 100));
  };
  // Latency in steady work: the two warm workers, reports published at half the rate they store, the
  // time from each publish to its commit (the report's ingested_at).
  const measureLatency = async (run: Run, capacity: number, from: number): Promise<ClusterBench['latency']> => {
    const perSecond = Math.max(1, Math.round(capacity / 2));
    const total = Math.min(n, perSecond * 20);
    const published = new Map<string, number>();
    opts.progress?.start(`bench: ${total} reports at ${perSecond}/s through 2 workers`, total);
    const t0 = Date.now();
    const paced = async function* (): AsyncGenerator<Document> {
      let i = 0;
      for (const d of cycle(docs, total, from)) {
        const due = t0 + (i++ * 1000) / perSecond;
        if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
        published.set(d.id, Date.now());
        opts.progress?.tick(1);
        yield d;
      }
    };
    await run.queue.publish(paced(), { inFlight: 16 });
    await drained(run);
    opts.progress?.done('stored');
    const rows = await arrivals(run.schema);
    const latencies = rows.filter((r) => published.has(r.id)).map((r) => Date.parse(r.ingested_at) - published.get(r.id)!);
    return { reports: total, rate_per_s: perSecond, ...percentiles(latencies) };
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
    let latency: ClusterBench['latency'] | null = null;
    // (the reports before the measured ones, the same in both runs: the stores then hold the same)
    const warmTotal = warm * 2;
    for (const workers of [1, 2]) {
      const run = await open();
      await launch(run, workers, 'throughput');
      // Warming: each worker's code is compiled by V8 over its first several thousand reports, on the
      // other core, and a worker runs for days: the workers first file `warm` reports each (two workers
      // share twice as many), not measured, so that both runs measure workers in their steady state,
      // on stores that hold the same reports.
      opts.progress?.start(`bench: warming ${workers} worker${workers > 1 ? 's' : ''} on ${warmTotal} reports`, warmTotal);
      await run.queue.publish(cycle(docs, warmTotal), { onPublished: () => opts.progress?.tick(1) });
      await drained(run);
      opts.progress?.done('warm');
      // A backlog: what the workers store a second while they drain it, from the tenth of the reports
      // done to the ninth tenth (the first fetches and the last batches, one worker idle while the other
      // ends, fall outside the window). The publishing goes first, and is not counted: `sitrep ingest
      // --queue` does it, on a machine of its own where the flow is large.
      opts.progress?.start(`bench: publishing ${n} reports`, n);
      const base = await lagOf(run);
      const waiting = async (): Promise<number> => (await lagOf(run)) - base;
      await run.queue.publish(cycle(docs, n, warmTotal), { onPublished: () => opts.progress?.tick(1) });
      opts.progress?.done('queued');
      opts.progress?.start(`bench: ${n} reports through ${workers} worker${workers > 1 ? 's' : ''}`, n);
      // (the reports done are those the queue no longer holds, stored and acknowledged, or found stored
      // before: asked of the queue, as a count of the stored reports would be a scan that grows and
      // takes the database's time from the workers)
      const marks: { at: number; done: number }[] = [];
      let done = 0;
      for (;;) {
        await new Promise((r) => setTimeout(r, 100));
        const now = n - (await waiting());
        marks.push({ at: performance.now(), done: now });
        opts.progress?.tick(now - done);
        done = now;
        if (now >= n) break;
      }
      const from = marks.find((m) => m.done >= n * 0.1)!;
      const to = marks.find((m) => m.done >= n * 0.9)!;
      rate[String(workers)] = Math.round(((to.done - from.done) / (to.at - from.at)) * 1000);
      opts.progress?.done(`${rate[String(workers)]} reports/s`);
      if (workers === 2) latency = await measureLatency(run, rate['2']!, warmTotal + n);
      await stop(run);
    }
    return { reports: n, warm_up_per_worker: warm, reports_per_s: rate, speedup_2_over_1: Math.round((rate['2']! / rate['1']!) * 100) / 100, latency: latency! };
  } finally {
    for (const run of runs) for (const w of run.workers) if (w.exitCode === null) w.kill('SIGKILL');
    await admin?.end();
  }
}

/** A worker process, resolved once it says it is taking reports (its models loaded). */
function startWorker(db: string, queue: string, stream: string, onReady: () => void): Promise<ChildProcess> {
  const nodeArgs = (process.env.SITREP_WORKER_NODE_ARGS ?? '').split(' ').filter(Boolean);
  const child = spawn(process.execPath, [...nodeArgs, path.join(PACKAGE_ROOT, 'bin', 'sitrep.js'), 'worker', '--db', db, '--queue', queue, '--stream', stream, '--metrics-port', '0'], { stdio: ['ignore', 'ignore', 'pipe'], env: { ...process.env, SITREP_NO_PROGRESS: '1' } });
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
