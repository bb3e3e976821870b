// Feeds: the items of an RSS 2.0, RSS 1.0 (RDF) or Atom feed, each with its address, publication
// date and text, so that a news site's feed can be read as a list of reports. The XML is scanned with
// the tolerant tokenizer of html.ts: no dependency, and a malformed feed still yields what it holds.
// An item that the input cuts off before its end is left out, because its text may stop mid-sentence
// and half a report would enter the dataset as if it were whole.
//
// Feeds carry HTML in text fields, escaped ("&lt;p&gt;") or in CDATA; RSS never says so and Atom says
// so with type="html" or type="xhtml". Either way summary and content come out as plain text.
import {
  htmlToText,
  httpUrl,
  innerMarkup,
  innerSource,
  normalizeSpace,
  parseMarkup,
  textContent,
  toCalendarDate,
  tokenize,
  type MarkupElement,
  type MarkupToken,
} from './html.js';

export interface FeedItem {
  readonly id: string | null;
  readonly title: string | null;
  /** the item's http(s) address */
  readonly url: string | null;
  /** YYYY-MM-DD as written in the feed (the publisher's calendar day) */
  readonly published: string | null;
  /** plain text */
  readonly summary: string | null;
  /** plain text of the full content (content:encoded, Atom content), when the feed carries it */
  readonly content: string | null;
}

export interface Feed {
  readonly title: string | null;
  readonly items: FeedItem[];
}

const ATOM_NAMESPACES = new Set(['http://www.w3.org/2005/Atom', 'http://purl.org/atom/ns#']);

/** Whether the text is a feed: its first element is <rss>, <rdf:RDF>, or <feed> in the Atom namespace. */
export function isFeed(text: string): boolean {
  if (typeof text !== 'string') return false;
  try {
    for (const token of tokenize(text, 'xml')) {
      // Before the root only the XML declaration, comments, a doctype and whitespace may come;
      // the tokenizer passes over all but the whitespace.
      if (token.kind === 'text' || token.kind === 'cdata') {
        if (token.text.trim() !== '') return false;
        continue;
      }
      return token.kind === 'start' && isFeedRoot(token);
    }
  } catch {
    // a string the tokenizer cannot finish is not a feed
  }
  return false;
}

function isFeedRoot(token: MarkupToken & { kind: 'start' }): boolean {
  if (token.name === 'rss' || token.name === 'rdf:rdf') return true;
  if (token.name !== 'feed' && !token.name.endsWith(':feed')) return false;
  for (const [name, value] of token.attrs) {
    if ((name === 'xmlns' || name.startsWith('xmlns:')) && ATOM_NAMESPACES.has(value.trim())) return true;
  }
  return false;
}

export function parseFeed(xml: string): Feed {
  if (typeof xml !== 'string' || xml === '') return { title: null, items: [] };
  try {
    return readFeed(xml);
  } catch {
    // Nothing below is meant to throw; this guard keeps a pathological feed from stopping a batch.
    return { title: null, items: [] };
  }
}

const ITEM_NAMES = new Set(['item', 'entry', 'atom:entry']);
/** Elements whose <title> is the feed's own: RSS's channel, Atom's feed. */
const FEED_NAMES = new Set(['channel', 'feed', 'atom:feed']);

function readFeed(source: string): Feed {
  const tree = parseMarkup(source, 'xml');
  let title: string | null = null;
  const items: FeedItem[] = [];
  for (const el of tree.elements) {
    if (title === null && el.name === 'title' && el.parent !== null && FEED_NAMES.has(el.parent.name)) {
      title = titleText(source, el, el.parent.name === 'channel' ? 'html' : 'text');
    }
    if (ITEM_NAMES.has(el.name) && el.closed) items.push(readItem(source, el));
  }
  return { title, items };
}

/**
 * One item. RSS and Atom name the same things differently, and real feeds mix them (Atom links in
 * RSS, Dublin Core dates in both), so each field takes the first of its names that gives a value.
 */
function readItem(source: string, item: MarkupElement): FeedItem {
  const atom = item.name !== 'item';
  const titleElement = child(item, 'title', 'atom:title');
  return {
    id: identifier(item),
    title: titleElement === null ? null : titleText(source, titleElement, atom ? 'text' : 'html'),
    url: itemUrl(item),
    published: publishedDate(item),
    summary: firstText(source, item, [
      ['description', 'html'],
      ['summary', 'text'],
      ['atom:summary', 'text'],
    ]),
    content: firstText(source, item, [
      ['content:encoded', 'html'],
      ['content', 'text'],
      ['atom:content', 'text'],
    ]),
  };
}

function identifier(item: MarkupElement): string | null {
  for (const name of ['guid', 'id', 'atom:id', 'dc:identifier']) {
    const el = child(item, name);
    const id = el === null ? '' : normalizeSpace(textContent(el));
    if (id !== '') return id;
  }
  // RSS 1.0 names its items in an attribute.
  return nonEmpty(normalizeSpace(item.attrs.get('rdf:about') ?? ''));
}

/**
 * RSS's <link> holds the address as text; Atom's <link rel="alternate" href> as an attribute (a missing
 * rel means alternate; rel="self", "edit", "enclosure" and "replies" are not the story). Failing both, an RSS guid
 * is the address unless it says isPermaLink="false".
 */
const NOT_THE_STORY = new Set(['self', 'edit', 'enclosure', 'replies']);

function itemUrl(item: MarkupElement): string | null {
  let firstHref: string | null = null;
  for (const el of item.children) {
    if (typeof el === 'string' || (el.name !== 'link' && el.name !== 'atom:link')) continue;
    const text = httpUrl(textContent(el));
    if (text !== null) return text;
    const href = httpUrl(el.attrs.get('href'));
    const rel = (el.attrs.get('rel') ?? 'alternate').trim().toLowerCase();
    if (href !== null && rel === 'alternate') return href;
    if (firstHref === null && !NOT_THE_STORY.has(rel)) firstHref = href;
  }
  if (firstHref !== null) return firstHref;
  const guid = child(item, 'guid');
  if (guid !== null && guid.attrs.get('ispermalink')?.trim().toLowerCase() !== 'false') return httpUrl(textContent(guid));
  return null;
}

/** Publication before modification: an item updated a week later still reports what happened first. */
const DATE_NAMES = ['pubdate', 'published', 'atom:published', 'dc:date', 'issued', 'updated', 'atom:updated', 'modified'];

function publishedDate(item: MarkupElement): string | null {
  for (const name of DATE_NAMES) {
    const el = child(item, name);
    const date = el === null ? null : toCalendarDate(textContent(el));
    if (date !== null) return date;
  }
  return null;
}

type TextType = 'text' | 'html';

/** The plain text of the first of these children that has some, each read as its type attribute says or, without one, as given. */
function firstText(source: string, item: MarkupElement, fields: ReadonlyArray<readonly [string, TextType]>): string | null {
  for (const [name, defaultType] of fields) {
    const el = child(item, name);
    if (el === null || el.attrs.has('src')) continue; // Atom content by reference has no text here
    const text = fieldText(source, el, defaultType);
    if (text !== '') return text;
  }
  return null;
}

/** Titles are one line. */
function titleText(source: string, el: MarkupElement, defaultType: TextType): string | null {
  return nonEmpty(normalizeSpace(fieldText(source, el, defaultType)));
}

/**
 * A text field as plain text. Atom's type="xhtml" content is markup in the feed itself; type="html"
 * (and RSS, in practice) is HTML with one level of XML escaping; anything else is text.
 */
function fieldText(source: string, el: MarkupElement, defaultType: TextType): string {
  const type = (el.attrs.get('type') ?? defaultType).trim().toLowerCase();
  if (type === 'xhtml' || type === 'application/xhtml+xml') return htmlToText(innerSource(source, el));
  if (type === 'html' || type === 'text/html') return htmlToText(innerMarkup(source, el));
  return plainParagraphs(textContent(el));
}

/** Plain text with its paragraphs (blank-line separated) kept and the whitespace inside them normalised. */
function plainParagraphs(text: string): string {
  const paragraphs: string[] = [];
  let lines: string[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') {
      if (lines.length > 0) paragraphs.push(normalizeSpace(lines.join(' ')));
      lines = [];
    } else {
      lines.push(line);
    }
  }
  if (lines.length > 0) paragraphs.push(normalizeSpace(lines.join(' ')));
  return paragraphs.filter((p) => p !== '').join('\n\n');
}

/** The first direct child with one of these names: direct, so that media:group's <title> is not the item's. */
function child(parent: MarkupElement, ...names: string[]): MarkupElement | null {
  for (const node of parent.children) {
    if (typeof node !== 'string' && names.includes(node.name)) return node;
  }
  return null;
}

function nonEmpty(text: string): string | null {
  return text === '' ? null : text;
}
