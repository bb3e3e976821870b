// Web input end to end: pages and feeds as files, and over HTTP from a local server, become reports
// with their titles, dates and URLs; a page that fails names its address and the rest go on.
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PACKAGE_ROOT } from '../src/paths.js';
import { decodeMarkup, readInputs, webDocuments, type ReadItem } from '../src/read/readers.js';

const WEB = path.join(PACKAGE_ROOT, 'test', 'fixtures', 'web');
const opts = { date: null, maxDocumentBytes: 2e6 };

async function all(inputs: string[]): Promise<ReadItem[]> {
  const out: ReadItem[] = [];
  for await (const item of readInputs(inputs, opts)) out.push(item);
  return out;
}

let server: Server;
let base = '';
// what the server was asked, for the conditional requests of a watcher
const asked: { url: string; ifNoneMatch: string | null }[] = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    asked.push({ url: req.url ?? '', ifNoneMatch: (req.headers['if-none-match'] as string | undefined) ?? null });
    if (req.url === '/watched') {
      if (req.headers['if-none-match'] === '"v1"') {
        res.writeHead(304).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/rss+xml', etag: '"v1"' }).end(readFileSync(path.join(WEB, 'feed-rss.xml')));
      return;
    }
    const files: Record<string, [string, string]> = {
      '/page': ['news-article.html', 'text/html'],
      '/feed': ['feed-rss.xml', 'application/rss+xml'],
    };
    const hit = files[req.url ?? ''];
    if (!hit) {
      res.writeHead(404).end('not here');
      return;
    }
    res.writeHead(200, { 'content-type': hit[1] }).end(readFileSync(path.join(WEB, hit[0])));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
});
afterAll(() => server.close());

describe('web pages and feeds', () => {
  it('reads a page file as one report: its article, title, date and address', async () => {
    const [item] = await all([path.join(WEB, 'news-article.html')]);
    expect(item?.kind).toBe('document');
    if (item?.kind !== 'document') return;
    expect(item.doc.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(item.doc.url).toMatch(/^https:\/\//);
    expect(item.doc.title).toBeTruthy();
    expect(item.doc.text).not.toMatch(/cookie|newsletter|related/i);
  });

  it('reads a page or a feed in the character set it declares, and says so when no decoder knows it', () => {
    const latin1 = (text: string): Uint8Array => Uint8Array.from(Buffer.from(text, 'latin1'));
    const page = latin1('<html><head><meta charset="windows-1252"><title>Marcha</title></head><body><article><p>Cientos de estudiantes marcharon en Bogot\u00e1 el martes para exigir m\u00e1s presupuesto para la universidad p\u00fablica, sin incidentes.</p></article></body></html>');
    expect(decodeMarkup(page)).toMatchObject({ text: expect.stringContaining('Bogot\u00e1') });
    const equiv = latin1('<html><head><meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1"></head><body><p>Caf\u00e9</p></body></html>');
    expect(decodeMarkup(equiv)).toMatchObject({ text: expect.stringContaining('Caf\u00e9') });
    const feed = latin1('<?xml version="1.0" encoding="ISO-8859-1"?><rss><channel><item><title>Gr\u00e8ve</title></item></channel></rss>');
    expect(decodeMarkup(feed)).toMatchObject({ text: expect.stringContaining('Gr\u00e8ve') });
    // (undeclared bytes that are not UTF-8 are refused, with where)
    expect(decodeMarkup(latin1('<p>Caf\u00e9</p>'))).toMatchObject({ error: expect.stringMatching(/invalid UTF-8 at byte 6/) });
    expect(decodeMarkup(latin1('<meta charset="klingon-8"><p>x</p>'))).toMatchObject({ error: expect.stringMatching(/klingon-8/) });
    const items = [...webDocuments(page, { file: 'page.html' }, opts)];
    expect(items[0]).toMatchObject({ kind: 'document', doc: { text: expect.stringContaining('Bogot\u00e1') } });
  });

  it('reads a feed file as one report an item, each with its own id', async () => {
    const items = await all([path.join(WEB, 'feed-rss.xml')]);
    const docs = items.flatMap((i) => (i.kind === 'document' ? [i.doc] : []));
    expect(docs.length).toBeGreaterThan(1);
    expect(new Set(docs.map((d) => d.id)).size).toBe(docs.length);
  });

  it('asks a feed again with its ETag and reads nothing when the server says it has not changed', async () => {
    const validators = new Map<string, { etag?: string; lastModified?: string }>();
    const first: ReadItem[] = [];
    for await (const item of readInputs([`${base}/watched`], { ...opts, validators })) first.push(item);
    expect(first.length).toBeGreaterThan(1);
    const second: ReadItem[] = [];
    for await (const item of readInputs([`${base}/watched`], { ...opts, validators })) second.push(item);
    expect(second).toHaveLength(0);
    expect(asked.filter((a) => a.url === '/watched').map((a) => a.ifNoneMatch)).toEqual([null, '"v1"']);
  });

  it('fetches a page and a feed over HTTP, and names the address that fails', async () => {
    const items = await all([`${base}/page`, `${base}/missing`, `${base}/feed`]);
    expect(items[0]?.kind).toBe('document');
    const failed = items.find((i) => i.kind === 'failure');
    expect(failed?.kind === 'failure' && failed.origin.file).toBe(`${base}/missing`);
    expect(failed?.kind === 'failure' && failed.reason).toMatch(/404/);
    expect(items.filter((i) => i.kind === 'document').length).toBeGreaterThan(2);
  });
});
