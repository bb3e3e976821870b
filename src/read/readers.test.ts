// Table-driven tests for the readers: plain-text and header-format files, JSONL line by line, encodings,
// size limits and directories. All files live in a fresh temporary directory.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { contentHash, readInputs, type ReadItem, type ReadOptions } from './readers.js';

let tmp: string;
beforeAll(() => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'sitrep-readers-'));
});
afterAll(() => {
  rmSync(tmp, { recursive: true, force: true });
});

let counter = 0;
/** Write a file under a fresh subdirectory of tmp and return its path. */
function put(name: string, content: string | Uint8Array, dir?: string): string {
  const base = dir ?? path.join(tmp, `case-${++counter}`);
  const file = path.join(base, name);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, content);
  return file;
}

async function readAll(inputs: readonly string[], opts: ReadOptions): Promise<ReadItem[]> {
  const out: ReadItem[] = [];
  for await (const item of readInputs(inputs, opts)) out.push(item);
  return out;
}

const BIG = 2_000_000;
const utf16le = (s: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(s, 'utf16le')]);
const utf16be = (s: string) => Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(s, 'utf16le').swap16()]);
const utf8bom = (s: string) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(s, 'utf8')]);

// ---------------------------------------------------------------------------------------------
// Plain-text and header-format files: one document (or one failure) per file.

type TextExpect =
  | { readonly kind: 'document'; readonly id: string; readonly date: string | null; readonly text: string; readonly codes: readonly string[] }
  | { readonly kind: 'failure'; readonly reason: RegExp };

interface TextRow {
  readonly name: string;
  readonly file: string;
  readonly content: string | Uint8Array;
  readonly date?: string;
  readonly max?: number;
  readonly expect: TextExpect;
}

const TEXT_ROWS: readonly TextRow[] = [
  {
    name: 'header format: date and dateline cut into date and body',
    file: 'wire-1.txt',
    content: ' date 2016-11-03 KALMORA, Veldonia — Gunmen set fire to a bus depot on Tuesday.\nA second paragraph.\n',
    expect: { kind: 'document', id: 'wire-1', date: '2016-11-03', text: 'KALMORA, Veldonia — Gunmen set fire to a bus depot on Tuesday.\nA second paragraph.\n', codes: [] },
  },
  {
    name: 'header format without the leading space',
    file: 'wire-2.txt',
    content: 'date 2020-05-07 ORVAN, Talmeria — Farmers blocked the highway.',
    expect: { kind: 'document', id: 'wire-2', date: '2020-05-07', text: 'ORVAN, Talmeria — Farmers blocked the highway.', codes: [] },
  },
  {
    name: 'header date wins over --date, with an info message',
    file: 'wire-3.txt',
    content: ' date 2016-11-03 KALMORA, Veldonia — Shops were looted.',
    date: '2016-11-05',
    expect: { kind: 'document', id: 'wire-3', date: '2016-11-03', text: 'KALMORA, Veldonia — Shops were looted.', codes: ['date.header'] },
  },
  {
    name: 'header with an impossible date is refused',
    file: 'wire-4.txt',
    content: ' date 2016-02-30 KALMORA, Veldonia — Shops were looted.',
    expect: { kind: 'failure', reason: /2016-02-30.*not a calendar date/ },
  },
  {
    name: 'plain text without --date: no date, a warning',
    file: 'note.txt',
    content: 'Militiamen burned a granary outside the village.',
    expect: { kind: 'document', id: 'note', date: null, text: 'Militiamen burned a granary outside the village.', codes: ['date.missing'] },
  },
  {
    name: 'plain text with --date',
    file: 'note.txt',
    content: 'Militiamen burned a granary outside the village.',
    date: '2016-11-03',
    expect: { kind: 'document', id: 'note', date: '2016-11-03', text: 'Militiamen burned a granary outside the village.', codes: [] },
  },
  {
    name: '.text extension is a text report too',
    file: 'brief.text',
    content: 'Students marched to the ministry.',
    date: '2016-11-03',
    expect: { kind: 'document', id: 'brief', date: '2016-11-03', text: 'Students marched to the ministry.', codes: [] },
  },
  {
    name: 'UTF-8 BOM is dropped and the header still parsed',
    file: 'bom8.txt',
    content: utf8bom(' date 2016-11-03 KALMORA, Veldonia — Two kiosks were burned.'),
    expect: { kind: 'document', id: 'bom8', date: '2016-11-03', text: 'KALMORA, Veldonia — Two kiosks were burned.', codes: [] },
  },
  {
    name: 'UTF-16 LE with BOM',
    file: 'le16.txt',
    content: utf16le('Protesters gathered in Kélora’s main square.'),
    date: '2016-11-03',
    expect: { kind: 'document', id: 'le16', date: '2016-11-03', text: 'Protesters gathered in Kélora’s main square.', codes: [] },
  },
  {
    name: 'UTF-16 BE with BOM and a header',
    file: 'be16.txt',
    content: utf16be(' date 2016-11-03 KÉLORA, Veldonia — Protesters gathered.'),
    expect: { kind: 'document', id: 'be16', date: '2016-11-03', text: 'KÉLORA, Veldonia — Protesters gathered.', codes: [] },
  },
  {
    name: 'binary content (NUL bytes) is refused',
    file: 'blob.txt',
    content: Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00, 0x00, 0x14, 0x00]),
    expect: { kind: 'failure', reason: /binary|NUL/i },
  },
  {
    name: 'invalid UTF-8 is refused with the byte offset',
    file: 'latin1.txt',
    content: Buffer.concat([Buffer.from('Caf'), Buffer.from([0xe9]), Buffer.from(' burned.')]),
    expect: { kind: 'failure', reason: /invalid UTF-8.*\b3\b/ },
  },
  {
    name: 'empty (whitespace only) document is refused',
    file: 'blank.txt',
    content: '  \n\t\n',
    expect: { kind: 'failure', reason: /empty/i },
  },
  {
    name: 'document over the size limit is refused',
    file: 'dump.txt',
    content: 'Gunmen attacked. '.repeat(20),
    max: 100,
    expect: { kind: 'failure', reason: /limit/ },
  },
  {
    name: 'document exactly at the size limit is read',
    file: 'edge.txt',
    content: 'x'.repeat(100),
    max: 100,
    date: '2016-11-03',
    expect: { kind: 'document', id: 'edge', date: '2016-11-03', text: 'x'.repeat(100), codes: [] },
  },
];

describe('readInputs: text files', () => {
  it.each(TEXT_ROWS)('$name', async (row) => {
    const file = put(row.file, row.content);
    const opts: ReadOptions = { maxDocumentBytes: row.max ?? BIG, ...(row.date !== undefined ? { date: row.date } : {}) };
    const items = await readAll([file], opts);
    expect(items).toHaveLength(1);
    const item = items[0]!;
    if (row.expect.kind === 'failure') {
      expect(item.kind).toBe('failure');
      if (item.kind !== 'failure') return;
      expect(item.origin).toEqual({ file });
      expect(item.reason).toMatch(row.expect.reason);
    } else {
      expect(item.kind, item.kind === 'failure' ? item.reason : '').toBe('document');
      if (item.kind !== 'document') return;
      const { doc } = item;
      expect({ id: doc.id, date: doc.date, text: doc.text }).toEqual({ id: row.expect.id, date: row.expect.date, text: row.expect.text });
      expect(doc.messages.map((m) => m.code)).toEqual(row.expect.codes);
      expect(doc.origin).toEqual({ file });
    }
  });

  it('reports a missing file as a failure naming it', async () => {
    const file = path.join(tmp, 'no-such-dir', 'gone.txt');
    const items = await readAll([file], { maxDocumentBytes: BIG });
    expect(items).toEqual([{ kind: 'failure', origin: { file }, reason: expect.stringMatching(/cannot read/) }]);
  });
});

// ---------------------------------------------------------------------------------------------
// JSONL: one row per line of a single file, so the line numbers are tested too.

type LineExpect =
  | { readonly kind: 'document'; readonly id: string | 'hash'; readonly date: string | null; readonly text: string; readonly codes?: readonly string[] }
  | { readonly kind: 'failure'; readonly reason: RegExp }
  | { readonly kind: 'skipped' };

interface LineRow {
  readonly name: string;
  readonly line: string | Uint8Array;
  readonly expect: LineExpect;
}

const j = (v: unknown) => JSON.stringify(v);

const LINE_ROWS: readonly LineRow[] = [
  { name: 'valid record', line: j({ id: 'r-1', date: '2020-05-07', text: 'Herders clashed with farmers.' }), expect: { kind: 'document', id: 'r-1', date: '2020-05-07', text: 'Herders clashed with farmers.', codes: [] } },
  { name: 'valid record with title, url and source', line: j({ id: 'r-2', date: '2020-05-06', text: 'A bridge was blown up.', title: 'Bridge attack', url: 'https://example.org/a', source: 'Wire' }), expect: { kind: 'document', id: 'r-2', date: '2020-05-06', text: 'A bridge was blown up.', codes: [] } },
  { name: 'not JSON', line: '{"id": "r-3", "text": "unterminated', expect: { kind: 'failure', reason: /not JSON/ } },
  { name: 'JSON but not an object', line: '["r-4", "text"]', expect: { kind: 'failure', reason: /not a JSON object/ } },
  { name: 'no text field', line: j({ id: 'r-5', date: '2020-05-07' }), expect: { kind: 'failure', reason: /no "text"/ } },
  { name: 'text that is not a string', line: j({ id: 'r-6', text: 42 }), expect: { kind: 'failure', reason: /"text" is not a string/ } },
  { name: 'empty text', line: j({ id: 'r-7', text: '' }), expect: { kind: 'failure', reason: /empty "text"/ } },
  { name: 'whitespace-only text', line: j({ id: 'r-8', text: '  \n ' }), expect: { kind: 'failure', reason: /empty "text"/ } },
  { name: 'impossible date 2020-13-45', line: j({ id: 'r-9', date: '2020-13-45', text: 'Shops were looted.' }), expect: { kind: 'failure', reason: /"date" is not a date.*2020-13-45/ } },
  { name: 'date "yesterday"', line: j({ id: 'r-10', date: 'yesterday', text: 'Shops were looted.' }), expect: { kind: 'failure', reason: /"date" is not a date.*yesterday/ } },
  { name: 'date 2021-02-29 (not a leap year)', line: j({ id: 'r-11', date: '2021-02-29', text: 'Shops were looted.' }), expect: { kind: 'failure', reason: /"date" is not a date/ } },
  { name: 'date with trailing junk', line: j({ id: 'r-12', date: '2020-05-07xyz', text: 'Shops were looted.' }), expect: { kind: 'failure', reason: /"date" is not a date/ } },
  { name: 'date that is a number', line: j({ id: 'r-13', date: 20200507, text: 'Shops were looted.' }), expect: { kind: 'failure', reason: /"date" is not a string/ } },
  { name: 'timestamp date keeps its day', line: j({ id: 'r-14', date: '2020-05-07T10:00:00Z', text: 'A curfew was imposed.' }), expect: { kind: 'document', id: 'r-14', date: '2020-05-07', text: 'A curfew was imposed.', codes: [] } },
  { name: 'timestamp with a space and offset', line: j({ id: 'r-15', date: '2020-05-07 23:30:00+03:00', text: 'A curfew was imposed.' }), expect: { kind: 'document', id: 'r-15', date: '2020-05-07', text: 'A curfew was imposed.', codes: [] } },
  { name: 'null date: no date, a warning', line: j({ id: 'r-16', date: null, text: 'Rebels shelled the port.' }), expect: { kind: 'document', id: 'r-16', date: null, text: 'Rebels shelled the port.', codes: ['date.missing'] } },
  { name: 'numeric id', line: j({ id: 9041, date: '2020-05-07', text: 'Rebels shelled the port.' }), expect: { kind: 'document', id: '9041', date: '2020-05-07', text: 'Rebels shelled the port.', codes: [] } },
  { name: 'missing id → content hash', line: j({ date: '2020-05-07', text: 'Miners clashed with guards at the pit.' }), expect: { kind: 'document', id: 'hash', date: '2020-05-07', text: 'Miners clashed with guards at the pit.', codes: [] } },
  { name: 'blank id → content hash', line: j({ id: '  ', date: '2020-05-07', text: 'Guards fired on the crowd.' }), expect: { kind: 'document', id: 'hash', date: '2020-05-07', text: 'Guards fired on the crowd.', codes: [] } },
  { name: 'blank line is skipped', line: '', expect: { kind: 'skipped' } },
  { name: 'whitespace line is skipped', line: '   \t', expect: { kind: 'skipped' } },
  { name: 'invalid UTF-8 on one line', line: Buffer.concat([Buffer.from('{"id": "r-22", "text": "Caf'), Buffer.from([0xe9]), Buffer.from(' burned"}')]), expect: { kind: 'failure', reason: /invalid UTF-8/ } },
  { name: 'NUL bytes on one line', line: Buffer.from([0x7b, 0x00, 0x00, 0x7d]), expect: { kind: 'failure', reason: /binary|NUL/i } },
  { name: 'non-ASCII text survives', line: j({ id: 'r-24', date: '2020-05-07', text: 'Émeutes à Kélora — 3 blessés.' }), expect: { kind: 'document', id: 'r-24', date: '2020-05-07', text: 'Émeutes à Kélora — 3 blessés.', codes: [] } },
  { name: 'CRLF line ending', line: j({ id: 'r-25', date: '2020-05-07', text: 'Traders went on strike.' }) + '\r', expect: { kind: 'document', id: 'r-25', date: '2020-05-07', text: 'Traders went on strike.', codes: [] } },
  { name: 'line after all the bad ones is still read', line: j({ id: 'r-26', date: '2020-05-05', text: 'Police dispersed a sit-in.' }), expect: { kind: 'document', id: 'r-26', date: '2020-05-05', text: 'Police dispersed a sit-in.', codes: [] } },
];

describe('readInputs: JSONL', () => {
  let file: string;
  let items: ReadItem[];
  beforeAll(async () => {
    const parts: Buffer[] = [];
    for (const row of LINE_ROWS) parts.push(Buffer.from(row.line), Buffer.from('\n'));
    file = put('feed.jsonl', Buffer.concat(parts));
    items = await readAll([file], { maxDocumentBytes: BIG });
  });

  it('yields one item per non-blank line, in order, each naming file and line', () => {
    const expectedLines = LINE_ROWS.flatMap((row, i) => (row.expect.kind === 'skipped' ? [] : [i + 1]));
    expect(items.map((it) => (it.kind === 'document' ? it.doc.origin : it.origin))).toEqual(expectedLines.map((line) => ({ file, line })));
  });

  it.each(LINE_ROWS.map((row, i) => ({ ...row, lineNo: i + 1 })).filter((r) => r.expect.kind !== 'skipped'))('line $lineNo: $name', (row) => {
    const item = items.find((it) => (it.kind === 'document' ? it.doc.origin.line : it.origin.line) === row.lineNo);
    expect(item).toBeDefined();
    if (!item) return;
    const want = row.expect;
    if (want.kind === 'failure') {
      expect(item.kind).toBe('failure');
      if (item.kind !== 'failure') return;
      expect(item.origin).toEqual({ file, line: row.lineNo });
      expect(item.reason).toMatch(want.reason);
    } else if (want.kind === 'document') {
      expect(item.kind, item.kind === 'failure' ? item.reason : '').toBe('document');
      if (item.kind !== 'document') return;
      const { doc } = item;
      const id = want.id === 'hash' ? contentHash(want.text) : want.id;
      expect({ id: doc.id, date: doc.date, text: doc.text }).toEqual({ id, date: want.date, text: want.text });
      if (want.codes) expect(doc.messages.map((m) => m.code)).toEqual(want.codes);
    }
  });

  it('keeps title, url and source', () => {
    const item = items.find((it) => it.kind === 'document' && it.doc.id === 'r-2');
    expect(item?.kind === 'document' ? { title: item.doc.title, url: item.doc.url, source: item.doc.source } : null).toEqual({
      title: 'Bridge attack',
      url: 'https://example.org/a',
      source: 'Wire',
    });
  });

  it('hashes content into a stable 16-hex id that differs between texts', () => {
    expect(contentHash('Guards fired on the crowd.')).toMatch(/^[0-9a-f]{16}$/);
    expect(contentHash('Guards fired on the crowd.')).toBe(contentHash('Guards fired on the crowd.'));
    expect(contentHash('Guards fired on the crowd.')).not.toBe(contentHash('Guards fired on the crowd!'));
  });

  it('applies --date to records without a date but not to records with one', async () => {
    const f = put('dated.jsonl', [j({ id: 'a', text: 'Rebels shelled the port.' }), j({ id: 'b', date: '2020-05-01', text: 'Rebels shelled the port.' })].join('\n'));
    const got = await readAll([f], { maxDocumentBytes: BIG, date: '2020-05-07' });
    expect(got.map((it) => (it.kind === 'document' ? [it.doc.id, it.doc.date] : it.reason))).toEqual([
      ['a', '2020-05-07'],
      ['b', '2020-05-01'],
    ]);
  });

  it('reads a UTF-8 BOM on the first line and a last line without a newline', async () => {
    const f = put('bom.jsonl', utf8bom([j({ id: 'first', text: 'Troops entered the town.' }), j({ id: 'last', text: 'Troops left the town.' })].join('\n')));
    const got = await readAll([f], { maxDocumentBytes: BIG });
    expect(got.map((it) => (it.kind === 'document' ? [it.doc.id, it.doc.origin.line] : it.reason))).toEqual([
      ['first', 1],
      ['last', 2],
    ]);
  });

  it('refuses a line over the size limit and reads the lines around it', async () => {
    const f = put('sizes.jsonl', [j({ id: 'small-1', text: 'Short.' }), j({ id: 'large', text: 'y'.repeat(400) }), j({ id: 'small-2', text: 'Short too.' })].join('\n') + '\n');
    const got = await readAll([f], { maxDocumentBytes: 120 });
    expect(got).toHaveLength(3);
    expect(got[0]!.kind === 'document' && got[0]!.doc.id).toBe('small-1');
    expect(got[1]).toEqual({ kind: 'failure', origin: { file: f, line: 2 }, reason: expect.stringMatching(/limit/) });
    expect(got[2]!.kind === 'document' && got[2]!.doc.id).toBe('small-2');
    expect(got[2]!.kind === 'document' && got[2]!.doc.origin).toEqual({ file: f, line: 3 });
  });

  it('reports invalid UTF-8 on its line and still reads the others', async () => {
    const f = put(
      'mixed.jsonl',
      Buffer.concat([
        Buffer.from(j({ id: 'ok-1', text: 'Fine.' }) + '\n'),
        Buffer.from('{"id": "bad", "text": "a'),
        Buffer.from([0xc3, 0x28]),
        Buffer.from('"}\n'),
        Buffer.from(j({ id: 'ok-3', text: 'Also fine.' }) + '\n'),
      ]),
    );
    const got = await readAll([f], { maxDocumentBytes: BIG });
    expect(got.map((it) => (it.kind === 'document' ? it.doc.id : `${it.origin.file}:${it.origin.line}`))).toEqual(['ok-1', `${f}:2`, 'ok-3']);
    expect(got[1]!.kind === 'failure' && got[1]!.reason).toMatch(/invalid UTF-8/);
  });
});

// ---------------------------------------------------------------------------------------------
// Directories: recursive, sorted, non-report and hidden files skipped.

describe('readInputs: directories', () => {
  it('reads report files recursively in sorted order and skips the rest', async () => {
    const dir = path.join(tmp, 'corpus');
    put('b.txt', 'Report B.', dir);
    put('a.txt', 'Report A.', dir);
    put('notes.md', 'not a report', dir);
    put('map.png', 'not a report', dir);
    put('.hidden.txt', 'hidden report', dir);
    put('.cache/x.txt', 'hidden directory', dir);
    put('sub/c.jsonl', j({ id: 'c-1', text: 'Report C1.' }) + '\n' + j({ id: 'c-2', text: 'Report C2.' }) + '\n', dir);
    put('sub/deeper/d.txt', 'Report D.', dir);
    put('sub/readme', 'no extension', dir);
    put('z.ndjson', j({ id: 'z-1', text: 'Report Z.' }), dir);
    put('m.text', 'Report M.', dir);
    const got = await readAll([dir], { maxDocumentBytes: BIG });
    expect(got.every((it) => it.kind === 'document')).toBe(true);
    const origins = got.map((it) => (it.kind === 'document' ? it.doc.origin : it.origin));
    expect(origins).toEqual([
      { file: path.join(dir, 'a.txt') },
      { file: path.join(dir, 'b.txt') },
      { file: path.join(dir, 'm.text') },
      { file: path.join(dir, 'sub', 'c.jsonl'), line: 1 },
      { file: path.join(dir, 'sub', 'c.jsonl'), line: 2 },
      { file: path.join(dir, 'sub', 'deeper', 'd.txt') },
      { file: path.join(dir, 'z.ndjson'), line: 1 },
    ]);
    expect(got.map((it) => (it.kind === 'document' ? it.doc.id : ''))).toEqual(['a', 'b', 'm', 'c-1', 'c-2', 'd', 'z-1']);
  });

  it('gives a bad file in a directory a failure naming it, and reads the rest', async () => {
    const dir = path.join(tmp, 'mixed-corpus');
    put('1-good.txt', 'Report one.', dir);
    const bad = put('2-bad.txt', Buffer.from([0x00, 0x01, 0x02]), dir);
    put('3-good.txt', 'Report three.', dir);
    const got = await readAll([dir], { maxDocumentBytes: BIG });
    expect(got.map((it) => it.kind)).toEqual(['document', 'failure', 'document']);
    expect(got[1]!.kind === 'failure' && got[1]!.origin).toEqual({ file: bad });
  });
});
