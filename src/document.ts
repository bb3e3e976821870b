// A report as sitrep reads it, before any analysis: the text every offset points into, the report
// date that relative times resolve against, and where it came from (for error messages and provenance).
import type { Message } from './schema.js';

export interface Origin {
  /** file path, `-` for stdin, or a URL */
  readonly file: string;
  /** 1-based line number for JSONL input */
  readonly line?: number;
}

export interface Document {
  readonly id: string;
  /** publication date as YYYY-MM-DD, or null when unknown (then only explicit dates are resolved) */
  readonly date: string | null;
  readonly text: string;
  readonly title?: string;
  readonly url?: string;
  readonly source?: string;
  readonly origin: Origin;
  /** non-fatal findings of the reader (e.g. a date given with a time of day) */
  readonly messages: readonly Message[];
}

export function describeOrigin(origin: Origin): string {
  return origin.line === undefined ? origin.file : `${origin.file}:${origin.line}`;
}

/** True when s is a real calendar date written YYYY-MM-DD (rejects 2020-02-30). */
export function isCalendarDate(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === mo - 1 && t.getUTCDate() === d;
}
