// Readers: turn files, directories, JSONL streams and stdin into Documents, one at a time, in input
// order. A bad record never stops the batch: it becomes a `failure` item naming the file and line.
// JSONL is split by bytes and decoded line by line, so a 1 GB file streams in flat memory and
// invalid UTF-8 is reported on the line where it occurs instead of being silently replaced.
import { createHash } from 'node:crypto';
import { createReadStream, promises as fs } from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type { Message } from '../schema.js';
import { isCalendarDate, type Document, type Origin } from '../document.js';
import { isFeed, parseFeed } from './feeds.js';
import { htmlMainText } from './html.js';

export type ReadItem =
  | { readonly kind: 'document'; readonly doc: Document }
  | { readonly kind: 'failure'; readonly origin: Origin; readonly reason: string };

export interface ReadOptions {
  /** report date for plain-text input that carries none (`--date`) */
  readonly date?: string | null;
  /** documents larger than this are refused with a message (a 20 MB "report" is a dump, not a report) */
  readonly maxDocumentBytes: number;
  /**
   * what each URL's server said of its last answer (ETag, Last-Modified): a watcher polling a feed asks
   * again with them and reads nothing when the server answers 304 Not Modified
   */
  readonly validators?: Map<string, { etag?: string; lastModified?: string }>;
}

export const DEFAULT_MAX_DOCUMENT_BYTES = 2_000_000;

const JSONL_EXTENSIONS = new Set(['.jsonl', '.ndjson', '.jsonlines']);
const TEXT_EXTENSIONS = new Set(['.txt', '.text']);
const HTML_EXTENSIONS = new Set(['.html', '.htm', '.xhtml']);
const FEED_EXTENSIONS = new Set(['.xml', '.rss', '.atom']);

export async function* readInputs(inputs: readonly string[], opts: ReadOptions): AsyncGenerator<ReadItem> {
  for (const input of inputs) {
    if (input === '-') {
      yield* readStream(process.stdin, { file: '-' }, opts);
      continue;
    }
    if (/^https?:\/\//i.test(input)) {
      yield* readUrl(input, opts);
      continue;
    }
    let stat;
    try {
      stat = await fs.stat(input);
    } catch (err) {
      yield failure({ file: input }, `cannot read: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
      continue;
    }
    if (stat.isDirectory()) {
      for (const file of await listReportFiles(input)) yield* readFile(file, opts);
    } else {
      yield* readFile(input, opts);
    }
  }
}

/** Report files under a directory, recursively, in a stable (sorted) order; hidden entries skipped. */
async function listReportFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  const entries = await fs.readdir(dir, { withFileTypes: true });
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const full = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...(await listReportFiles(full)));
    else if (e.isFile()) {
      const ext = path.extname(e.name).toLowerCase();
      if (JSONL_EXTENSIONS.has(ext) || TEXT_EXTENSIONS.has(ext) || HTML_EXTENSIONS.has(ext) || FEED_EXTENSIONS.has(ext)) out.push(full);
    }
  }
  return out;
}

async function* readFile(file: string, opts: ReadOptions): AsyncGenerator<ReadItem> {
  const ext = path.extname(file).toLowerCase();
  if (JSONL_EXTENSIONS.has(ext)) {
    yield* readJsonl(createReadStream(file), { file }, opts);
    return;
  }
  let bytes: Buffer;
  try {
    const stat = await fs.stat(file);
    // (a page's markup or a feed's many items may weigh many times their text)
    const max = HTML_EXTENSIONS.has(ext) || FEED_EXTENSIONS.has(ext) ? opts.maxDocumentBytes * 20 : opts.maxDocumentBytes;
    if (stat.size > max) {
      yield failure({ file }, tooLarge(stat.size, max));
      return;
    }
    bytes = await fs.readFile(file);
  } catch (err) {
    yield failure({ file }, `cannot read: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    return;
  }
  if (HTML_EXTENSIONS.has(ext) || FEED_EXTENSIONS.has(ext)) {
    yield* webDocuments(bytes, { file }, opts);
    return;
  }
  yield textDocument(bytes, { file }, opts);
}

/**
 * A web page (its main text: not menus, ads or related stories) or a feed (one report an item, its
 * content or else its summary), as the bytes tell, whatever the file's name says.
 */
export function* webDocuments(bytes: Uint8Array, origin: Origin, opts: ReadOptions): Generator<ReadItem> {
  const decoded = decodeMarkup(bytes);
  if ('error' in decoded) {
    yield failure(origin, decoded.error);
    return;
  }
  if (isFeed(decoded.text)) {
    const feed = parseFeed(decoded.text);
    if (feed.items.length === 0) yield failure(origin, 'a feed with no items that could be read');
    for (const [i, item] of feed.items.entries()) {
      const itemOrigin = { file: origin.file, line: i + 1 };
      const text = [item.title, item.content ?? item.summary].filter((x): x is string => !!x && x.trim() !== '').join('\n\n');
      if (text.trim() === '') {
        yield failure(itemOrigin, 'feed item with no text');
        continue;
      }
      const id = item.id ?? item.url ?? `feed-${contentHash(text)}`;
      yield webDocument(id, text, item.published, item.title, item.url, itemOrigin, opts);
    }
    return;
  }
  const page = htmlMainText(decoded.text);
  if (page.text.trim() === '') {
    yield failure(origin, 'a web page with no article text');
    return;
  }
  const id = page.url ?? (/^https?:/.test(origin.file) ? origin.file : reportIdFromPath(origin.file));
  const text = page.title && !page.text.startsWith(page.title) ? `${page.title}\n\n${page.text}` : page.text;
  yield webDocument(id, text, page.published, page.title, page.url ?? (/^https?:/.test(origin.file) ? origin.file : null), origin, opts);
}

function webDocument(id: string, text: string, published: string | null, title: string | null, url: string | null, origin: Origin, opts: ReadOptions): ReadItem {
  if (Buffer.byteLength(text) > opts.maxDocumentBytes) return failure(origin, tooLarge(Buffer.byteLength(text), opts.maxDocumentBytes));
  const date = published ?? opts.date ?? null;
  const messages: Message[] = date ? [] : [{ level: 'warning', code: 'date.missing', text: 'no report date: the page or item gives none; give --date' }];
  return { kind: 'document', doc: { id, date, text, origin, messages, ...(title ? { title } : {}), ...(url ? { url } : {}) } };
}

/** A report or feed on the web: fetched once (10 s at most), read as its bytes tell. */
async function* readUrl(url: string, opts: ReadOptions): AsyncGenerator<ReadItem> {
  let bytes: Uint8Array;
  try {
    const seen = opts.validators?.get(url);
    const headers: Record<string, string> = { 'user-agent': 'sitrep (+https://github.com/sitrep)' };
    if (seen?.etag) headers['if-none-match'] = seen.etag;
    if (seen?.lastModified) headers['if-modified-since'] = seen.lastModified;
    const res = await fetch(url, { signal: AbortSignal.timeout(10_000), headers });
    if (res.status === 304) return;
    if (opts.validators) {
      const etag = res.headers.get('etag');
      const lastModified = res.headers.get('last-modified');
      if (etag || lastModified) opts.validators.set(url, { ...(etag ? { etag } : {}), ...(lastModified ? { lastModified } : {}) });
    }
    if (!res.ok) {
      yield failure({ file: url }, `HTTP ${res.status}`);
      return;
    }
    bytes = new Uint8Array(await res.arrayBuffer());
  } catch (err) {
    yield failure({ file: url }, `cannot fetch: ${(err as Error).message}`);
    return;
  }
  if (bytes.length > opts.maxDocumentBytes * 20) {
    yield failure({ file: url }, tooLarge(bytes.length, opts.maxDocumentBytes * 20));
    return;
  }
  const head = new TextDecoder().decode(bytes.subarray(0, 512)).trimStart();
  if (head.startsWith('<')) yield* webDocuments(bytes, { file: url }, opts);
  else yield textDocument(bytes, { file: url }, opts);
}

/** stdin: JSONL when the first non-blank byte is `{`, else one plain-text report. */
async function* readStream(stream: Readable, origin: Origin, opts: ReadOptions): AsyncGenerator<ReadItem> {
  const chunks: Buffer[] = [];
  let size = 0;
  let sniffed: 'jsonl' | 'text' | null = null;
  const iterator = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  while (sniffed === null) {
    const next = await iterator.next();
    if (next.done) break;
    const chunk = next.value;
    chunks.push(chunk);
    size += chunk.length;
    const firstByte = chunk.find((b) => b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09 && b !== 0xef && b !== 0xbb && b !== 0xbf);
    if (firstByte !== undefined) sniffed = firstByte === 0x7b ? 'jsonl' : 'text';
  }
  if (sniffed === 'jsonl') {
    const rest = (async function* () {
      yield* chunks;
      for (let n = await iterator.next(); !n.done; n = await iterator.next()) yield n.value;
    })();
    yield* readJsonl(rest, origin, opts);
    return;
  }
  for (let n = await iterator.next(); !n.done; n = await iterator.next()) {
    chunks.push(n.value);
    size += n.value.length;
    if (size > opts.maxDocumentBytes) {
      yield failure(origin, tooLarge(size, opts.maxDocumentBytes));
      return;
    }
  }
  yield textDocument(Buffer.concat(chunks), origin, opts);
}

/** One plain-text or header-format report. */
export function textDocument(bytes: Uint8Array, origin: Origin, opts: ReadOptions): ReadItem {
  const decoded = decodeText(bytes);
  if ('error' in decoded) return failure(origin, decoded.error);
  const text = decoded.text;
  if (text.trim() === '') return failure(origin, 'empty document: no text');
  const messages: Message[] = [];
  const header = parseHeader(text);
  let date: string | null = opts.date ?? null;
  let body = text;
  if (header) {
    body = header.body;
    if (!isCalendarDate(header.date)) return failure(origin, `header date "${header.date}" is not a calendar date`);
    if (opts.date && opts.date !== header.date) {
      messages.push({ level: 'info', code: 'date.header', text: `report date ${header.date} from the header overrides --date ${opts.date}` });
    }
    date = header.date;
  }
  if (date === null) {
    messages.push({ level: 'warning', code: 'date.missing', text: 'no report date: relative times ("Tuesday", "yesterday") cannot be resolved; give --date' });
  }
  const id = origin.file === '-' ? `stdin-${contentHash(body)}` : reportIdFromPath(origin.file);
  return { kind: 'document', doc: { id, date, text: body, origin, messages } };
}

/**
 * The header format of wire reports: a first line ` date YYYY-MM-DD ` followed on the same line by
 * the dateline and the lead. The header is not report text, so it is cut off; offsets point into body.
 */
export function parseHeader(text: string): { date: string; body: string } | null {
  const m = /^\s*date\s+(\d{4}-\d{2}-\d{2})[ \t]*/.exec(text);
  if (!m) return null;
  return { date: m[1]!, body: text.slice(m[0].length) };
}

function reportIdFromPath(file: string): string {
  return path.basename(file).replace(/\.[^.]+$/, '');
}

export function contentHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Decode report bytes: UTF-8 (BOM optional) or UTF-16 with a BOM; binary and invalid UTF-8 are refused. */
export function decodeText(bytes: Uint8Array): { text: string } | { error: string } {
  if (bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))) {
    const le = bytes[0] === 0xff;
    try {
      return { text: new TextDecoder(le ? 'utf-16le' : 'utf-16be', { fatal: true }).decode(bytes.subarray(2)) };
    } catch {
      return { error: `invalid UTF-16 text` };
    }
  }
  const head = bytes.subarray(0, 8192);
  if (head.includes(0)) return { error: 'binary content (NUL bytes): not a text report' };
  try {
    return { text: utf8.decode(bytes).replace(/^\uFEFF/, '') };
  } catch {
    return { error: `invalid UTF-8 at byte ${firstInvalidUtf8(bytes)}` };
  }
}

/**
 * A page's or a feed's bytes as text: by its byte-order mark, else by the charset it declares in its
 * first bytes (`<meta charset>`, `<meta http-equiv="Content-Type" content="...; charset=...">`, or an
 * XML declaration's encoding), else as UTF-8. Older news sites still serve windows-1252 and ISO-8859-1.
 */
export function decodeMarkup(bytes: Uint8Array): { text: string } | { error: string } {
  const bom = bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff));
  const declared = bom ? null : declaredCharset(Buffer.from(bytes.subarray(0, 4096)).toString('latin1'));
  if (!declared || /^utf-?8$/i.test(declared)) return decodeText(bytes);
  let decoder: InstanceType<typeof TextDecoder>;
  try {
    decoder = new TextDecoder(declared);
  } catch {
    return { error: `the page declares a character set no decoder knows: ${JSON.stringify(declared)}` };
  }
  if (bytes.subarray(0, 8192).includes(0) && !/^utf-?16/i.test(decoder.encoding)) return { error: 'binary content (NUL bytes): not a text report' };
  return { text: decoder.decode(bytes).replace(/^\uFEFF/, '') };
}

function declaredCharset(head: string): string | null {
  const meta = /<meta\s[^>]*?charset\s*=\s*["']?\s*([\w.:-]+)/i.exec(head);
  if (meta) return meta[1]!;
  const xml = /^\s*<\?xml\s[^>]*?encoding\s*=\s*["']([\w.:-]+)["']/i.exec(head);
  return xml ? xml[1]! : null;
}

/** Offset of the first byte that does not start a valid UTF-8 sequence (for the error message). */
function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const len = b < 0x80 ? 1 : b >> 5 === 6 ? 2 : b >> 4 === 14 ? 3 : b >> 3 === 30 ? 4 : 0;
    if (len === 0) return i;
    for (let k = 1; k < len; k++) if (((bytes[i + k] ?? 0) & 0xc0) !== 0x80) return i;
    i += len;
  }
  return i;
}

/** JSONL: `{id, date, text, title?, url?, source?}` one a line. Blank lines are skipped. */
export async function* readJsonl(stream: AsyncIterable<Buffer>, origin: Origin, opts: ReadOptions): AsyncGenerator<ReadItem> {
  let lineNo = 0;
  for await (const line of splitLines(stream, opts.maxDocumentBytes)) {
    lineNo++;
    const where: Origin = { file: origin.file, line: lineNo };
    if (line.kind === 'too-large') {
      yield failure(where, tooLarge(line.size, opts.maxDocumentBytes));
      continue;
    }
    const decoded = decodeText(line.bytes);
    if ('error' in decoded) {
      yield failure(where, decoded.error);
      continue;
    }
    if (decoded.text.trim() === '') continue;
    yield jsonlDocument(decoded.text, where, opts);
  }
}

export function jsonlDocument(line: string, where: Origin, opts: ReadOptions): ReadItem {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (err) {
    return failure(where, `not JSON: ${(err as Error).message}`);
  }
  return objectDocument(value, where, opts);
}

/** A report given as a JSON value (a JSONL line, an API request): `text`, and optionally `id`, `date`, `title`, `url`, `source`. */
export function objectDocument(value: unknown, where: Origin, opts: ReadOptions): ReadItem {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return failure(where, 'not a JSON object');
  const rec = value as Record<string, unknown>;
  if (typeof rec.text !== 'string') return failure(where, rec.text === undefined ? 'no "text" field' : '"text" is not a string');
  if (rec.text.trim() === '') return failure(where, 'empty "text"');
  const messages: Message[] = [];
  let date: string | null = opts.date ?? null;
  if (rec.date !== undefined && rec.date !== null) {
    if (typeof rec.date !== 'string') return failure(where, `"date" is not a string: ${JSON.stringify(rec.date)}`);
    // Accept a full timestamp and keep its calendar day: feeds often give 2020-05-07T10:00:00Z.
    const day = rec.date.slice(0, 10);
    if (!isCalendarDate(day) || (rec.date.length > 10 && !/^[T ]\d{2}:\d{2}/.test(rec.date.slice(10)))) {
      return failure(where, `"date" is not a date: ${JSON.stringify(rec.date)} (want YYYY-MM-DD)`);
    }
    date = day;
  }
  if (date === null) {
    messages.push({ level: 'warning', code: 'date.missing', text: 'no report date: relative times cannot be resolved' });
  }
  let id: string;
  if (typeof rec.id === 'string' && rec.id.trim() !== '') id = rec.id;
  else if (typeof rec.id === 'number') id = String(rec.id);
  else id = contentHash(rec.text);
  const doc: Document = {
    id,
    date,
    text: rec.text,
    origin: where,
    messages,
    ...(typeof rec.title === 'string' ? { title: rec.title } : {}),
    ...(typeof rec.url === 'string' ? { url: rec.url } : {}),
    ...(typeof rec.source === 'string' ? { source: rec.source } : {}),
  };
  return { kind: 'document', doc };
}

type RawLine = { kind: 'line'; bytes: Buffer } | { kind: 'too-large'; size: number };

/** Split a byte stream at LF without decoding; an over-long line is skipped, not buffered. */
async function* splitLines(stream: AsyncIterable<Buffer>, maxBytes: number): AsyncGenerator<RawLine> {
  let pending: Buffer[] = [];
  let pendingSize = 0;
  let overflow = false;
  for await (const chunk of stream) {
    let from = 0;
    for (let nl = chunk.indexOf(0x0a, from); nl !== -1; nl = chunk.indexOf(0x0a, from)) {
      const piece = chunk.subarray(from, nl);
      pendingSize += piece.length;
      if (overflow || pendingSize > maxBytes) yield { kind: 'too-large', size: pendingSize };
      else yield { kind: 'line', bytes: pending.length === 0 ? piece : Buffer.concat([...pending, piece]) };
      pending = [];
      pendingSize = 0;
      overflow = false;
      from = nl + 1;
    }
    const rest = chunk.subarray(from);
    pendingSize += rest.length;
    if (pendingSize > maxBytes) {
      overflow = true;
      pending = [];
    } else if (rest.length > 0) pending.push(rest);
  }
  if (pendingSize > 0) {
    if (overflow) yield { kind: 'too-large', size: pendingSize };
    else yield { kind: 'line', bytes: Buffer.concat(pending) };
  }
}

function tooLarge(size: number, max: number): string {
  return `document is ${(size / 1e6).toFixed(1)} MB, over the ${(max / 1e6).toFixed(1)} MB limit (raise it with --max-doc-mb)`;
}

function failure(origin: Origin, reason: string): ReadItem {
  return { kind: 'failure', origin, reason };
}
