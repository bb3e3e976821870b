// Dedup's pieces that decide alone: the rarity reference and the order that picks an event's lead.
import { describe, expect, it } from 'vitest';
import { contentWords, leadsBefore, textSimilarity, wordRarity } from '../src/store/dedup.js';

describe('word rarity', () => {
  it('weighs a word by how few of the reference reports use it, and an unknown word as the rarest', () => {
    expect(wordRarity('kill')).toBeLessThan(wordRarity('police'));
    expect(wordRarity('police')).toBeLessThan(wordRarity('qwertyuiop'));
    expect(wordRarity('qwertyuiop')).toBe(wordRarity('zxcvbnmlkj'));
  });

  it('makes two accounts that share only common words less alike than two that share a rare name', () => {
    const a = contentWords('Police said gunmen killed two people on Monday.');
    const b = contentWords('Gunmen killed two people, police said on Monday in Mubi.');
    const c = contentWords('Gunmen killed two herders near Mubi, police said.');
    const d = contentWords('Gunmen killed two farmers near Gwoza, police said.');
    expect(textSimilarity(c, b, wordRarity)).toBeGreaterThan(textSimilarity(d, b, wordRarity));
    expect(textSimilarity(a, a, wordRarity)).toBeCloseTo(1, 6);
  });
});

describe('the lead account', () => {
  it('is the earliest report by date, a report without a date last, then the smaller id', () => {
    expect(leadsBefore({ date: '2024-06-07', reportId: 'z' }, { date: '2024-06-08', reportId: 'a' })).toBe(true);
    expect(leadsBefore({ date: null, reportId: 'a' }, { date: '2024-06-08', reportId: 'z' })).toBe(false);
    expect(leadsBefore({ date: '2024-06-08', reportId: 'z' }, { date: null, reportId: 'a' })).toBe(true);
    expect(leadsBefore({ date: '2024-06-07', reportId: 'a' }, { date: '2024-06-07', reportId: 'b' })).toBe(true);
    expect(leadsBefore({ date: '2024-06-07', reportId: 'b' }, { date: '2024-06-07', reportId: 'b' })).toBe(false);
  });
});
