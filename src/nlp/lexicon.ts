// Lexicons: plain-text pattern lists compiled into one regular expression each, so a document is
// scanned once per lexicon however many entries it has. Each match reports which entry fired.
import { readFileSync } from 'node:fs';

export interface LexiconEntry<T> {
  /** the pattern as written in the data file */
  readonly pattern: string;
  readonly value: T;
  /** data file and line, for messages and rule tags */
  readonly where: string;
}

export interface LexiconMatch<T> {
  readonly start: number;
  readonly end: number;
  readonly text: string;
  readonly entry: LexiconEntry<T>;
}

/**
 * Pattern syntax of the data files: lower case; a space matches spaces or a hyphen ("car bomb" finds
 * "car-bomb"); `*` is any word ending; parentheses, `|` and `?` work as in regular expressions.
 */
export function patternSource(pattern: string): string {
  return pattern
    .trim()
    .replace(/[.+^${}[\]\\]/g, (c) => (c === '.' ? '\\.' : `\\${c}`))
    .replace(/\*/g, "[\\w'’]*")
    .replace(/ /g, '[\\s-]+');
}

/** Escape a literal phrase (an actor alias) for use as a pattern. */
export function literalPattern(phrase: string): string {
  return phrase
    .trim()
    .toLowerCase()
    .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
    .replace(/[\s-]+/g, ' ');
}

export class Lexicon<T> {
  private readonly re: RegExp;
  private readonly entries: readonly LexiconEntry<T>[];

  constructor(entries: readonly LexiconEntry<T>[], opts: { literal?: boolean } = {}) {
    this.entries = entries;
    // one capture group per entry; longer alternatives first so "suicide car bomb" beats "car bomb"
    const order = entries.map((_e, i) => i).sort((a, b) => entries[b]!.pattern.length - entries[a]!.pattern.length);
    this.orderToEntry = order;
    const alternatives = order.map((i) => {
      const p = entries[i]!.pattern;
      const src = opts.literal ? literalPattern(p).replace(/ /g, '[\\s-]+') : patternSource(p);
      return `(${src.replace(/\((?!\?)/g, '(?:')})`;
    });
    // an empty lexicon matches nothing (an empty alternation would match everywhere)
    this.re = alternatives.length === 0 ? /(?!)/g : new RegExp(`(?<![\\w'’])(?:${alternatives.join('|')})(?![\\w])`, 'giu');
  }

  private readonly orderToEntry: number[];

  matches(text: string): LexiconMatch<T>[] {
    const out: LexiconMatch<T>[] = [];
    this.re.lastIndex = 0;
    for (let m = this.re.exec(text); m !== null; m = this.re.exec(text)) {
      if (m[0].length === 0) {
        this.re.lastIndex++;
        continue;
      }
      let group = 1;
      while (group < m.length && m[group] === undefined) group++;
      const entry = this.entries[this.orderToEntry[group - 1]!]!;
      out.push({ start: m.index, end: m.index + m[0].length, text: m[0], entry });
    }
    return out;
  }
}

/** Read a TAB-separated data file: `#` comment lines and blank lines skipped, each row with its line number. */
export function readTsv(file: string, text: string = readFileSync(file, 'utf8')): { cols: string[]; line: number }[] {
  const rows: { cols: string[]; line: number }[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    if (line.trim() === '' || line.startsWith('#')) return;
    rows.push({ cols: line.split('\t'), line: i + 1 });
  });
  return rows;
}
