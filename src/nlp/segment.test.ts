// Table-driven tests for segment(): tokens with offsets into the original text, sentences split by
// wink-nlp and at every line break, paragraphs counted at blank lines. Every text is invented.
import { describe, expect, it } from 'vitest';
import { loadNlp, segment, type Segmentation } from './segment.js';

const nlp = loadNlp();

/** The text of each sentence, as its offsets slice it out of the original. */
function sentenceTexts(text: string, s: Segmentation): string[] {
  return s.sentences.map((x) => text.slice(x.start, x.end));
}

/** Checks every structural promise segment() makes, for any input. */
function expectWellFormed(text: string, s: Segmentation): void {
  let previousEnd = 0;
  s.tokens.forEach((t, i) => {
    // offsets slice back to the token as written
    expect(text.slice(t.start, t.end), `token ${i} of ${JSON.stringify(text)}`).toBe(t.text);
    expect(t.lower).toBe(t.text.toLowerCase());
    expect(t.text.trim()).toBe(t.text);
    expect(t.text.length).toBeGreaterThan(0);
    expect(typeof t.pos).toBe('string');
    // in order, never overlapping
    expect(t.start).toBeGreaterThanOrEqual(previousEnd);
    previousEnd = t.end;
    // the token's sentence holds it
    const sentence = s.sentences[t.sentence];
    expect(sentence, `sentence of token ${i}`).toBeDefined();
    expect(i).toBeGreaterThanOrEqual(sentence!.firstToken);
    expect(i).toBeLessThan(sentence!.lastToken);
  });
  // sentences tile the tokens in order; their offsets are their first and last tokens'
  let next = 0;
  let paragraph = 0;
  for (const x of s.sentences) {
    expect(x.firstToken).toBe(next);
    expect(x.lastToken).toBeGreaterThan(x.firstToken);
    expect(x.start).toBe(s.tokens[x.firstToken]!.start);
    expect(x.end).toBe(s.tokens[x.lastToken - 1]!.end);
    expect(x.paragraph).toBeGreaterThanOrEqual(paragraph);
    paragraph = x.paragraph;
    next = x.lastToken;
  }
  expect(next).toBe(s.tokens.length);
}

describe('segment: offsets always slice back to the token text', () => {
  const TEXTS: readonly string[] = [
    'Gunmen opened fire on a minibus near the bridge, killing 3 passengers.',
    'Brig. Gen. Yusuf Kamal said the U.S.-backed unit withdrew at 6 a.m. on Monday.',
    '  Leading spaces.  Double  spaces between   words.   ',
    'Col.\tIdris spoke.\r\nThen he left.\r\n\r\nA new paragraph.',
    '“We held the hill,” a fighter said. “They ran.”',
    'Rebels seized Zoé and Içel — two hamlets near the river.',
    'The convoy was 5\u00a0km from the depot when the blast hit.',
    'A drone 🚀 struck the depot. Nobody was hurt.',
    'HEADLINE IN CAPITALS\n\nBody text follows here.\n',
    "Militias' trucks and the governor's car were hit; 12 died.",
    'Tabs\tbetween\twords.\tAnd a second clause.',
    'Line one\rLine two after a bare carriage return.',
    'x',
  ];
  it.each(TEXTS.map((t) => [JSON.stringify(t), t] as const))('%s', (_label, text) => {
    const s = segment(nlp, text);
    expect(s.tokens.length).toBeGreaterThan(0);
    expectWellFormed(text, s);
  });
});

interface SentenceRow {
  readonly name: string;
  readonly text: string;
  /** each sentence's text, in order */
  readonly sentences: readonly string[];
  /** each sentence's paragraph number; omitted when all are in paragraph 0 */
  readonly paragraphs?: readonly number[];
}

const SENTENCE_ROWS: readonly SentenceRow[] = [
  // ---- plain sentence ends ----
  { name: 'two sentences on one line', text: 'Troops left the town. Then rebels came back.', sentences: ['Troops left the town.', 'Then rebels came back.'] },
  { name: 'question and exclamation marks', text: 'Who fired first? Nobody knows! The inquiry goes on.', sentences: ['Who fired first?', 'Nobody knows!', 'The inquiry goes on.'] },
  { name: 'no final full stop', text: 'Shelling resumed at dusk', sentences: ['Shelling resumed at dusk'] },
  { name: 'a closing quote stays with its sentence', text: 'He said: "We will not leave." Then he left.', sentences: ['He said: "We will not leave."', 'Then he left.'] },

  // ---- line breaks split; blank lines start paragraphs ----
  { name: 'a heading line without a full stop', text: 'Clashes in the north\nFighters attacked a post. Two died.', sentences: ['Clashes in the north', 'Fighters attacked a post.', 'Two died.'] },
  {
    name: 'a line break inside what wink reads as one sentence',
    text: 'Curfew declared in the old city\nresidents told to stay indoors',
    sentences: ['Curfew declared in the old city', 'residents told to stay indoors'],
  },
  {
    name: 'blank lines count paragraphs',
    text: 'Title line\n\nFirst paragraph, first sentence. First paragraph, second sentence.\n\nSecond paragraph.',
    sentences: ['Title line', 'First paragraph, first sentence.', 'First paragraph, second sentence.', 'Second paragraph.'],
    paragraphs: [0, 1, 1, 2],
  },
  { name: 'a single line break does not start a paragraph', text: 'One line.\nAnother line.', sentences: ['One line.', 'Another line.'], paragraphs: [0, 0] },
  { name: 'several blank lines are one paragraph break', text: 'Before the gap.\n\n\n\n\nAfter the gap.', sentences: ['Before the gap.', 'After the gap.'], paragraphs: [0, 1] },
  { name: 'a blank line holding spaces is still blank', text: 'Before.\n   \nAfter.', sentences: ['Before.', 'After.'], paragraphs: [0, 1] },
  { name: 'a trailing line break adds nothing', text: 'Only sentence.\n', sentences: ['Only sentence.'] },

  // ---- Windows line ends and tabs ----
  {
    name: 'CRLF line ends split like LF',
    text: 'Gunmen attacked.\r\nSoldiers responded.\r\n\r\nIn a separate incident, police arrested two men.\r\n',
    sentences: ['Gunmen attacked.', 'Soldiers responded.', 'In a separate incident, police arrested two men.'],
    paragraphs: [0, 0, 1],
  },
  { name: 'CRLF blank line with a space', text: 'Line one\r\n \r\nLine two.', sentences: ['Line one', 'Line two.'], paragraphs: [0, 1] },
  { name: 'tabs inside a sentence do not split it', text: 'Rebels\tattacked\tthe\tdepot.', sentences: ['Rebels\tattacked\tthe\tdepot.'] },
  { name: 'tab-indented lines', text: '\tIndented first line.\n\tIndented second line.', sentences: ['Indented first line.', 'Indented second line.'] },
  { name: 'a tab after a title does not end the sentence', text: 'Col.\tIdris spoke.\r\nThen he left.', sentences: ['Col.\tIdris spoke.', 'Then he left.'] },

  // ---- abbreviations that do not end a sentence ----
  { name: 'Brig. Gen. before a name', text: 'Brig. Gen. Yusuf Kamal led the raid. Rebels fled.', sentences: ['Brig. Gen. Yusuf Kamal led the raid.', 'Rebels fled.'] },
  {
    name: 'Brig. Gen. and U.S. mid-sentence',
    text: 'A spokesman for Brig. Gen. Omar said the U.S. envoy arrived. He stayed.',
    sentences: ['A spokesman for Brig. Gen. Omar said the U.S. envoy arrived.', 'He stayed.'],
  },
  { name: 'U.S. before a capitalised word', text: 'The U.S. Army said five soldiers died.', sentences: ['The U.S. Army said five soldiers died.'] },
  { name: 'U.S.-backed', text: 'Fighting in the U.S.-backed zone ended. Officials said so.', sentences: ['Fighting in the U.S.-backed zone ended.', 'Officials said so.'] },
  { name: 'U.N. and A.U.', text: 'The U.N. said five died. The A.U. mission agreed.', sentences: ['The U.N. said five died.', 'The A.U. mission agreed.'] },
  { name: 'Lt. and Col.', text: 'Lt. Gen. Omar spoke. Col. Idris agreed.', sentences: ['Lt. Gen. Omar spoke.', 'Col. Idris agreed.'] },
  {
    name: 'Capt., Gov., Sen. and Mt.',
    text: 'Capt. Musa and Gov. Bello met Sen. Ade at Mt. Elgon. They talked.',
    sentences: ['Capt. Musa and Gov. Bello met Sen. Ade at Mt. Elgon.', 'They talked.'],
  },
  { name: 'Dr., Lt. Col. and p.m.', text: 'Dr. Jones met Lt. Col. Ahmed at 3 p.m. on Monday. They talked.', sentences: ['Dr. Jones met Lt. Col. Ahmed at 3 p.m. on Monday.', 'They talked.'] },
  { name: 'an initial', text: 'Gen. David H. Okafor spoke. He left.', sentences: ['Gen. David H. Okafor spoke.', 'He left.'] },
  { name: 'No. before a number', text: 'No. 5 battalion arrived. Then it left.', sentences: ['No. 5 battalion arrived.', 'Then it left.'] },
];

describe('segment: sentences and paragraphs', () => {
  it.each(SENTENCE_ROWS.map((r) => [r.name, r] as const))('%s', (_name, row) => {
    const s = segment(nlp, row.text);
    expectWellFormed(row.text, s);
    expect(sentenceTexts(row.text, s)).toEqual(row.sentences);
    expect(s.sentences.map((x) => x.paragraph)).toEqual(row.paragraphs ?? row.sentences.map(() => 0));
  });
});

describe('segment: tokens', () => {
  it.each([
    ['U.S.', 'The U.S. embassy was shelled.'],
    ['Brig.', 'Brig. Gen. Haider Ali spoke.'],
    ['Gen.', 'Brig. Gen. Haider Ali spoke.'],
    ['a.m.', 'The blast came at 6 a.m. on Monday.'],
  ])('"%s" is one token in %j', (token, text) => {
    const s = segment(nlp, text);
    expect(s.tokens.map((t) => t.text)).toContain(token);
  });

  it('line breaks and tabs never become tokens', () => {
    const text = 'One\ttwo\r\nthree\n\nfour';
    const s = segment(nlp, text);
    expect(s.tokens.map((t) => t.text)).toEqual(['One', 'two', 'three', 'four']);
    expect(s.tokens.map((t) => t.start)).toEqual([0, 4, 9, 16]);
  });

  it('a token carries the index of its sentence', () => {
    const text = 'Rebels fled.\nTroops stayed.';
    const s = segment(nlp, text);
    expect(s.tokens.map((t) => `${t.text}:${t.sentence}`)).toEqual(['Rebels:0', 'fled:0', '.:0', 'Troops:1', 'stayed:1', '.:1']);
  });

  it('tags proper nouns and numbers', () => {
    const s = segment(nlp, 'Fighters attacked Kirkuk on Monday, killing 12 people.');
    const pos = new Map(s.tokens.map((t) => [t.text, t.pos]));
    expect(pos.get('Kirkuk')).toBe('PROPN');
    expect(pos.get('12')).toBe('NUM');
    expect(pos.get('.')).toBe('PUNCT');
  });
});

describe('segment: empty and blank input', () => {
  it.each([
    ['empty string', ''],
    ['spaces only', '   '],
    ['line breaks only', '\n\n\n'],
    ['CRLF and tabs only', '\r\n\t\r\n  \t'],
  ])('%s gives no tokens and no sentences', (_name, text) => {
    expect(segment(nlp, text)).toEqual({ tokens: [], sentences: [] });
  });
});
