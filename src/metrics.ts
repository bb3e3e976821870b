// Metrics in Prometheus's text exposition format (version 0.0.4), for `/metrics` on workers and the
// server: counters that only grow, gauges read when scraped, and a latency summary over a window of the
// latest observations. A dozen series do not need a client library.

type Labels = Readonly<Record<string, string>>;

function labelText(labels: Labels): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`);
  return parts.length ? `{${parts.join(',')}}` : '';
}

interface Family {
  readonly name: string;
  readonly help: string;
  readonly type: 'counter' | 'gauge' | 'summary';
  render(): Promise<string[]> | string[];
}

export class Counter {
  private readonly values = new Map<string, { labels: Labels; value: number }>();
  constructor(
    readonly name: string,
    readonly help: string,
  ) {}

  inc(by = 1, labels: Labels = {}): void {
    const key = labelText(labels);
    const v = this.values.get(key);
    if (v) v.value += by;
    else this.values.set(key, { labels, value: by });
  }

  get(labels: Labels = {}): number {
    return this.values.get(labelText(labels))?.value ?? 0;
  }

  render(): string[] {
    // (a counter nothing has happened to yet is 0, not absent: a rate over it is then 0, not missing)
    if (this.values.size === 0) return [`${this.name} 0`];
    return [...this.values.values()].map((v) => `${this.name}${labelText(v.labels)} ${v.value}`);
  }
}

/** A value read when scraped (a queue's lag, a store's size). */
export class Gauge {
  constructor(
    readonly name: string,
    readonly help: string,
    private readonly read: () => Promise<number | null> | number | null,
  ) {}

  async render(): Promise<string[]> {
    try {
      const v = await this.read();
      return v === null || !Number.isFinite(v) ? [] : [`${this.name} ${v}`];
    } catch {
      // (a gauge that cannot be read now is left out, not reported as zero)
      return [];
    }
  }
}

/** Quantiles over the latest `window` observations, with the count and sum of all of them. */
export class Summary {
  private readonly recent: number[] = [];
  private next = 0;
  private count = 0;
  private sum = 0;
  constructor(
    readonly name: string,
    readonly help: string,
    private readonly window = 10_000,
  ) {}

  observe(v: number): void {
    this.count++;
    this.sum += v;
    if (this.recent.length < this.window) this.recent.push(v);
    else this.recent[this.next++ % this.window] = v;
  }

  quantile(q: number): number | null {
    if (this.recent.length === 0) return null;
    const sorted = [...this.recent].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
  }

  render(): string[] {
    const lines = [0.5, 0.95, 0.99].flatMap((q) => {
      const v = this.quantile(q);
      return v === null ? [] : [`${this.name}{quantile="${q}"} ${v}`];
    });
    return [...lines, `${this.name}_sum ${this.sum}`, `${this.name}_count ${this.count}`];
  }
}

export class Registry {
  private readonly families: Family[] = [];

  counter(name: string, help: string): Counter {
    const c = new Counter(name, help);
    this.families.push({ name, help, type: 'counter', render: () => c.render() });
    return c;
  }

  gauge(name: string, help: string, read: () => Promise<number | null> | number | null): Gauge {
    const g = new Gauge(name, help, read);
    this.families.push({ name, help, type: 'gauge', render: () => g.render() });
    return g;
  }

  summary(name: string, help: string, window?: number): Summary {
    const s = new Summary(name, help, window);
    this.families.push({ name, help, type: 'summary', render: () => s.render() });
    return s;
  }

  async render(): Promise<string> {
    const out: string[] = [];
    for (const f of this.families) {
      const lines = await f.render();
      out.push(`# HELP ${f.name} ${f.help}`, `# TYPE ${f.name} ${f.type}`, ...lines);
    }
    return `${out.join('\n')}\n`;
  }
}

export const METRICS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/**
 * A rate over the last minute (reports a second), from a counter's readings: Prometheus computes rates
 * itself, but a person reading /metrics by hand wants the number.
 */
export function perSecond(counter: Counter, windowMs = 60_000): () => number {
  const readings: { t: number; v: number }[] = [];
  return () => {
    const now = Date.now();
    readings.push({ t: now, v: counter.get() });
    while (readings.length > 2 && now - readings[0]!.t > windowMs) readings.shift();
    const first = readings[0]!;
    const dt = (now - first.t) / 1000;
    return dt > 0 ? Math.round(((counter.get() - first.v) / dt) * 100) / 100 : 0;
  };
}
