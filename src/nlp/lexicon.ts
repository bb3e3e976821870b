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
 * Pattern syntax of the data files: a regular expression in lower case, where a space matches spaces or
 * a hyphen ("car bomb" finds "car-bomb"), " ?" is an optional space ("air ?strike" finds "airstrike"),
 * `*` is any word ending and "." a full stop; `\\w`, groups, `|`, `?`, `+` and `{m,n}` work as usual.
 */
export function patternSource(pattern: string): string {
  let out = '';
  const p = pattern.trim();
  let inClass = false;
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (c === '\\' && i + 1 < p.length) out += c + p[++i];
    // a character class ("[- ]") is copied as written
    else if (inClass || c === '[') {
      out += c;
      inClass = c === ']' ? false : true;
    }
    else if (c === '*') out += "[\\w'’]*";
    // "air ?strike": an optional space (or hyphen) may also be missing, as in "airstrike"
    else if (c === ' ' && p[i + 1] === '?') {
      out += '[\\s-]?';
      i++;
    } else if (c === ' ') out += '[\\s-]+';
    else if ('.^$'.includes(c)) out += `\\${c}`;
    else out += c;
  }
  return out;
}

/**
 * Alternatives per regular expression. V8 matches one alternation of the whole event lexicon (150-odd
 * patterns) four times slower than the same patterns in chunks of this size (measured on the dev notes:
 * 733 ms whole, 130 ms in four chunks), so a lexicon is several expressions searched together.
 */
const CHUNK = 40;

export class Lexicon<T> {
  private readonly chunks: { re: RegExp; entries: number[] }[];
  private readonly entries: readonly LexiconEntry<T>[];

  constructor(entries: readonly LexiconEntry<T>[]) {
    this.entries = entries;
    // one capture group per entry; longer alternatives first so "suicide car bomb" beats "car bomb"
    const order = entries.map((_e, i) => i).sort((a, b) => entries[b]!.pattern.length - entries[a]!.pattern.length);
    this.chunks = [];
    for (let at = 0; at < order.length; at += CHUNK) {
      const slice = order.slice(at, at + CHUNK);
      const alternatives = slice.map((i) => `(${patternSource(entries[i]!.pattern).replace(/\((?!\?)/g, '(?:')})`);
      // A match starts at a word's start: not inside a word, nor after a word's apostrophe ("o'clock"),
      // but after an opening quote mark ("Taliban 'pounded' a base")
      this.chunks.push({ re: new RegExp(`(?<!\\w)(?<!\\w['’])(?:${alternatives.join('|')})(?![\\w])`, 'giu'), entries: slice });
    }
  }

  /**
   * Every match, left to right, none overlapping: at each position the first pattern in the lexicon's
   * order that matches, exactly as one alternation of all the patterns would find them.
   */
  matches(text: string): LexiconMatch<T>[] {
    const out: LexiconMatch<T>[] = [];
    // each chunk's next match at or after the position reached (a chunk's leftmost match from an
    // earlier position that starts at or after this one is also its leftmost from here)
    const next: (RegExpExecArray | null | undefined)[] = this.chunks.map(() => undefined);
    let pos = 0;
    for (;;) {
      let best = -1;
      for (let c = 0; c < this.chunks.length; c++) {
        let m = next[c];
        if (m === undefined || (m !== null && m.index < pos)) {
          const { re } = this.chunks[c]!;
          re.lastIndex = pos;
          m = re.exec(text);
          // a zero-length match matches nothing: look on from the next character
          while (m !== null && m[0].length === 0) {
            re.lastIndex = m.index + 1;
            m = re.exec(text);
          }
          next[c] = m;
        }
        if (m && (best < 0 || m.index < next[best]!.index)) best = c;
      }
      if (best < 0) return out;
      const m = next[best]!;
      let group = 1;
      while (group < m.length && m[group] === undefined) group++;
      const entry = this.entries[this.chunks[best]!.entries[group - 1]!]!;
      out.push({ start: m.index, end: m.index + m[0].length, text: m[0], entry });
      pos = m.index + m[0].length;
    }
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

/** Normalise a word for phrase lookup: lower case, no diacritics, no apostrophes. */
function normaliseWord(w: string): string {
  const s = w.toLowerCase();
  // plain ASCII words (nearly all) need nothing more
  // eslint-disable-next-line no-control-regex
  if (!/[^a-z0-9]/.test(s)) return s;
  return s.normalize('NFKD').replace(/\p{M}/gu, '').replace(/['’‘`ʼ]/g, '');
}

const WORD = /[\p{L}\p{N}]+(?:['’][\p{L}\p{N}]+)*/gu;

/** The words of a phrase as the index compares them ("al-Shabaab's" → al, shabaab, s). */
export function phraseKey(phrase: string): string {
  return (phrase.match(WORD) ?? []).map(normaliseWord).join(' ');
}

/**
 * Literal phrases (thousands of actor aliases) looked up word by word in a hash map: a single pass
 * over the text whatever the number of phrases, where one regular expression of thousands of
 * alternatives would backtrack at every position. Case, diacritics, apostrophes and punctuation between
 * words are ignored; the longest phrase at a position wins and matches do not overlap.
 */
export class PhraseIndex<T> {
  private readonly byKey = new Map<string, LexiconEntry<T>>();
  /** every word sequence that begins some phrase: the scan stops as soon as none does */
  private readonly prefixes = new Set<string>();

  constructor(entries: readonly LexiconEntry<T>[]) {
    for (const e of entries) {
      const key = phraseKey(e.pattern);
      if (!key || this.byKey.has(key)) continue;
      this.byKey.set(key, e);
      const words = key.split(' ');
      for (let n = 1; n <= words.length; n++) this.prefixes.add(words.slice(0, n).join(' '));
    }
  }

  matches(text: string): LexiconMatch<T>[] {
    const words: { start: number; end: number; key: string }[] = [];
    WORD.lastIndex = 0;
    for (let m = WORD.exec(text); m !== null; m = WORD.exec(text)) words.push({ start: m.index, end: m.index + m[0].length, key: normaliseWord(m[0]) });
    const out: LexiconMatch<T>[] = [];
    for (let i = 0; i < words.length; ) {
      let found: { entry: LexiconEntry<T>; last: number } | null = null;
      let key = '';
      for (let j = i; j < words.length; j++) {
        key = j === i ? words[j]!.key : `${key} ${words[j]!.key}`;
        if (!this.prefixes.has(key)) break;
        const entry = this.byKey.get(key);
        if (entry) found = { entry, last: j };
      }
      if (found) {
        const start = words[i]!.start;
        const end = words[found.last]!.end;
        out.push({ start, end, text: text.slice(start, end), entry: found.entry });
        i = found.last + 1;
      } else i++;
    }
    return out;
  }
}
