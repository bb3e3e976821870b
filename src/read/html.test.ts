// Tests for reading article pages: a news page with all its furniture and a page without <article>
// (fixtures under test/fixtures/web, invented reports), the choice of container, metadata, entities,
// dates, and hostile input, which must neither throw, nor leak script text, nor take more than linear time.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeEntities, htmlMainText, htmlToText, toCalendarDate, type MainText } from './html.js';

const fixture = (name: string): string => readFileSync(new URL(`../../test/fixtures/web/${name}`, import.meta.url), 'utf8');

// ---------------------------------------------------------------------------------------------
// A news page: cookie banner, masthead with menu, ads, share bar, figure, newsletter promo, related
// stories, comments, footer, and scripts whose strings look like markup.

describe('a news page with its furniture', () => {
  const page = htmlMainText(fixture('news-article.html'));

  it('reads the article: headline, standfirst, byline, paragraphs, quote, subheading, list', () => {
    expect(page.text).toBe(
      [
        'Police fire tear gas at protesters in Brennmoor market',
        'Traders say the clashes began after a rise in stall fees.',
        'By a staff reporter · 5 March 2024',
        'BRENNMOOR, Tasvia — Police fired tear gas at several hundred protesters in the market town of Brennmoor on Tuesday, after traders blocked the main road in a dispute over stall fees.',
        'Witnesses said officers moved in shortly after noon, when a group of young men began throwing stones at the council offices. At least four people were taken to the district hospital with breathing problems.',
        '“We only wanted to be heard,” said one vegetable seller, who asked not to be named. “Instead they answered us with gas.”',
        'The council said in a statement that the protest had not been authorised.',
        'Fees tripled',
        'The fees, which the council tripled in January, are the second such rise in a year. Traders listed their demands:',
        "a return to last year's fees",
        'the release of two arrested stallholders',
        'A police spokesperson said no live ammunition was used.',
      ].join('\n\n'),
    );
  });

  it.each([
    ['cookie banner', 'cookie policy'],
    ['cookie button', 'Accept all'],
    ['skip link', 'Skip to content'],
    ['menu', 'Politics'],
    ['advert', 'tractor'],
    ['share bar', 'Share on'],
    ['figure caption (archive photo)', 'Archive photo'],
    ['newsletter promo', 'Subscribe'],
    ['article footer', 'Topics:'],
    ['related stories', 'Bus drivers'],
    ['comments', 'Reader one'],
    ['site footer', 'All rights reserved'],
    ['script in a paragraph', 'injected'],
    ['script at the end', 'tracking'],
    ['JSON-LD script', 'headline inside JSON'],
    ['style', 'not text'],
  ])('leaves out the %s', (_what, words) => {
    expect(page.text).not.toContain(words);
  });

  it('takes the title from og:title, the date from article:published_time, the address from rel=canonical', () => {
    expect(page.title).toBe('Police fire tear gas at protesters in Brennmoor market');
    // 23:40 at UTC-5 is already 6 March in UTC: the publisher's own day is kept.
    expect(page.published).toBe('2024-03-05');
    expect(page.url).toBe('https://courier.example/news/2024/03/brennmoor-market-protest');
  });
});

describe('a page without <article> (old table layout, unclosed <p>s)', () => {
  const page = htmlMainText(fixture('no-article.html'));

  it('reads the densest cluster of paragraphs and its heading', () => {
    expect(page.text).toBe(
      [
        'Curfew declared in Oskarsby',
        'OSKARSBY – The regional governor declared an overnight curfew in Oskarsby on Tuesday after a second night of rioting in the harbour district.',
        'Groups of youths set fire to three cars and a warehouse, and police said eleven people were arrested. No deaths were reported.',
        'Residents described hearing explosions until the early hours. The fire service said the warehouse was destroyed.',
      ].join('\n\n'),
    );
  });

  it('takes the title from <title>, the date from <meta name="date"> (RFC 822), the address from og:url', () => {
    expect(page).toMatchObject({
      title: 'Curfew declared in Oskarsby after night of unrest - Northern Gazette',
      published: '2019-06-12',
      url: 'http://gazette.example/2019/06/oskarsby-curfew.html',
    });
  });
});

// ---------------------------------------------------------------------------------------------
// Which element is the article.

const STORY = '<p>Protesters blocked the bridge into the town for six hours on Monday, police said.</p><p>Two people were arrested and later released without charge.</p>';
const STORY_TEXT = 'Protesters blocked the bridge into the town for six hours on Monday, police said.\n\nTwo people were arrested and later released without charge.';

interface ContainerRow {
  readonly name: string;
  readonly html: string;
  readonly text: string;
}

const CONTAINER_ROWS: readonly ContainerRow[] = [
  {
    name: 'itemprop="articleBody"',
    html: `<div><p>Most read: a short teaser line</p></div><div itemprop="articleBody">${STORY}</div><div class="col"><p>Sidebar line</p></div>`,
    text: STORY_TEXT,
  },
  {
    name: 'an entry-content class',
    html: `<div class="entry-content">${STORY}</div><div><p>Another block of text outside</p></div>`,
    text: STORY_TEXT,
  },
  {
    name: 'an <article> and its body <div> tie: the article keeps its headline',
    html: `<article><h1>Bridge blocked</h1><div class="article-body">${STORY}</div></article>`,
    text: `Bridge blocked\n\n${STORY_TEXT}`,
  },
  {
    name: 'a small teaser <article> does not beat the story in plain <div>s',
    html: `<div class="teasers"><article><p>Teaser.</p></article></div><div><p>${'Long paragraph of the real story. '.repeat(10)}</p><p>Second paragraph.</p></div>`,
    text: `${'Long paragraph of the real story. '.repeat(10).trim()}\n\nSecond paragraph.`,
  },
  {
    name: '<main> when there is no article',
    html: `<header><p>Masthead slogan of the site</p></header><main><h1>Bridge blocked</h1>${STORY}</main>`,
    text: `Bridge blocked\n\n${STORY_TEXT}`,
  },
  {
    name: 'an article inside a layout wrapper whose class looks like boilerplate',
    html: `<div class="page with-sidebar"><article>${STORY}</article></div>`,
    text: STORY_TEXT,
  },
  {
    name: 'menu list items outside the container are not read; list items inside are',
    html: `<ul class="topics"><li>World</li><li>Business</li></ul><article>${STORY}<ul><li>First demand</li></ul></article>`,
    text: `${STORY_TEXT}\n\nFirst demand`,
  },
  {
    name: 'hidden elements are not read',
    html: `<article>${STORY}<p hidden>Hidden one</p><div aria-hidden="true"><p>Hidden two</p></div><p style="display: none">Hidden three</p></article>`,
    text: STORY_TEXT,
  },
  {
    name: 'a page header is dropped, an article header kept',
    html: `<header><h1>Site name</h1></header><article><header><h1>Bridge blocked</h1></header>${STORY}</article>`,
    text: `Bridge blocked\n\n${STORY_TEXT}`,
  },
  {
    name: 'boilerplate classes in camelCase and BEM',
    html: `<article>${STORY}<div class="relatedStories"><p>Other news</p></div><div class="c-social__share"><p>Share it</p></div><div id="siteNav"><p>Go home</p></div></article>`,
    text: STORY_TEXT,
  },
  {
    name: 'a container that keeps its text in <div>s and <br>s is read whole',
    html: `<nav>Home | World</nav><div class="story-body">First line of the report.<br><br>Second line of the report.<div>Third line.</div></div>`,
    text: 'First line of the report.\n\nSecond line of the report.\n\nThird line.',
  },
  {
    name: 'no paragraphs anywhere: the visible text of the body, furniture dropped',
    html: `<html><head><title>T</title></head><body><nav>Home</nav>Gunmen attacked a checkpoint.<br>Three soldiers died.<footer>Contact</footer></body></html>`,
    text: 'Gunmen attacked a checkpoint.\n\nThree soldiers died.',
  },
];

describe('choosing the article container', () => {
  it.each(CONTAINER_ROWS)('$name', (row) => {
    expect(htmlMainText(row.html).text).toBe(row.text);
  });
});

// ---------------------------------------------------------------------------------------------
// Title, publication date and address.

interface MetadataRow {
  readonly name: string;
  readonly html: string;
  readonly expect: Partial<MainText>;
}

const METADATA_ROWS: readonly MetadataRow[] = [
  {
    name: 'og:title before <title>',
    html: '<title>Site | Story</title><meta property="og:title" content="Story &amp; more"><h1>Heading</h1>',
    expect: { title: 'Story & more' },
  },
  { name: '<title>, whitespace normalised', html: '<title>\n  Story\n  title </title><h1>Heading</h1>', expect: { title: 'Story title' } },
  { name: 'first <h1> when there is no title', html: '<body><h1>First <em>heading</em></h1><h1>Second</h1></body>', expect: { title: 'First heading' } },
  { name: 'an icon\'s <svg><title> is not the page title', html: '<svg><title>Search icon</title></svg><h1>Heading</h1>', expect: { title: 'Heading' } },
  { name: 'no title at all', html: '<p>Only a paragraph.</p>', expect: { title: null, published: null, url: null } },
  {
    name: 'article:published_time first',
    html: '<meta property="article:published_time" content="2021-07-14T02:00:00+03:00"><meta name="date" content="2021-07-10"><p>x</p>',
    expect: { published: '2021-07-14' },
  },
  {
    name: 'a <time> in the article before a masthead clock',
    html: '<header><time datetime="2022-01-09">today</time></header><article><time datetime="2022-01-03T10:00">3 Jan</time><p>Story text here.</p></article>',
    expect: { published: '2022-01-03' },
  },
  { name: 'schema.org datePublished', html: '<meta itemprop="datePublished" content="2020-05-01"><p>x</p>', expect: { published: '2020-05-01' } },
  { name: '<meta name="date"> in prose form', html: '<meta name="date" content="June 3, 2018"><p>x</p>', expect: { published: '2018-06-03' } },
  { name: 'an unreadable date is skipped for the next', html: '<meta property="article:published_time" content="yesterday"><meta name="date" content="2018-06-03"><p>x</p>', expect: { published: '2018-06-03' } },
  { name: 'no readable date', html: '<meta name="date" content="2018-02-30"><time datetime="soon"></time><p>x</p>', expect: { published: null } },
  {
    name: 'rel=canonical before og:url',
    html: '<link rel="canonical" href=" https://a.example/story "><meta property="og:url" content="https://a.example/amp/story"><p>x</p>',
    expect: { url: 'https://a.example/story' },
  },
  {
    name: 'a relative canonical address falls back to og:url',
    html: '<link rel="canonical" href="/story"><meta property="og:url" content="https://a.example/story"><p>x</p>',
    expect: { url: 'https://a.example/story' },
  },
  { name: 'a javascript: address is no address', html: '<link rel="canonical" href="javascript:alert(1)"><p>x</p>', expect: { url: null } },
];

describe('metadata', () => {
  it.each(METADATA_ROWS)('$name', (row) => {
    expect(htmlMainText(row.html)).toMatchObject(row.expect);
  });
});

// ---------------------------------------------------------------------------------------------
// Entities and dates.

const ENTITY_ROWS: ReadonlyArray<readonly [string, string]> = [
  ['&amp; &lt; &gt; &quot; &apos;', '& < > " \''],
  ['a&nbsp;b', 'a\u00a0b'],
  ['&mdash;&ndash;&hellip;', '—–…'],
  ['&lsquo;x&rsquo; &ldquo;y&rdquo;', '‘x’ “y”'],
  ['Bogot&aacute;, C&ocirc;te d&rsquo;Ivoire, S&atilde;o Tom&eacute;', 'Bogotá, Côte d’Ivoire, São Tomé'],
  ['&#65;&#x42;&#X43;', 'ABC'],
  ['&#8212; &#x2014;', '— —'],
  ['&#150; &#146;', '– ’'], // Windows-1252 numbers, as old sites write them
  ['&#0; &#xD800; &#x110000; &#99999999999;', '\ufffd \ufffd \ufffd \ufffd'],
  ['&bogus; &amp', '&bogus; &'],
  ['AT&T &ampersand &', 'AT&T &ampersand &'],
  ['?a=1&amp=2', '?a=1&amp=2'],
  ['&amp;lt;', '&lt;'], // one level of escaping only
  ['&#', '&#'],
  ['&#x;', '&#x;'],
];

describe('entities', () => {
  it.each(ENTITY_ROWS)('%j decodes to %j', (input, expected) => {
    expect(decodeEntities(input)).toBe(expected);
  });

  it('decodes in text and attributes of a page', () => {
    const page = htmlMainText('<meta property="og:title" content="Clash in Bogot&aacute;"><p>Police &amp; protesters&nbsp;met.</p>');
    expect(page).toMatchObject({ title: 'Clash in Bogotá', text: 'Police & protesters met.' });
  });
});

const DATE_ROWS: ReadonlyArray<readonly [string, string | null]> = [
  ['2024-03-05', '2024-03-05'],
  ['2024-03-05T23:30:00-05:00', '2024-03-05'],
  ['2024-03-05T02:00:00Z', '2024-03-05'],
  ['2024/3/5', '2024-03-05'],
  ['Tue, 05 Mar 2024 14:30:00 +0000', '2024-03-05'],
  ['5 Mar 2024 14:30 GMT', '2024-03-05'],
  ['Sat, 2 Mar 24 10:00:00 GMT', '2024-03-02'],
  ['Thu, 01 Jan 98 00:00:00 EST', '1998-01-01'],
  ['12 September 2019', '2019-09-12'],
  ['Sept 12, 2019', '2019-09-12'],
  ['March 5th, 2024', '2024-03-05'],
  ['Published: June 3 2018, 10:00', '2018-06-03'],
  ['2024-02-30', null],
  ['31 Apr 2024', null],
  ['5 Foo 2024', null],
  ['yesterday', null],
  ['', null],
  ['9'.repeat(10_000), null],
];

describe('dates', () => {
  it.each(DATE_ROWS)('%j is %j', (input, expected) => {
    expect(toCalendarDate(input)).toBe(expected);
  });
});

// ---------------------------------------------------------------------------------------------
// Hostile input.

interface HostileRow {
  readonly name: string;
  readonly html: string;
  /** the exact text, when it is known */
  readonly text?: string;
  readonly contains?: readonly string[];
  readonly excludes?: readonly string[];
}

const deepDivs = (depth: number, inner: string) => `${'<div>'.repeat(depth)}${inner}${'</div>'.repeat(depth)}`;

/** Deterministic "binary" garbage: a linear congruential generator, so a failure can be reproduced. */
function garbage(length: number, seed: number): string {
  const bytes = new Uint8Array(length);
  let state = seed;
  for (let i = 0; i < length; i++) {
    state = (state * 1103515245 + 12345) % 2147483648;
    bytes[i] = state >> 16;
  }
  return Buffer.from(bytes).toString('latin1');
}

const HOSTILE_ROWS: readonly HostileRow[] = [
  { name: 'empty string', html: '', text: '' },
  { name: 'whitespace', html: ' \n\t ', text: '' },
  { name: 'a lone <', html: '<', text: '<' },
  { name: 'a < that starts no tag', html: '<p>3 < 4 and 5 <= 6</p>', text: '3 < 4 and 5 <= 6' },
  { name: 'odd tag starts', html: '</><!><?><p>ok</p>', text: 'ok' },
  { name: 'input ends inside a start tag', html: '<p>kept</p><p class="x', text: 'kept' },
  { name: 'input ends inside an end tag', html: '<p>kept</p></di', text: 'kept' },
  { name: 'input ends inside a comment', html: '<p>kept</p><!-- <p>gone</p>', text: 'kept' },
  { name: 'input ends inside CDATA', html: '<p>kept <![CDATA[ and this', text: 'kept and this' },
  { name: 'unclosed paragraphs and divs', html: '<p>One<p>Two<div><p>Three', text: 'One\n\nTwo\n\nThree' },
  { name: 'stray end tags first', html: '</div></p></article></body><p>Text</p>', text: 'Text' },
  { name: 'misnested inline tags', html: '<p><b><i>Bold italic</b> rest</i></p><p>Next</p>', text: 'Bold italic rest\n\nNext' },
  { name: 'upper-case tags', html: '<P>One</P><SCRIPT>var x = "<P>no</P>";</SCRIPT><P>Two', text: 'One\n\nTwo' },
  {
    name: '<script> inside a paragraph',
    html: '<p>Hello <script>alert(1)</script>world</p>',
    text: 'Hello world',
    excludes: ['alert', 'script'],
  },
  {
    name: '<script> whose strings contain </p> and <p>',
    html: '<p>Before</p><script>var a = "</p><p>leak</p>"; if (a < b && c > d) {}</script><p>After</p>',
    text: 'Before\n\nAfter',
  },
  { name: 'a script end tag with attributes and upper case', html: '<p>A</p><script>x</SCRIPT foo="bar"><p>B</p>', text: 'A\n\nB' },
  { name: 'an unterminated <script>', html: '<p>Visible</p><script>var x = "<p>never</p>', text: 'Visible' },
  { name: 'self-closed <script/> is still open in HTML', html: '<p>A</p><script src="x.js"/>var y = 1;</script><p>B</p>', text: 'A\n\nB' },
  {
    name: 'escaped markup in text is text',
    html: '<p>Type &lt;script&gt;alert(1)&lt;/script&gt; to test</p>',
    text: 'Type <script>alert(1)</script> to test',
  },
  { name: 'style, noscript and template are skipped', html: '<style>p{}</style><noscript><p>Enable JS</p></noscript><template><p>Tpl</p></template><p>Body</p>', text: 'Body' },
  { name: 'comments are skipped', html: '<p>A<!-- <p>hidden</p> -->B</p>', text: 'AB' },
  { name: 'CDATA in HTML is text', html: '<p><![CDATA[x < y]]></p>', text: 'x < y' },
  { name: 'an unclosed quoted attribute swallows the rest, as in browsers', html: '<p>First</p><a href="x>Second</a>', text: 'First' },
  { name: 'unquoted and repeated attributes', html: '<p class=lead class=other id=x>Lead</p>', text: 'Lead' },
  { name: 'NUL and control characters', html: '<p>A\u0000B\u0007C\u200bD</p>', text: 'A B CD' },
  { name: '10,000 nested divs around a paragraph', html: deepDivs(10_000, '<p>Deep paragraph.</p>'), text: 'Deep paragraph.' },
  { name: '10,000 nested articles', html: deepDivs(10_000, '<p>x</p>').replaceAll('div>', 'article>'), contains: ['x'] },
  { name: '10,000 unclosed divs and paragraphs', html: '<div><p>Open '.repeat(10_000), contains: ['Open'] },
  { name: 'a 1 MB attribute value', html: `<p data-x="${'a'.repeat(1_000_000)}">After the attribute.</p>`, text: 'After the attribute.' },
  { name: 'a 1 MB class of boilerplate words', html: `<div class="${'nav '.repeat(250_000)}"><p>Menu</p></div><p>Story.</p>`, text: 'Story.' },
  { name: 'binary garbage (latin1)', html: garbage(200_000, 7) },
  { name: 'binary garbage inside a page', html: `<html><body><p>${garbage(50_000, 11)}</p><p>End.</p></body></html>`, contains: ['End.'] },
];

describe('hostile input', () => {
  it.each(HOSTILE_ROWS)('$name', (row) => {
    const page = htmlMainText(row.html);
    expect(typeof page.text).toBe('string');
    if (row.text !== undefined) expect(page.text).toBe(row.text);
    for (const words of row.contains ?? []) expect(page.text).toContain(words);
    for (const words of row.excludes ?? []) expect(page.text).not.toContain(words);
  });

  it('empty input gives an empty result', () => {
    expect(htmlMainText('')).toEqual({ title: null, text: '', published: null, url: null });
  });

  it('never throws on random mixtures of markup fragments', () => {
    const fragments = ['<p>', '</p>', '<div class="story">', '</div>', '<script>', '</script>', '<!--', '-->', '<![CDATA[', ']]>', '&amp;', '&#', '<a href="', '"', "'", '>', '<', '/', 'text ', '<br/>', '<article>', '<nav>', '&#x1F600;'];
    let state = 42;
    for (let doc = 0; doc < 300; doc++) {
      let html = '';
      for (let k = 0; k < 60; k++) {
        state = (state * 1103515245 + 12345) % 2147483648;
        html += fragments[state % fragments.length]!;
      }
      expect(() => htmlMainText(html)).not.toThrow();
      expect(() => htmlToText(html)).not.toThrow();
    }
  });
});

// Patterns that make naive scanners quadratic: each is repeated to about 1 MB. A linear reader takes
// a fraction of a second; a quadratic one would take minutes, so the budget is generous.
const LINEAR_PATTERNS = ['<a ', '<!--', '<![CDATA[', '&#', '&amp', '</', '<p>', '<div class="', '<script>', 'a<b', '<p><b><i>', '<li>', '</span>', '<x y=z '];

describe('time linear in input size', () => {
  it.each(LINEAR_PATTERNS)('%j repeated to 1 MB', (pattern) => {
    const html = pattern.repeat(Math.ceil(1_000_000 / pattern.length));
    const started = performance.now();
    htmlMainText(html);
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});

describe('htmlToText', () => {
  it('reads a fragment block by block, without choosing a container', () => {
    expect(htmlToText('Intro line<p>First <b>para</b></p><ul><li>One</li><li>Two</li></ul><script>x()</script><div class="share">Share</div>')).toBe(
      'Intro line\n\nFirst para\n\nOne\n\nTwo',
    );
  });
});
