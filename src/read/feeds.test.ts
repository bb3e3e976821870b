// Tests for reading feeds: RSS 2.0 with CDATA and content:encoded, Atom with text, html and xhtml
// content, RSS 1.0 (RDF), truncated and malformed feeds, the date forms feeds use, and feed sniffing.
// Fixtures under test/fixtures/web hold invented reports.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isFeed, parseFeed, type FeedItem } from './feeds.js';

const fixture = (name: string): string => readFileSync(new URL(`../../test/fixtures/web/${name}`, import.meta.url), 'utf8');

const RSS = fixture('feed-rss.xml');
const ATOM = fixture('feed-atom.xml');

const RSS_ITEMS: readonly FeedItem[] = [
  {
    id: 'courier-2024-0305-117',
    title: 'Police fire tear gas at protesters in Brennmoor market',
    url: 'https://courier.example/news/brennmoor-market-protest',
    // 23:40 at UTC-5: the publisher's day, not the UTC one
    published: '2024-03-05',
    summary: 'Police fired tear gas at several hundred protesters in the market town of Brennmoor on Tuesday.',
    content:
      'BRENNMOOR, Tasvia — Police fired tear gas at several hundred protesters in the market town of Brennmoor on Tuesday, after traders blocked the main road.\n\n' +
      'At least four people were taken to hospital. Officials wrote <script> in no statement.',
  },
  {
    id: 'https://courier.example/news/kovel-depot-clash',
    // double-escaped markup in an RSS title: one level is XML, the other HTML
    title: 'Strikers & police clash at Kovel depot',
    url: 'https://courier.example/news/kovel-depot-clash',
    published: '2024-03-03',
    summary: 'Striking bus drivers and police clashed at the Kovel depot on Sunday morning.\n\nTwo officers were hurt.',
    content: null,
  },
  {
    id: 'https://courier.example/news/oskarsby-curfew-lifted',
    title: 'Curfew lifted in Oskarsby',
    // no <link>: the guid is a permalink
    url: 'https://courier.example/news/oskarsby-curfew-lifted',
    published: '2024-03-02',
    summary: 'The overnight curfew ended after a week without incidents.',
    content: null,
  },
];

const ATOM_ITEMS: readonly FeedItem[] = [
  {
    id: 'tag:gazette.example,2019:oskarsby-curfew',
    title: 'Curfew declared in Oskarsby',
    // rel="alternate", not rel="edit"
    url: 'https://gazette.example/2019/06/oskarsby-curfew.html',
    // published before updated
    published: '2019-06-11',
    summary: 'The governor declared an overnight curfew after a second night of rioting.\n\nEleven people were arrested.',
    content: 'Groups of youths set fire to three cars and a warehouse in the harbour district.\n\nPolice said eleven people were arrested.',
  },
  {
    id: 'tag:gazette.example,2019:harbour-walkout',
    title: 'Harbour workers walk out',
    // a link without rel is the alternate
    url: 'https://gazette.example/2019/06/harbour-walkout.html',
    // only updated
    published: '2019-06-10',
    summary: null,
    // type="xhtml": markup in the feed itself, decoded once
    content: 'Dock workers walked out at noon over unpaid wages.\n\nUnion leaders said the strike would last & spread.',
  },
  {
    id: 'tag:gazette.example,2019:plain',
    title: 'Plain text content',
    url: 'https://gazette.example/2019/06/plain.html',
    published: '2019-06-09',
    summary: null,
    // type="text": what looks like markup is text
    content: 'Marchers carried a banner reading <b>No more fees</b> through the square.',
  },
];

describe('RSS 2.0', () => {
  const feed = parseFeed(RSS);

  it('reads the channel title, not the image title', () => {
    expect(feed.title).toBe('The Tasvia Courier & Evening Post');
  });

  it('reads every item: CDATA, content:encoded, escaped HTML, dc:date, guid as permalink', () => {
    expect(feed.items).toEqual(RSS_ITEMS);
  });
});

describe('Atom', () => {
  const feed = parseFeed(ATOM);

  it('reads the feed title', () => {
    expect(feed.title).toBe('Northern Gazette: Unrest');
  });

  it('reads every entry: alternate links, published or updated, text, html and xhtml content', () => {
    expect(feed.items).toEqual(ATOM_ITEMS);
  });
});

describe('RSS 1.0 (RDF)', () => {
  const RDF = `<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
  <channel rdf:about="https://valley.example/"><title>Valley Herald</title><link>https://valley.example/</link></channel>
  <item rdf:about="https://valley.example/riot-at-stadium">
    <title>Riot at the stadium</title>
    <link>https://valley.example/riot-at-stadium</link>
    <dc:date>2017-10-22T21:00:00+01:00</dc:date>
    <description>Fans fought with stewards after the match.</description>
  </item>
</rdf:RDF>`;

  it('reads items that sit beside the channel, named by rdf:about and dated by dc:date', () => {
    expect(parseFeed(RDF)).toEqual({
      title: 'Valley Herald',
      items: [
        {
          id: 'https://valley.example/riot-at-stadium',
          title: 'Riot at the stadium',
          url: 'https://valley.example/riot-at-stadium',
          published: '2017-10-22',
          summary: 'Fans fought with stewards after the match.',
          content: null,
        },
      ],
    });
  });
});

// ---------------------------------------------------------------------------------------------
// Truncated and malformed feeds: the items that could be read, never a cut-off one.

/** The RSS fixture cut just before the first occurrence of `marker` at or after the `nth` <item>. */
function cutRss(marker: string, itemIndex: number, offset = 0): string {
  let from = -1;
  for (let k = 0; k <= itemIndex; k++) from = RSS.indexOf('<item>', from + 1);
  return RSS.slice(0, RSS.indexOf(marker, from) + offset);
}

const TRUNCATED_ROWS: ReadonlyArray<{ readonly name: string; readonly xml: string; readonly ids: readonly (string | null)[] }> = [
  { name: 'in the middle of the third item\'s text', xml: cutRss('a week without', 2, 5), ids: ['courier-2024-0305-117', 'https://courier.example/news/kovel-depot-clash'] },
  { name: 'inside a tag of the third item', xml: cutRss('<pubDate>', 2, 4), ids: ['courier-2024-0305-117', 'https://courier.example/news/kovel-depot-clash'] },
  { name: 'right after the second </item>', xml: cutRss('</item>', 1, '</item>'.length), ids: ['courier-2024-0305-117', 'https://courier.example/news/kovel-depot-clash'] },
  { name: 'inside the CDATA of the first item', xml: cutRss('several hundred', 0), ids: [] },
  { name: 'before any item', xml: RSS.slice(0, RSS.indexOf('<item>')), ids: [] },
  { name: 'before </channel>', xml: RSS.slice(0, RSS.indexOf('</channel>')), ids: ['courier-2024-0305-117', 'https://courier.example/news/kovel-depot-clash', 'https://courier.example/news/oskarsby-curfew-lifted'] },
];

describe('truncated feeds', () => {
  it.each(TRUNCATED_ROWS)('cut $name', (row) => {
    const feed = parseFeed(row.xml);
    expect(feed.items.map((item) => item.id)).toEqual(row.ids);
    expect(feed.title).toBe('The Tasvia Courier & Evening Post');
  });
});

describe('malformed feeds', () => {
  it('an item without </item> ends where the next begins', () => {
    const xml = '<rss><channel><item><title>One</title><guid>1</guid><item><title>Two</title><guid>2</guid></item></channel></rss>';
    expect(parseFeed(xml).items.map((item) => [item.id, item.title])).toEqual([
      ['1', 'One'],
      ['2', 'Two'],
    ]);
  });

  it('stray end tags, unknown elements and an unterminated comment', () => {
    const xml = '<rss></foo><channel><title>T</title><item><weird:thing a="1"><title>Inner</title></weird:thing><title>Outer</title></item><!-- <item><title>x';
    expect(parseFeed(xml)).toEqual({
      title: 'T',
      items: [{ id: null, title: 'Outer', url: null, published: null, summary: null, content: null }],
    });
  });

  it('relative, javascript: and missing addresses are null; a guid that is no permalink is no address', () => {
    const xml = `<rss><channel>
      <item><link>/news/1</link><guid>a</guid></item>
      <item><link>javascript:alert(1)</link><guid>b</guid></item>
      <item><guid isPermaLink="false">https://x.example/not-a-link</guid></item>
      <item><atom:link rel="self" href="https://x.example/self"/><atom:link rel="alternate" href="https://x.example/story"/></item>
    </channel></rss>`;
    expect(parseFeed(xml).items.map((item) => item.url)).toEqual([null, null, null, 'https://x.example/story']);
  });

  it('Atom content given by reference has no text', () => {
    const xml = '<feed xmlns="http://www.w3.org/2005/Atom"><entry><id>e</id><content src="https://x.example/e" type="text/html"/></entry></feed>';
    expect(parseFeed(xml).items[0]?.content).toBeNull();
  });

  it('media:title inside media:group is not the item title', () => {
    const xml = '<rss><channel><item><media:group><media:title>Video still</media:title></media:group><title>Story</title></item></channel></rss>';
    expect(parseFeed(xml).items[0]?.title).toBe('Story');
  });

  it.each([
    { name: 'empty', xml: '', count: 0 },
    { name: 'whitespace', xml: '  \n', count: 0 },
    { name: 'an HTML page', xml: '<html><head><title>Page</title></head><body><p>Text</p></body></html>', count: 0 },
    { name: 'binary garbage', xml: Buffer.from(Array.from({ length: 50_000 }, (_, i) => (i * 7919) % 256)).toString('latin1'), count: 0 },
    { name: 'only an opening', xml: '<rss><channel><item><title>Cut', count: 0 },
    { name: 'an unclosed CDATA', xml: '<rss><channel><item><description><![CDATA[<p>never ends', count: 0 },
    // each <item> closes the one before it; the last is cut off
    { name: '10,000 unclosed items', xml: '<rss><channel>' + '<item><title>x</title>'.repeat(10_000), count: 9_999 },
    { name: 'an item around 10,000 nested unknown elements', xml: '<rss><channel><item>' + '<a>'.repeat(10_000) + '</item>', count: 1 },
  ])('$name: no throw, $count items', ({ xml, count }) => {
    expect(parseFeed(xml).items).toHaveLength(count);
  });

  it('10,000 well-formed items are all read', () => {
    const xml = `<rss><channel>${'<item><title>Clash</title><pubDate>Mon, 04 Mar 2024 10:00:00 GMT</pubDate></item>'.repeat(10_000)}</channel></rss>`;
    const items = parseFeed(xml).items;
    expect(items).toHaveLength(10_000);
    expect(items[9_999]).toMatchObject({ title: 'Clash', published: '2024-03-04' });
  });
});

// ---------------------------------------------------------------------------------------------
// Dates as feeds write them: RFC 822 in RSS, ISO 8601 in Atom and Dublin Core.

const DATE_ROWS: ReadonlyArray<readonly [string, string, string | null]> = [
  ['pubDate', 'Tue, 05 Mar 2024 23:40:00 -0500', '2024-03-05'],
  ['pubDate', 'Tue, 5 Mar 2024 04:40:00 GMT', '2024-03-05'],
  ['pubDate', '05 Mar 2024 04:40 +0100', '2024-03-05'],
  ['pubDate', 'Sat, 2 Mar 24 10:00:00 GMT', '2024-03-02'],
  ['pubDate', 'Wed, 31 Dec 97 23:59:59 PST', '1997-12-31'],
  ['pubDate', 'Thu, 29 Feb 2024 12:00:00 Z', '2024-02-29'],
  ['pubDate', 'Fri, 29 Feb 2023 12:00:00 Z', null],
  ['pubDate', '2024-03-05T10:00:00Z', '2024-03-05'],
  ['pubDate', 'not a date', null],
  ['published', '2019-06-11T22:30:00+02:00', '2019-06-11'],
  ['published', '2019-06-11T22:30:00.123Z', '2019-06-11'],
  ['updated', '2019-06-11', '2019-06-11'],
  ['dc:date', '2017-10-22T21:00+01:00', '2017-10-22'],
];

describe('dates', () => {
  it.each(DATE_ROWS)('<%s>%s</%s> is %j', (element, written, expected) => {
    const xml = `<rss><channel><item><${element}>${written}</${element}></item></channel></rss>`;
    expect(parseFeed(xml).items[0]?.published).toBe(expected);
  });
});

// ---------------------------------------------------------------------------------------------
// Sniffing.

const SNIFF_ROWS: ReadonlyArray<readonly [string, string, boolean]> = [
  ['the RSS fixture (declaration and comment first)', RSS, true],
  ['the Atom fixture', ATOM, true],
  ['RSS 1.0', '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><channel/></rdf:RDF>', true],
  ['a byte-order mark and whitespace first', '\ufeff\n  <rss version="2.0"><channel/></rss>', true],
  ['a doctype first', '<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" "x"><rss version="0.91"></rss>', true],
  ['Atom with a prefix', '<atom:feed xmlns:atom="http://www.w3.org/2005/Atom"></atom:feed>', true],
  ['<feed> outside the Atom namespace', '<feed xmlns="http://example.com/other"><entry/></feed>', false],
  ['<feed> with no namespace', '<feed><entry/></feed>', false],
  ['an HTML page', '<!DOCTYPE html><html><body><rss></rss></body></html>', false],
  ['text that mentions <rss>', 'Subscribe to our <rss> feed', false],
  ['empty', '', false],
  ['a cut-off root tag', '<rss version="2.0', false],
];

describe('isFeed', () => {
  it.each(SNIFF_ROWS)('%s: %j', (_name, text, expected) => {
    expect(isFeed(text)).toBe(expected);
  });
});
