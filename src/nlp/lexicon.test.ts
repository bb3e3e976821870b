import { describe, expect, it } from 'vitest';
import { Lexicon, PhraseIndex, patternSource } from './lexicon.js';

function lex(patterns: string[]): Lexicon<string> {
  return new Lexicon(patterns.map((p) => ({ pattern: p, value: p, where: 'test' })));
}

describe('pattern syntax', () => {
  it.each([
    ['air ?strikes?', 'airstrikes', true],
    ['air ?strikes?', 'air strike', true],
    ['air ?strikes?', 'air-strikes', true],
    ['car bomb', 'car-bomb', true],
    ['car bomb', 'car  bomb', true],
    ['car bomb', 'carbomb', false],
    ['ambush*', 'ambushed', true],
    ['clash(es|ed)?', 'clashed', true],
    ['clash(es|ed)?', 'clashing', false],
    ['i\\.e\\.d\\.', 'I.E.D.', true],
    ['live[- ]fire drill', 'live fire drill', true],
    ['live[- ]fire drill', 'live-fire drill', true],
  ])('%s on "%s" → %s', (pattern, text, hit) => {
    expect(lex([pattern]).matches(text).length > 0).toBe(hit);
  });

  it('matches on word boundaries only', () => {
    expect(lex(['raid']).matches('a braid and a raid').map((m) => m.start)).toEqual([14]);
  });

  it("matches a word in single quotes, never the tail of a word with an apostrophe", () => {
    expect(lex(['pounded']).matches("militants 'pounded' a base").map((m) => m.text)).toEqual(['pounded']);
    expect(lex(['pounded']).matches('militants ‘pounded’ a base').map((m) => m.text)).toEqual(['pounded']);
    expect(lex(['clock']).matches("at nine o'clock")).toEqual([]);
  });

  it('reports which entry fired, longest first', () => {
    const m = lex(['bomb', 'suicide bomb']).matches('a suicide bomb');
    expect(m.map((x) => x.entry.value)).toEqual(['suicide bomb']);
  });

  it('never matches the empty string, even when empty', () => {
    expect(lex([]).matches('anything at all')).toEqual([]);
  });

  it('keeps counted repeats and escapes the rest', () => {
    expect(lex(['seized (\\w+ ){0,2}town']).matches('seized the border town')).toHaveLength(1);
    expect(patternSource('u.s. led')).toBe('u\\.s\\.[\\s-]+led');
  });
});

describe('PhraseIndex', () => {
  const index = new PhraseIndex(['Al Shabaab', 'al-Shabaab fighters', 'Sana’a', 'U.S.', 'Boko Haram'].map((p) => ({ pattern: p, value: p, where: 'test' })));
  it('ignores case, hyphens, apostrophes and diacritics, longest first', () => {
    expect(index.matches('AL-SHABAAB fighters attacked').map((m) => [m.text, m.entry.value])).toEqual([['AL-SHABAAB fighters', 'al-Shabaab fighters']]);
    expect(index.matches('in Sanaa and Sana’a').map((m) => m.text)).toEqual(['Sanaa', 'Sana’a']);
    expect(index.matches('U.S. troops').map((m) => m.text)).toEqual(['U.S']);
  });
  it('matches whole words only', () => {
    expect(index.matches('Bokoharam and Boko Harami')).toEqual([]);
  });
});

describe('a lexicon larger than one regular expression', () => {
  // fillers of every length between the two patterns put them in different chunks of the alternation
  const fillers = Array.from({ length: 120 }, (_, i) => `q${'x'.repeat(2 + (i % 12))}${i}z`);
  const big = lex(['car bomb', 'suicide car bomb', 'bomb(s|ed)? (\\w+ ){0,2}market', ...fillers]);
  it('finds what one alternation of all its patterns finds: the first pattern in order at the leftmost place', () => {
    const text = 'A suicide car bomb hit the market; a car bomb bombed the old market; qxxx13z.';
    const got = big.matches(text).map((m) => [m.text, m.entry.pattern]);
    expect(got).toEqual([
      ['suicide car bomb', 'suicide car bomb'],
      ['car bomb', 'car bomb'],
      ['bombed the old market', 'bomb(s|ed)? (\\w+ ){0,2}market'],
      ['qxxx13z', 'qxxx13z'],
    ]);
  });
  it('looks on after a match another part of the lexicon would have overlapped', () => {
    // "bomb market" (a later chunk) starts inside "suicide car bomb" and is skipped, as one alternation would
    expect(big.matches('suicide car bomb market').map((m) => m.text)).toEqual(['suicide car bomb']);
  });
});
