// Segmentation: tokens with character offsets and part of speech, sentences and paragraphs, by
// wink-nlp. Every later stage works on these offsets, so evidence always points into the original text.
import winkNLP from 'wink-nlp';
import model from 'wink-eng-lite-web-model';

export interface Token {
  readonly start: number;
  readonly end: number;
  /** the token as written */
  readonly text: string;
  /** lower-cased, for lexicon matching */
  readonly lower: string;
  /** universal POS tag from wink-nlp (PROPN, NOUN, VERB, NUM, ...) */
  readonly pos: string;
  readonly sentence: number;
}

export interface Sentence {
  readonly start: number;
  readonly end: number;
  /** token index range [firstToken, lastToken) */
  readonly firstToken: number;
  readonly lastToken: number;
  readonly paragraph: number;
}

export interface Segmentation {
  readonly tokens: readonly Token[];
  readonly sentences: readonly Sentence[];
}

export type Nlp = ReturnType<typeof winkNLP>;

/** Load the wink-nlp model once; the instance is passed to the pipeline, never kept in a global. */
export function loadNlp(): Nlp {
  return winkNLP(model);
}

/**
 * Split text into tokens and sentences. wink-nlp does not break sentences at line ends, but reports
 * put one sentence or heading a line and paragraphs between blank lines: a newline before a token
 * always starts a new sentence, and a blank line a new paragraph.
 */
export function segment(nlp: Nlp, text: string): Segmentation {
  const its = nlp.its;
  const doc = nlp.readDoc(text);
  const values = doc.tokens().out(its.value) as string[];
  const spaces = doc.tokens().out(its.precedingSpaces) as string[];
  const tags = doc.tokens().out(its.pos) as string[];
  const spans = doc.sentences().out(its.span) as unknown as [number, number][];

  // wink's sentence spans, as a per-token "starts a sentence" flag
  const startsSentence = new Uint8Array(values.length);
  for (const [first] of spans) startsSentence[first] = 1;

  const tokens: Token[] = [];
  const sentences: Sentence[] = [];
  let offset = 0;
  let paragraph = 0;
  let sentenceStart = 0;
  // wink-nlp returns line breaks and tabs as tokens of their own; they become breaks, not tokens
  let pendingBreak = '';
  for (let i = 0; i < values.length; i++) {
    const value = values[i]!;
    offset += spaces[i]!.length;
    if (value.trim() === '') {
      pendingBreak += value;
      offset += value.length;
      continue;
    }
    const newline = pendingBreak.includes('\n') || spaces[i]!.includes('\n');
    if (tokens.length > sentenceStart && (startsSentence[i] || newline)) {
      pushSentence(sentences, tokens, sentenceStart, tokens.length, paragraph);
      sentenceStart = tokens.length;
    }
    if (newline && /\n[^\S\n]*\n/.test(pendingBreak + spaces[i]!)) paragraph++;
    pendingBreak = '';
    tokens.push({ start: offset, end: offset + value.length, text: value, lower: value.toLowerCase(), pos: tags[i]!, sentence: sentences.length });
    offset += value.length;
  }
  if (tokens.length > sentenceStart) pushSentence(sentences, tokens, sentenceStart, tokens.length, paragraph);
  return { tokens, sentences };
}

function pushSentence(out: Sentence[], tokens: readonly Token[], first: number, last: number, paragraph: number): void {
  out.push({ start: tokens[first]!.start, end: tokens[last - 1]!.end, firstToken: first, lastToken: last, paragraph });
}

/** Tokenisation and tagging only, the baseline `sitrep bench` compares the full pipeline to. */
export function tokeniseOnly(nlp: Nlp, text: string): number {
  const doc = nlp.readDoc(text);
  return (doc.tokens().out(nlp.its.pos) as string[]).length;
}
