// A progress bar on stderr for long work, shown only on a terminal: piped output stays clean.

export interface Progress {
  start(label: string, total: number | null): void;
  tick(n?: number, note?: string): void;
  done(summary?: string): void;
}

export function terminalProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY) return silentProgress;
  let label = '';
  let total: number | null = null;
  let count = 0;
  let last = 0;
  let startedAt = 0;
  const draw = (note = ''): void => {
    const now = Date.now();
    if (now - last < 100) return;
    last = now;
    const rate = count / Math.max(0.001, (now - startedAt) / 1000);
    let bar = '';
    if (total) {
      const width = 28;
      const filled = Math.min(width, Math.round((count / total) * width));
      bar = `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${Math.round((count / total) * 100)}% `;
    }
    stream.write(`\r${label} ${bar}${count.toLocaleString('en')}${total ? `/${total.toLocaleString('en')}` : ''} (${Math.round(rate).toLocaleString('en')}/s) ${note}\x1b[K`);
  };
  return {
    start(l, t) {
      label = l;
      total = t;
      count = 0;
      last = 0;
      startedAt = Date.now();
    },
    tick(n = 1, note) {
      count += n;
      draw(note);
    },
    done(summary) {
      last = 0;
      stream.write(`\r${label}: ${summary ?? 'done'} in ${((Date.now() - startedAt) / 1000).toFixed(1)} s\x1b[K\n`);
    },
  };
}

export const silentProgress: Progress = { start() {}, tick() {}, done() {} };
