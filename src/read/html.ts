// Web pages: the text a reader would read on a news article page, without the menus, cookie banners,
// share buttons, "related stories", adverts and comments around it, plus the page's title, publication
// date and canonical address. No dependency: a small tolerant tokenizer (tags, attributes, text,
// comments, CDATA; the raw content of script, style, noscript and template is skipped) builds a light
// element tree; the article container is then chosen by its markup (<article>, article-body classes,
// <main>) or, failing that, as the element holding the densest run of paragraphs.
//
// Pages are hostile input. Every scan moves forward (indexOf, bounded regexes without nested
// quantifiers), every tree walk is a loop over an explicit stack, and nesting deeper than MAX_DEPTH is
// flattened, so a page costs time and memory in proportion to its size, and no string makes it throw.
//
// feeds.ts reads RSS and Atom with the same tokenizer and tree in their XML dialect.
import { isCalendarDate } from '../document.js';

export interface MainText {
  readonly title: string | null;
  /** paragraphs joined by a blank line, whitespace normalised; '' when the page has no text */
  readonly text: string;
  /** publication date YYYY-MM-DD as written on the page (the publisher's own calendar day), or null */
  readonly published: string | null;
  /** the canonical http(s) address of the page, or null */
  readonly url: string | null;
}

export function htmlMainText(html: string): MainText {
  if (typeof html !== 'string' || html === '') return emptyMainText();
  try {
    return readPage(html);
  } catch {
    // Nothing below is meant to throw; this guard is for what cannot be ruled out on a giant page
    // (running out of memory), so one page never stops a batch. The caller reports a page without text.
    return emptyMainText();
  }
}

/** The visible text of an HTML fragment or page, block by block, without choosing a container: for feed
 * content, where the fragment is the article. Scripts, forms, menus and share bars are still dropped. */
export function htmlToText(html: string): string {
  if (typeof html !== 'string' || html === '') return '';
  try {
    const tree = parseMarkup(html, 'html');
    const page = measurePage(tree);
    return renderText(tree.root, 'all', (el) => page.boilerplate[el.order] === 1);
  } catch {
    return '';
  }
}

function emptyMainText(): MainText {
  return { title: null, text: '', published: null, url: null };
}

function readPage(html: string): MainText {
  const tree = parseMarkup(html, 'html');
  const page = measurePage(tree);
  const skip = (el: MarkupElement) => page.boilerplate[el.order] === 1;
  const container = chooseContainer(tree, page);
  let text: string;
  if (container) {
    // Paragraph-like blocks first; a container that keeps its text in bare <div>s and <br>s is read whole.
    text = renderText(container, 'paragraphs', skip) || renderText(container, 'all', skip);
  } else {
    text = renderText(firstElementNamed(tree, 'body') ?? tree.root, 'all', skip);
  }
  const meta = readMetadata(tree);
  return {
    title: pageTitle(meta),
    text,
    published: publishedDate(meta, container),
    url: meta.canonical ?? httpUrl(meta.properties.get('og:url')),
  };
}

// ---------------------------------------------------------------------------------------------
// Tokenizer. HTML and XML share it; they differ in that HTML has raw-text elements (script, style,
// title, ...) whose content is not markup. Names are lowercased in both dialects, so a feed's
// <pubDate> is `pubdate`.

export type Dialect = 'html' | 'xml';

/** Tokens carry their source span [start, end) so a caller can copy markup through verbatim. */
export type MarkupToken =
  | {
      readonly kind: 'start';
      readonly name: string;
      readonly attrs: ReadonlyMap<string, string>;
      readonly selfClosing: boolean;
      readonly start: number;
      readonly end: number;
    }
  | { readonly kind: 'end'; readonly name: string; readonly start: number; readonly end: number }
  /** entities decoded */
  | { readonly kind: 'text'; readonly text: string; readonly start: number; readonly end: number }
  /** the content of <![CDATA[...]]>, verbatim */
  | { readonly kind: 'cdata'; readonly text: string; readonly start: number; readonly end: number };

/** Raw-text elements whose content is never reader text: skipped, start tag to end tag. */
const SKIPPED_RAW_TEXT = new Set(['script', 'style', 'noscript', 'template', 'textarea', 'iframe', 'noembed', 'noframes', 'xmp']);
/** Raw-text elements whose content is text but not markup. */
const KEPT_RAW_TEXT = new Set(['title']);

const NO_ATTRIBUTES: ReadonlyMap<string, string> = new Map();

export function* tokenize(input: string, dialect: Dialect): Generator<MarkupToken> {
  const n = input.length;
  let pos = 0;
  while (pos < n) {
    const lt = input.indexOf('<', pos);
    const textEnd = lt === -1 ? n : lt;
    if (textEnd > pos) yield textToken(input, pos, textEnd);
    if (lt === -1) return;
    const next = input.charCodeAt(lt + 1);
    if (next === BANG || next === QUESTION) {
      const special = readSpecial(input, lt);
      if (special.token) yield special.token;
      pos = special.end;
    } else if (next === SLASH) {
      const end = readEndTag(input, lt);
      if (end.token) yield end.token;
      pos = end.end;
    } else if (isAsciiLetter(next)) {
      const tag = readStartTag(input, lt);
      if (tag === null) return; // the input ends inside a tag: what follows is not content
      pos = tag.end;
      if (dialect === 'html' && (SKIPPED_RAW_TEXT.has(tag.name) || KEPT_RAW_TEXT.has(tag.name))) {
        const raw = findRawTextEnd(input, tag.name, tag.end);
        if (KEPT_RAW_TEXT.has(tag.name)) {
          // <title/> is still an open title in HTML: its text runs to </title>
          yield { ...tag, selfClosing: false };
          if (raw.contentEnd > tag.end) yield textToken(input, tag.end, raw.contentEnd);
          yield { kind: 'end', name: tag.name, start: raw.contentEnd, end: raw.end };
        }
        pos = raw.end;
      } else {
        yield tag;
      }
    } else {
      // A '<' that starts no tag ("a < b") is text.
      yield { kind: 'text', text: '<', start: lt, end: lt + 1 };
      pos = lt + 1;
    }
  }
}

const BANG = 0x21; // !
const DOUBLE_QUOTE = 0x22;
const SINGLE_QUOTE = 0x27;
const SLASH = 0x2f;
const EQUALS = 0x3d;
const GREATER = 0x3e;
const QUESTION = 0x3f;

function isAsciiLetter(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d;
}

function textToken(input: string, start: number, end: number): MarkupToken {
  return { kind: 'text', text: decodeEntities(input.slice(start, end)), start, end };
}

/** Comments, CDATA, doctypes and processing instructions, from `<!` or `<?`. Only CDATA yields a token. */
function readSpecial(input: string, lt: number): { token: MarkupToken | null; end: number } {
  if (input.startsWith('<!--', lt)) {
    const close = input.indexOf('-->', lt + 4);
    return { token: null, end: close === -1 ? input.length : close + 3 };
  }
  if (input.startsWith('<![CDATA[', lt)) {
    const close = input.indexOf(']]>', lt + 9);
    const contentEnd = close === -1 ? input.length : close;
    const end = close === -1 ? input.length : close + 3;
    return { token: { kind: 'cdata', text: input.slice(lt + 9, contentEnd), start: lt, end }, end };
  }
  const close = input.indexOf('>', lt + 2);
  return { token: null, end: close === -1 ? input.length : close + 1 };
}

function readEndTag(input: string, lt: number): { token: MarkupToken | null; end: number } {
  const close = input.indexOf('>', lt + 2);
  const end = close === -1 ? input.length : close + 1;
  if (close === -1 || !isAsciiLetter(input.charCodeAt(lt + 2))) return { token: null, end }; // `</>`, `</3`, or cut off
  let i = lt + 2;
  while (i < close && !isSpace(input.charCodeAt(i)) && input.charCodeAt(i) !== SLASH) i++;
  return { token: { kind: 'end', name: input.slice(lt + 2, i).toLowerCase(), start: lt, end }, end };
}

/** A start tag with its attributes, or null when the input ends before the tag does. */
function readStartTag(input: string, lt: number): (MarkupToken & { kind: 'start' }) | null {
  const n = input.length;
  let i = lt + 1;
  while (i < n && !isTagNameEnd(input.charCodeAt(i))) i++;
  const name = input.slice(lt + 1, i).toLowerCase();
  let attrs: Map<string, string> | null = null;
  let selfClosing = false;
  while (i < n) {
    const c = input.charCodeAt(i);
    if (isSpace(c)) {
      i++;
    } else if (c === GREATER) {
      return { kind: 'start', name, attrs: attrs ?? NO_ATTRIBUTES, selfClosing, start: lt, end: i + 1 };
    } else if (c === SLASH) {
      selfClosing = input.charCodeAt(i + 1) === GREATER;
      i++;
    } else {
      selfClosing = false;
      const attr = readAttribute(input, i);
      if (attr === null) return null;
      attrs ??= new Map();
      // The first of repeated attributes wins, as in browsers.
      if (!attrs.has(attr.name)) attrs.set(attr.name, attr.value);
      i = attr.end;
    }
  }
  return null;
}

function isTagNameEnd(c: number): boolean {
  return isSpace(c) || c === SLASH || c === GREATER;
}

/** One `name`, `name=value`, `name="value"` or `name='value'`; null when a quoted value is never closed. */
function readAttribute(input: string, from: number): { name: string; value: string; end: number } | null {
  const n = input.length;
  let i = from + 1; // the first character may be anything, even '='
  while (i < n) {
    const c = input.charCodeAt(i);
    if (isSpace(c) || c === SLASH || c === GREATER || c === EQUALS) break;
    i++;
  }
  const name = input.slice(from, i).toLowerCase();
  let j = i;
  while (j < n && isSpace(input.charCodeAt(j))) j++;
  if (input.charCodeAt(j) !== EQUALS) return { name, value: '', end: i };
  j++;
  while (j < n && isSpace(input.charCodeAt(j))) j++;
  const quote = input.charCodeAt(j);
  if (quote === DOUBLE_QUOTE || quote === SINGLE_QUOTE) {
    const close = input.indexOf(quote === DOUBLE_QUOTE ? '"' : "'", j + 1);
    if (close === -1) return null;
    return { name, value: decodeEntities(input.slice(j + 1, close)), end: close + 1 };
  }
  const valueStart = j;
  while (j < n && !isSpace(input.charCodeAt(j)) && input.charCodeAt(j) !== GREATER) j++;
  return { name, value: decodeEntities(input.slice(valueStart, j)), end: j };
}

const rawTextClosers = new Map<string, RegExp>();

/** Where a raw-text element's content ends (`</script`, any case) and where its end tag ends. */
function findRawTextEnd(input: string, name: string, from: number): { contentEnd: number; end: number } {
  let closer = rawTextClosers.get(name);
  if (closer === undefined) {
    // name comes from the fixed raw-text sets above: plain letters, nothing to escape
    closer = new RegExp(`</${name}[\\s/>]`, 'gi');
    rawTextClosers.set(name, closer);
  }
  closer.lastIndex = from;
  const m = closer.exec(input);
  if (m === null) return { contentEnd: input.length, end: input.length };
  const gt = input.indexOf('>', m.index);
  return { contentEnd: m.index, end: gt === -1 ? input.length : gt + 1 };
}

// ---------------------------------------------------------------------------------------------
// Entities. The named ones are those news pages use: markup escapes, typographic punctuation, and
// Latin-1 letters, which spell many place and person names (Bogotá, Côte d'Ivoire, São Tomé).

/** Entity names for U+00A0..U+00FF, in code point order. */
const LATIN1_ENTITY_NAMES = [
  'nbsp', 'iexcl', 'cent', 'pound', 'curren', 'yen', 'brvbar', 'sect', 'uml', 'copy', 'ordf', 'laquo', 'not', 'shy', 'reg', 'macr',
  'deg', 'plusmn', 'sup2', 'sup3', 'acute', 'micro', 'para', 'middot', 'cedil', 'sup1', 'ordm', 'raquo', 'frac14', 'frac12', 'frac34', 'iquest',
  'Agrave', 'Aacute', 'Acirc', 'Atilde', 'Auml', 'Aring', 'AElig', 'Ccedil', 'Egrave', 'Eacute', 'Ecirc', 'Euml', 'Igrave', 'Iacute', 'Icirc', 'Iuml',
  'ETH', 'Ntilde', 'Ograve', 'Oacute', 'Ocirc', 'Otilde', 'Ouml', 'times', 'Oslash', 'Ugrave', 'Uacute', 'Ucirc', 'Uuml', 'Yacute', 'THORN', 'szlig',
  'agrave', 'aacute', 'acirc', 'atilde', 'auml', 'aring', 'aelig', 'ccedil', 'egrave', 'eacute', 'ecirc', 'euml', 'igrave', 'iacute', 'icirc', 'iuml',
  'eth', 'ntilde', 'ograve', 'oacute', 'ocirc', 'otilde', 'ouml', 'divide', 'oslash', 'ugrave', 'uacute', 'ucirc', 'uuml', 'yacute', 'thorn', 'yuml',
];

const NAMED_ENTITIES: ReadonlyMap<string, string> = new Map([
  ...LATIN1_ENTITY_NAMES.map((name, i): [string, string] => [name, String.fromCharCode(0xa0 + i)]),
  ['amp', '&'], ['lt', '<'], ['gt', '>'], ['quot', '"'], ['apos', "'"],
  ['ndash', '\u2013'], ['mdash', '\u2014'], ['lsquo', '\u2018'], ['rsquo', '\u2019'], ['sbquo', '\u201a'],
  ['ldquo', '\u201c'], ['rdquo', '\u201d'], ['bdquo', '\u201e'], ['lsaquo', '\u2039'], ['rsaquo', '\u203a'],
  ['hellip', '\u2026'], ['bull', '\u2022'], ['prime', '\u2032'], ['Prime', '\u2033'], ['dagger', '\u2020'], ['Dagger', '\u2021'],
  ['permil', '\u2030'], ['trade', '\u2122'], ['euro', '\u20ac'], ['minus', '\u2212'], ['fnof', '\u0192'], ['circ', '\u02c6'], ['tilde', '\u02dc'],
  ['OElig', '\u0152'], ['oelig', '\u0153'], ['Scaron', '\u0160'], ['scaron', '\u0161'], ['Yuml', '\u0178'],
  ['ensp', '\u2002'], ['emsp', '\u2003'], ['thinsp', '\u2009'], ['zwnj', '\u200c'], ['zwj', '\u200d'], ['lrm', '\u200e'], ['rlm', '\u200f'],
]);

/** Old pages write these without the semicolon ("AT&amp T"); browsers accept them, so do we. */
const LEGACY_ENTITIES = new Set(['amp', 'lt', 'gt', 'quot', 'nbsp']);

/** Numeric references to 0x80..0x9F mean Windows-1252 on the web (&#146; is an apostrophe). */
const WINDOWS_1252 = '\u20ac\ufffd\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\ufffd\u017d\ufffd\ufffd\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\ufffd\u017e\u0178';

const ENTITY = /&(?:#([0-9]+)|#[xX]([0-9a-fA-F]+)|([A-Za-z][A-Za-z0-9]*))(;?)/g;

/** Decode character references; unknown names are left as written, invalid numbers become U+FFFD. */
export function decodeEntities(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(ENTITY, (match: string, decimal: string | undefined, hex: string | undefined, name: string | undefined, semicolon: string, offset: number) => {
    // Overlong numbers are out of range whatever their digits; cutting them off keeps parseInt exact.
    if (decimal !== undefined) return codePointText(decimal.length > 8 ? -1 : Number.parseInt(decimal, 10));
    if (hex !== undefined) return codePointText(hex.length > 7 ? -1 : Number.parseInt(hex, 16));
    if (name === undefined) return match;
    const decoded = NAMED_ENTITIES.get(name);
    if (decoded === undefined) return match;
    if (semicolon === '') {
      // Without its semicolon only a legacy name counts, and not before '=': "?a=1&amp=2" is a parameter.
      const legacy = LEGACY_ENTITIES.has(name) && text.charAt(offset + match.length) !== '=';
      if (!legacy) return match;
    }
    return decoded;
  });
}

function codePointText(cp: number): string {
  if (cp >= 0x80 && cp <= 0x9f) return WINDOWS_1252.charAt(cp - 0x80);
  if (cp <= 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return '\ufffd';
  return String.fromCodePoint(cp);
}

// ---------------------------------------------------------------------------------------------
// Element tree. Built in one pass with a stack of open elements; end tags close the nearest open
// element of their name (stray ones are ignored), and a few HTML rules close what authors leave
// open (<p> before a block, <li> before the next <li>). Elements are kept in document order with an
// index (`order`), so measures can live in flat arrays and parents always come before children.

export interface MarkupElement {
  readonly name: string;
  readonly attrs: ReadonlyMap<string, string>;
  readonly parent: MarkupElement | null;
  readonly children: MarkupNode[];
  /** index in MarkupTree.elements: document order, the root is 0 */
  readonly order: number;
  /** source span of the content: just after the start tag, and where the end tag begins */
  readonly innerStart: number;
  innerEnd: number;
  /** false when the input ended while the element was still open (a truncated document) */
  closed: boolean;
}

/** A child is an element or a run of (decoded) text. */
export type MarkupNode = MarkupElement | string;

export interface MarkupTree {
  /** a synthetic `#document` element holding the top-level nodes */
  readonly root: MarkupElement;
  /** every element in document order; elements[0] is the root */
  readonly elements: readonly MarkupElement[];
}

/** Deeper nesting is flattened: start tags below this depth are ignored and their content joins the deepest element. */
const MAX_DEPTH = 512;

const VOID_ELEMENTS = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr']);

/** Start tags that end an open paragraph. */
const CLOSES_PARAGRAPH = new Set([
  'address', 'article', 'aside', 'blockquote', 'details', 'div', 'dl', 'fieldset', 'figcaption', 'figure', 'footer', 'form',
  'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'main', 'menu', 'nav', 'ol', 'p', 'pre', 'section', 'table', 'ul',
]);

/** Phrasing elements an implied </p> may look through ("<p><b>text<div>" still closes the p). */
const INLINE_ELEMENTS = new Set(['a', 'abbr', 'b', 'cite', 'code', 'em', 'font', 'i', 'mark', 'q', 's', 'small', 'span', 'strong', 'sub', 'sup', 'time', 'u']);

/** Feed entries are never nested: a new one closes an unterminated one before it. */
const FEED_ENTRIES = new Set(['item', 'entry', 'atom:entry']);

export function parseMarkup(input: string, dialect: Dialect): MarkupTree {
  const root = newElement('#document', NO_ATTRIBUTES, null, 0, 0);
  const elements: MarkupElement[] = [root];
  const open = new OpenElements(root);
  for (const token of tokenize(input, dialect)) {
    if (token.kind === 'text' || token.kind === 'cdata') {
      if (token.text !== '') open.current().children.push(token.text);
    } else if (token.kind === 'end') {
      open.closeNamed(token.name, token.start);
    } else {
      if (dialect === 'html') closeImpliedByHtml(open, token.name, token.start);
      else if (FEED_ENTRIES.has(token.name)) open.closeAnyOf(FEED_ENTRIES, token.start);
      const empty = token.selfClosing || (dialect === 'html' && VOID_ELEMENTS.has(token.name));
      if (!empty && open.depth() >= MAX_DEPTH) continue;
      const parent = open.current();
      const el = newElement(token.name, token.attrs, parent, elements.length, token.end);
      parent.children.push(el);
      elements.push(el);
      if (empty) el.closed = true;
      else open.push(el);
    }
  }
  open.endOfInput(input.length);
  root.closed = true;
  return { root, elements };
}

function newElement(name: string, attrs: ReadonlyMap<string, string>, parent: MarkupElement | null, order: number, innerStart: number): MarkupElement {
  return { name, attrs, parent, children: [], order, innerStart, innerEnd: innerStart, closed: false };
}

/** The stack of open elements, with a count per name so a stray end tag is ignored without a search. */
class OpenElements {
  private readonly stack: MarkupElement[];
  private readonly counts = new Map<string, number>();

  constructor(root: MarkupElement) {
    this.stack = [root];
  }

  current(): MarkupElement {
    return this.stack[this.stack.length - 1]!;
  }

  depth(): number {
    return this.stack.length;
  }

  isOpen(name: string): boolean {
    return (this.counts.get(name) ?? 0) > 0;
  }

  push(el: MarkupElement): void {
    this.stack.push(el);
    this.counts.set(el.name, (this.counts.get(el.name) ?? 0) + 1);
  }

  /** Close the innermost open element of this name and everything opened inside it. */
  closeNamed(name: string, at: number): void {
    if (!this.isOpen(name)) return;
    while (this.stack.length > 1) {
      if (this.pop(at).name === name) return;
    }
  }

  closeAnyOf(names: ReadonlySet<string>, at: number): void {
    for (const name of names) this.closeNamed(name, at);
  }

  /**
   * Close `name` if it is open within `reach` elements of the top and only elements that `passes`
   * lie above it. The reach is bounded so that each start tag costs constant time.
   */
  closeNear(name: string, at: number, passes: (el: MarkupElement) => boolean, reach = 8): void {
    if (!this.isOpen(name)) return;
    for (let k = this.stack.length - 1; k > 0 && k >= this.stack.length - reach; k--) {
      const el = this.stack[k]!;
      if (el.name === name) {
        this.closeNamed(name, at);
        return;
      }
      if (!passes(el)) return;
    }
  }

  /** Whatever is still open was cut off by the end of the input: it stays `closed: false`. */
  endOfInput(at: number): void {
    for (const el of this.stack) el.innerEnd = at;
  }

  private pop(at: number): MarkupElement {
    const el = this.stack.pop()!;
    this.counts.set(el.name, (this.counts.get(el.name) ?? 1) - 1);
    el.innerEnd = at;
    el.closed = true;
    return el;
  }
}

function closeImpliedByHtml(open: OpenElements, name: string, at: number): void {
  if (CLOSES_PARAGRAPH.has(name)) open.closeNear('p', at, (el) => INLINE_ELEMENTS.has(el.name));
  if (name === 'li') open.closeNear('li', at, (el) => el.name !== 'ul' && el.name !== 'ol' && el.name !== 'menu');
  if (name === 'dt' || name === 'dd') {
    open.closeNear('dt', at, (el) => el.name !== 'dl');
    open.closeNear('dd', at, (el) => el.name !== 'dl');
  }
}

/** All text under an element, in document order, as written (entities decoded, no spacing added). */
export function textContent(el: MarkupElement): string {
  const parts: string[] = [];
  const stack: Array<{ el: MarkupElement; next: number }> = [{ el, next: 0 }];
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    const child = frame.el.children[frame.next++];
    if (child === undefined) stack.pop();
    else if (typeof child === 'string') parts.push(child);
    else stack.push({ el: child, next: 0 });
  }
  return parts.join('');
}

/** An element's content exactly as in the source. */
export function innerSource(source: string, el: MarkupElement): string {
  return source.slice(el.innerStart, el.innerEnd);
}

/**
 * An element's content as markup with one level of escaping removed: text has its entities decoded,
 * CDATA is unwrapped, tags are copied. This is how RSS carries HTML ("&lt;p&gt;" or CDATA).
 */
export function innerMarkup(source: string, el: MarkupElement): string {
  const inner = innerSource(source, el);
  const parts: string[] = [];
  for (const token of tokenize(inner, 'xml')) {
    if (token.kind === 'text' || token.kind === 'cdata') parts.push(token.text);
    else parts.push(inner.slice(token.start, token.end));
  }
  return parts.join('');
}

function firstElementNamed(tree: MarkupTree, name: string): MarkupElement | null {
  return tree.elements.find((el) => el.name === name) ?? null;
}

function hasAncestorNamed(el: MarkupElement, names: ReadonlySet<string>): boolean {
  for (let a = el.parent; a !== null; a = a.parent) if (names.has(a.name)) return true;
  return false;
}

// ---------------------------------------------------------------------------------------------
// Boilerplate: what is on the page but not in the report.
//
// Figures and their captions are dropped. A caption describes a photograph, often an archive one
// ("Protesters in the capital in 2019"); every sentence sitrep reads can become evidence for an
// event, and a caption would add events with the wrong date or repeat the article's own.

const BOILERPLATE_TAGS = new Set([
  'nav', 'footer', 'aside', 'form', 'menu', 'button', 'select', 'option', 'input', 'label', 'dialog',
  'figure', 'figcaption', 'svg', 'math', 'canvas', 'video', 'audio', 'object', 'embed', 'map',
  'head', 'title', 'script', 'style', 'noscript', 'template', 'textarea', 'iframe',
]);

/** ARIA roles of page furniture. role="banner" is the site header. */
const BOILERPLATE_ROLES = new Set(['navigation', 'banner', 'contentinfo', 'complementary', 'dialog', 'alertdialog', 'search', 'menu', 'menubar', 'toolbar']);

/** Class or id words that are whole words of boilerplate ("ad-slot" but not "head"). */
const BOILERPLATE_WORDS = new Set(['ad', 'ads', 'adslot', 'comment', 'tags', 'toolbar', 'masthead', 'skip', 'dfp', 'gpt']);

/** Class or id words that begin like boilerplate ("navbar", "related-stories", "cookie-consent"). */
const BOILERPLATE_PREFIXES = [
  'nav', 'menu', 'footer', 'share', 'sharing', 'social', 'related', 'comments', 'cookie', 'consent', 'banner', 'advert',
  'promo', 'newsletter', 'subscri', 'sidebar', 'breadcrumb', 'popup', 'modal', 'sponsor', 'outbrain', 'taboola',
  'trending', 'mostread', 'mostpopular', 'signup', 'paywall', 'recirc',
];

/** Class or id tokens of an article body (after lowercasing and turning '_' into '-'). */
const ARTICLE_BODY_PHRASES = [
  'article-body', 'articlebody', 'article-content', 'article-text', 'story-body', 'storybody', 'story-content', 'story-text',
  'post-body', 'post-content', 'entry-content', 'entry-body', 'content-body', 'body-content', 'news-body',
];
const ARTICLE_TOKENS = new Set(['article', 'story']);
const MAIN_TOKENS = new Set(['main', 'main-content', 'maincontent', 'content']);

function isBoilerplate(el: MarkupElement, inArticle: boolean): boolean {
  if (BOILERPLATE_TAGS.has(el.name)) return true;
  // A page header is the masthead; a header inside an article holds its headline and standfirst.
  if (el.name === 'header') return !inArticle;
  if (el.name === 'html' || el.name === 'body' || el.name === '#document') return false;
  if (el.attrs.has('hidden') || el.attrs.get('aria-hidden') === 'true') return true;
  if (el.name === 'article' || el.name === 'main') return false;
  const role = el.attrs.get('role')?.trim().toLowerCase();
  if (role !== undefined && BOILERPLATE_ROLES.has(role)) return true;
  if (styleHides(el.attrs.get('style'))) return true;
  if (containerKind(el) !== null) return false; // an "article-body" class outweighs a "has-comments" next to it
  return classWords(el).some(isBoilerplateWord);
}

function styleHides(style: string | undefined): boolean {
  return style !== undefined && /display\s*:\s*none|visibility\s*:\s*hidden/i.test(style);
}

function isBoilerplateWord(word: string): boolean {
  return BOILERPLATE_WORDS.has(word) || BOILERPLATE_PREFIXES.some((prefix) => word.startsWith(prefix));
}

/** The class and id tokens, lowercased, '_' and runs of '-' as one '-', camelCase split ("siteNav" is "site-nav"). */
function classTokens(el: MarkupElement): string[] {
  const cls = el.attrs.get('class');
  const id = el.attrs.get('id');
  if (cls === undefined && id === undefined) return [];
  return `${cls ?? ''} ${id ?? ''}`
    .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
    .toLowerCase()
    .replace(/[-_]+/g, '-')
    .split(/\s+/)
    .filter((token) => token !== '');
}

/** The words of the class and id tokens: "site-nav__list" gives site, nav, list. */
function classWords(el: MarkupElement): string[] {
  return classTokens(el).flatMap((token) => token.split(/[^a-z0-9]+/).filter((word) => word !== ''));
}

/** Whether markup names this element as the article ('article') or as the page's main region ('main'). */
function containerKind(el: MarkupElement): 'article' | 'main' | null {
  if (el.name === 'article' || el.attrs.get('itemprop') === 'articleBody') return 'article';
  const tokens = classTokens(el);
  if (tokens.some((t) => ARTICLE_TOKENS.has(t) || ARTICLE_BODY_PHRASES.some((phrase) => t.includes(phrase)))) return 'article';
  if (el.name === 'main' || el.attrs.get('role') === 'main' || tokens.some((t) => MAIN_TOKENS.has(t))) return 'main';
  return null;
}

// ---------------------------------------------------------------------------------------------
// Measuring the page: which elements are boilerplate, and how much paragraph text each holds.

interface PageMeasures {
  /** 1 when the element and everything under it is page furniture */
  readonly boilerplate: Uint8Array;
  /** 1 when some ancestor is boilerplate */
  readonly insideBoilerplate: Uint8Array;
  /** visible characters inside <p> elements under the element, boilerplate subtrees excluded */
  readonly paragraphText: Float64Array;
  /** the same, counting only <p> elements that are direct children: where paragraphs cluster */
  readonly directParagraphText: Float64Array;
}

function measurePage(tree: MarkupTree): PageMeasures {
  const count = tree.elements.length;
  const boilerplate = new Uint8Array(count);
  const insideBoilerplate = new Uint8Array(count);
  const inArticle = new Uint8Array(count);
  const inParagraph = new Uint8Array(count);
  const paragraphText = new Float64Array(count);
  const directParagraphText = new Float64Array(count);
  // Top-down: document order visits every parent before its children.
  for (const el of tree.elements) {
    const i = el.order;
    const parent = el.parent;
    if (parent !== null) {
      const p = parent.order;
      inArticle[i] = inArticle[p] === 1 || parent.name === 'article' ? 1 : 0;
      inParagraph[i] = inParagraph[p]!;
      insideBoilerplate[i] = insideBoilerplate[p] === 1 || boilerplate[p] === 1 ? 1 : 0;
    }
    if (el.name === 'p') inParagraph[i] = 1;
    boilerplate[i] = isBoilerplate(el, inArticle[i] === 1) ? 1 : 0;
    if (inParagraph[i] === 1) {
      for (const child of el.children) if (typeof child === 'string') paragraphText[i] += visibleLength(child);
    }
  }
  // Bottom-up: reverse document order visits every child before its parent.
  for (let i = count - 1; i > 0; i--) {
    const el = tree.elements[i]!;
    if (boilerplate[i] === 1 || el.parent === null) continue;
    paragraphText[el.parent.order] += paragraphText[i]!;
    if (el.name === 'p') directParagraphText[el.parent.order] += paragraphText[i]!;
  }
  return { boilerplate, insideBoilerplate, paragraphText, directParagraphText };
}

function visibleLength(text: string): number {
  return text.replace(/\s+/g, '').length;
}

/**
 * The element that holds the article: the best-filled element that markup calls the article, else the
 * page's main region, else the element with the most paragraph text in its direct children. A marked
 * container must hold at least a third of that densest cluster: a lone <article> teaser card on a page
 * whose story sits in plain <div>s is not the story.
 */
function chooseContainer(tree: MarkupTree, page: PageMeasures): MarkupElement | null {
  const densest = bestElement(tree, page, () => true, page.directParagraphText, 0);
  if (densest === null) return null;
  const floor = page.directParagraphText[densest.order]! / 3;
  return (
    bestElement(tree, page, (el) => containerKind(el) === 'article', page.paragraphText, floor) ??
    bestElement(tree, page, (el) => containerKind(el) === 'main', page.paragraphText, floor) ??
    densest
  );
}

/**
 * The accepted element with the highest score (at least `floor`, above 0). Elements outside any
 * boilerplate are preferred; inside it only when nothing outside qualifies (a layout wrapper with an
 * unlucky class such as "has-sidebar" around the whole page). On a tie the outermost wins: an <article>
 * and its body <div> with the same paragraphs, and the article keeps its headline.
 */
function bestElement(
  tree: MarkupTree,
  page: PageMeasures,
  accept: (el: MarkupElement) => boolean,
  score: Float64Array,
  floor: number,
): MarkupElement | null {
  let best: MarkupElement | null = null;
  let bestInside: MarkupElement | null = null;
  for (const el of tree.elements) {
    const s = score[el.order]!;
    if (s <= 0 || s < floor || page.boilerplate[el.order] === 1 || !accept(el)) continue;
    if (page.insideBoilerplate[el.order] === 1) {
      if (bestInside === null || s > score[bestInside.order]!) bestInside = el;
    } else if (best === null || s > score[best.order]!) {
      best = el;
    }
  }
  return best ?? bestInside;
}

// ---------------------------------------------------------------------------------------------
// Rendering text: a walk in document order that collects text into blocks and starts a new block at
// every block-level boundary. In 'paragraphs' scope only text inside p, h1-h6, li and blockquote
// counts; in 'all' scope every visible text does.

type TextScope = 'paragraphs' | 'all';

const TEXT_BLOCKS = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'li', 'blockquote']);

const BLOCK_BOUNDARIES = new Set([
  ...TEXT_BLOCKS,
  'address', 'article', 'body', 'br', 'caption', 'center', 'dd', 'details', 'div', 'dl', 'dt', 'fieldset', 'header', 'hgroup',
  'hr', 'main', 'ol', 'pre', 'section', 'summary', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'tr', 'ul',
]);

function renderText(container: MarkupElement, scope: TextScope, isSkipped: (el: MarkupElement) => boolean): string {
  const paragraphs: string[] = [];
  let pieces: string[] = [];
  let textBlockDepth = 0;
  const flush = (): void => {
    if (pieces.length === 0) return;
    const paragraph = normalizeSpace(pieces.join(''));
    if (paragraph !== '') paragraphs.push(paragraph);
    pieces = [];
  };
  const enter = (el: MarkupElement): void => {
    if (BLOCK_BOUNDARIES.has(el.name)) flush();
    if (TEXT_BLOCKS.has(el.name)) textBlockDepth++;
  };
  const leave = (el: MarkupElement): void => {
    if (BLOCK_BOUNDARIES.has(el.name)) flush();
    if (TEXT_BLOCKS.has(el.name)) textBlockDepth--;
  };

  enter(container);
  const stack: Array<{ el: MarkupElement; next: number }> = [{ el: container, next: 0 }];
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]!;
    const child = frame.el.children[frame.next++];
    if (child === undefined) {
      leave(frame.el);
      stack.pop();
    } else if (typeof child === 'string') {
      if (scope === 'all' || textBlockDepth > 0) pieces.push(child);
    } else if (!isSkipped(child)) {
      enter(child);
      stack.push({ el: child, next: 0 });
    }
  }
  flush();
  return paragraphs.join('\n\n');
}

/** One line: control characters and whitespace runs become one space, invisible format characters go. */
export function normalizeSpace(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000e-\u001f\u007f]/g, ' ')
    .replace(/[\u200b\u2060\ufeff]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

// ---------------------------------------------------------------------------------------------
// Metadata: title, publication date and canonical address, from <meta>, <link>, <title>, <time>.

interface PageMetadata {
  /** <meta> content by lowercased property, name or itemprop; the first of each wins */
  readonly properties: Map<string, string>;
  readonly canonical: string | null;
  readonly documentTitle: string | null;
  readonly firstHeading: MarkupElement | null;
  /** <time datetime> elements in document order */
  readonly times: MarkupElement[];
}

/** A page dates itself early; later <time>s are comments and archives, and are not worth a walk each. */
const MAX_TIMES = 50;

/** Icons carry their own <title>s; a document's title is not inside one. */
const GRAPHICS = new Set(['svg', 'math']);

function readMetadata(tree: MarkupTree): PageMetadata {
  const properties = new Map<string, string>();
  let canonical: string | null = null;
  let documentTitle: string | null = null;
  let firstHeading: MarkupElement | null = null;
  const times: MarkupElement[] = [];
  for (const el of tree.elements) {
    const content = el.attrs.get('content');
    if (content !== undefined) {
      for (const key of ['property', 'name', 'itemprop']) {
        const name = el.attrs.get(key)?.trim().toLowerCase();
        if (name && !properties.has(name)) properties.set(name, content);
      }
    }
    if (el.name === 'link' && canonical === null && relTokens(el).includes('canonical')) canonical = httpUrl(el.attrs.get('href'));
    if (el.name === 'title' && documentTitle === null && !hasAncestorNamed(el, GRAPHICS)) documentTitle = nonEmpty(normalizeSpace(textContent(el)));
    if (el.name === 'h1' && firstHeading === null) firstHeading = el;
    if (el.name === 'time' && el.attrs.has('datetime') && times.length < MAX_TIMES) times.push(el);
  }
  return { properties, canonical, documentTitle, firstHeading, times };
}

function relTokens(el: MarkupElement): string[] {
  return (el.attrs.get('rel') ?? '').toLowerCase().split(/\s+/);
}

function pageTitle(meta: PageMetadata): string | null {
  const fromMeta = nonEmpty(normalizeSpace(meta.properties.get('og:title') ?? meta.properties.get('twitter:title') ?? ''));
  if (fromMeta !== null) return fromMeta;
  if (meta.documentTitle !== null) return meta.documentTitle;
  return meta.firstHeading === null ? null : nonEmpty(normalizeSpace(textContent(meta.firstHeading)));
}

/** Dated <meta> names besides article:published_time, most specific first. */
const DATE_META_NAMES = ['date', 'pubdate', 'publishdate', 'publish-date', 'dc.date.issued', 'dc.date', 'dcterms.created', 'dcterms.date'];

/**
 * The publication date: Open Graph's article:published_time, schema.org's datePublished, a <time>
 * element (one inside the article before one elsewhere, which may be a clock in the masthead), then
 * the older <meta name="date"> family. The first that reads as a date wins.
 */
function publishedDate(meta: PageMetadata, container: MarkupElement | null): string | null {
  const candidates: Array<string | undefined> = [meta.properties.get('article:published_time'), meta.properties.get('datepublished')];
  const inContainer = (el: MarkupElement) => container !== null && isInside(el, container);
  for (const time of [...meta.times.filter(inContainer), ...meta.times.filter((t) => !inContainer(t))]) candidates.push(time.attrs.get('datetime'));
  for (const name of DATE_META_NAMES) candidates.push(meta.properties.get(name));
  for (const candidate of candidates) {
    const date = candidate === undefined ? null : toCalendarDate(candidate);
    if (date !== null) return date;
  }
  return null;
}

function isInside(el: MarkupElement, container: MarkupElement): boolean {
  for (let a: MarkupElement | null = el; a !== null; a = a.parent) if (a === container) return true;
  return false;
}

/**
 * Only absolute http(s) addresses are kept: a relative one cannot name the source without the page's
 * own address, and javascript: or data: addresses name nothing.
 */
export function httpUrl(href: string | undefined): string | null {
  const url = href?.trim() ?? '';
  return /^https?:\/\/[^\s]+$/i.test(url) ? url : null;
}

function nonEmpty(text: string): string | null {
  return text === '' ? null : text;
}

// ---------------------------------------------------------------------------------------------
// Dates. Pages and feeds write dates in ISO 8601 ("2024-03-05T23:30:00-05:00"), RFC 822
// ("Tue, 05 Mar 2024 23:30:00 -0500") or prose ("March 5, 2024"). The calendar day is taken as
// written, not converted to UTC: it is the publisher's own day, the one that the report's "yesterday"
// and "on Tuesday" count from.

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];

/** YYYY-MM-DD for a date written in ISO, RFC 822 or prose form; null when it is not a real calendar date. */
export function toCalendarDate(text: string): string | null {
  // Dates are short; cutting the input keeps every pattern below cheap whatever a page puts there.
  const s = text.trim().slice(0, 80);
  const iso = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?![0-9])/.exec(s);
  if (iso) return calendarDate(Number(iso[1]), Number(iso[2]), Number(iso[3]));
  const dayFirst = /(?:^|[^0-9A-Za-z])(\d{1,2})\s+([A-Za-z]{3,9})\.?,?\s+(\d{4}|\d{2})(?![0-9])/.exec(s);
  if (dayFirst) return calendarDate(fullYear(dayFirst[3]!), monthNumber(dayFirst[2]!), Number(dayFirst[1]));
  const monthFirst = /(?:^|[^A-Za-z])([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})(?![0-9])/.exec(s);
  if (monthFirst) return calendarDate(Number(monthFirst[3]), monthNumber(monthFirst[1]!), Number(monthFirst[2]));
  return null;
}

/** RFC 822 allows two-digit years; they are read as 1970-2069. */
function fullYear(digits: string): number {
  const year = Number(digits);
  if (digits.length > 2) return year;
  return year < 70 ? 2000 + year : 1900 + year;
}

/** 1-12 for a month name or its abbreviation ("Mar", "Sept"), 0 for anything else. */
function monthNumber(name: string): number {
  const lower = name.toLowerCase();
  return MONTHS.findIndex((month) => month.startsWith(lower)) + 1;
}

function calendarDate(year: number, month: number, day: number): string | null {
  const date = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return isCalendarDate(date) ? date : null;
}
