// Casualties: how many were killed and injured, from numbers in digits and words ("two", "a dozen",
// "more than 20", "between 5 and 10"), summed over coordinated counts ("three police and a villager
// were injured" = 4), with "no casualties" as an explicit zero. Ranges keep low/best/high; the best
// figure is the most conservative, as ACLED codes it.

export type CasualtyKind = 'killed' | 'injured';

export interface CasualtyMention {
  readonly kind: 'casualty';
  readonly what: CasualtyKind;
  readonly start: number;
  readonly end: number;
  readonly text: string;
  readonly low: number;
  readonly best: number;
  readonly high: number;
  readonly rule: string;
}

const UNITS: Record<string, number> = {
  a: 1, an: 1, one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  eleven: 11, twelve: 12, thirteen: 13, fourteen: 14, fifteen: 15, sixteen: 16, seventeen: 17, eighteen: 18,
  nineteen: 19, twenty: 20, thirty: 30, forty: 40, fifty: 50, sixty: 60, seventy: 70, eighty: 80, ninety: 90,
  hundred: 100, both: 2, single: 1, lone: 1,
};

// What a vague quantity becomes; ACLED's convention is a conservative reading of the words.
const VAGUE: Record<string, number> = {
  'a dozen': 12, dozen: 12, dozens: 12, scores: 20, hundreds: 100, several: 3, 'a few': 3, few: 3, many: 3,
  'a number of': 3, multiple: 3, some: 3, a: 1, an: 1, another: 1, 'a couple of': 2, couple: 2, 'a pair of': 2,
};

const NUMBER_WORD = '(?:\\d{1,3}(?:,\\d{3})+|\\d+|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[- ](?:one|two|three|four|five|six|seven|eight|nine))?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|a dozen|dozens|scores|hundreds|several|a few|a number of|a couple of|a pair of|both|a|an|another|single|lone)';
const QUALIFIER = '(?:(at least|more than|over|nearly|almost|about|around|some|up to|as many as|an estimated|approximately|roughly)\\s+)?';
const RANGE = `(?:(\\d+)\\s*(?:-|–|to|or)\\s*(\\d+)|between\\s+(\\d+)\\s+and\\s+(\\d+))`;
const COUNT = new RegExp(`\\b${QUALIFIER}(?:${RANGE}|(${NUMBER_WORD}))\\b`, 'gi');

export function parseNumberWord(word: string): number | null {
  const w = word.toLowerCase().replace(/,/g, '');
  if (/^\d+$/.test(w)) return Number(w);
  if (w in VAGUE) return VAGUE[w]!;
  const parts = w.split(/[- ]/);
  let total = 0;
  for (const p of parts) {
    const v = UNITS[p];
    if (v === undefined) return null;
    total += v;
  }
  return total;
}

interface Count {
  start: number;
  end: number;
  low: number;
  best: number;
  high: number;
}

function countsIn(text: string, offset: number): Count[] {
  const out: Count[] = [];
  COUNT.lastIndex = 0;
  for (let m = COUNT.exec(text); m !== null; m = COUNT.exec(text)) {
    const qual = m[1]?.toLowerCase();
    const lo = m[2] ?? m[4];
    const hi = m[3] ?? m[5];
    let low: number;
    let high: number;
    if (lo !== undefined && hi !== undefined) {
      low = Number(lo);
      high = Number(hi);
    } else {
      const v = parseNumberWord(m[6]!);
      if (v === null) continue;
      low = v;
      high = qual === 'up to' || qual === 'as many as' ? v : v;
      if (qual === 'up to' || qual === 'as many as') low = Math.min(1, v);
      if (qual === 'more than' || qual === 'over' || qual === 'at least') high = v;
    }
    out.push({ start: offset + m.index, end: offset + m.index + m[0].length, low, best: Math.min(low, high), high: Math.max(low, high) });
  }
  return out;
}

const KILLED_VERB = /\b(killed|kill(?:s|ing)?|dead|died|slain|perished|lost their lives|lost his life|lost her life|beheaded|executed|shot dead|gunned down|(?:shot|beaten|stabbed|hacked|burned|burnt|bludgeoned|clubbed|strangled|tortured|stoned|lynched) to death|murdered|assassinated|lynched|death toll|deaths|fatalities|fatality|bodies)\b/gi;
const INJURED_VERB = /\b(injur(?:ed|ies|ing)|wound(?:ed|ing|s)?|hurt|maimed)\b/gi;
// "no one was killed", "no casualties were reported", "without casualties"
const NONE = /\b(?:no(?:body| one)?|none|without)\s+(?:\w+\s+){0,2}?(casualties|fatalities|deaths|injuries|killed|dead|hurt|injured|wounded|loss of life)\b/gi;

const CODED_FATALITIES = /\bfatalities\s+(?:were\s+)?coded\s+(?:as|to|at)\s+(\d{1,5})\b/gi;
/** The rule of a figure the writer says the events are coded with: it overrides the others. */
export const CODED_RULE = 'coded-fatalities';

// A window ends at sentence punctuation or a clause break; counts beyond it belong to other words.
const CLAUSE_BREAK = /[.;:!?]|\b(?:while|whereas|after|before|but)\b/gi;

function windowBefore(text: string, at: number, max = 80): number {
  const from = Math.max(0, at - max);
  const slice = text.slice(from, at);
  let cut = 0;
  CLAUSE_BREAK.lastIndex = 0;
  for (let m = CLAUSE_BREAK.exec(slice); m !== null; m = CLAUSE_BREAK.exec(slice)) cut = m.index + m[0].length;
  return from + cut;
}

const PERSON_AFTER = /^\s+(?:\w+\s+)?(?:soldier|civilian|man|woman|child|boy|girl|policeman|police officer|officer|person|farmer|villager|member|fighter|militant|student|teacher|journalist|worker|trader|attacker|bomber|gunman|protester|demonstrator|resident|commander|leader|official|guard|driver|pilot|herder|shepherd)\b/i;
const MONTH_NEAR = /^(?:st|nd|rd|th)?\s+(?:of\s+)?(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b/i;

/** Numbers that count something other than people: distances, times, years, dates, vehicles. */
function notACasualtyCount(text: string, c: Count): boolean {
  const after = text.slice(c.end, c.end + 14);
  const before = text.slice(Math.max(0, c.start - 12), c.start);
  if (/^\s*(?:km|kilomet|miles|metres|meters|hours|days|weeks|months|years|am|pm|percent|%|vehicles|cars|trucks|houses|homes|shops)/i.test(after)) return true;
  if (MONTH_NEAR.test(after) || /\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s*$/i.test(before)) return true;
  const n = text.slice(c.start, c.end);
  return /^(?:19|20)\d{2}$/.test(n.trim());
}

export function findCasualties(text: string): CasualtyMention[] {
  const out: CasualtyMention[] = [];
  const lower = text;
  for (const [what, re] of [['killed', KILLED_VERB], ['injured', INJURED_VERB]] as const) {
    re.lastIndex = 0;
    for (let m = re.exec(lower); m !== null; m = re.exec(lower)) {
      const verb = m[1]!.toLowerCase();
      const verbStart = m.index;
      const verbEnd = m.index + m[0].length;
      const stative = /^(?:dead|died|slain|perished|lost their lives|lost his life|lost her life|deaths|fatalities|fatality|bodies|death toll)$/.test(verb);
      const passive = /\b(?:was|were|been|are|is|being|be|left|leaving|reportedly|allegedly)\s+(?:(?:reportedly|allegedly|also|later|fatally|seriously|critically|badly|slightly)\s+)?$/i.test(text.slice(Math.max(0, verbStart - 30), verbStart));
      const from = windowBefore(text, verbStart);
      const before = countsIn(text.slice(from, verbStart), from).filter((c) => !notACasualtyCount(text, c));
      const last = before[before.length - 1];
      // "five wounded", "3 dead", "12 others injured": the count right before the verb
      const adjacent = last !== undefined && /^\s*(?:[\w'’-]+\s+){0,2}$/.test(text.slice(last.end, verbStart)) && !/\b(?:were|was|and|by)\b/i.test(text.slice(last.end, verbStart));
      let counts: Count[] = [];
      // 1. an active verb takes the count after it: "killed 12", "killing the attacker", "wounded two others"
      if (!stative && !passive && /^(?:killed|killing|kills|kill|wounding|injuring|wounded|injured|beheaded|executed|shot dead|gunned down|murdered|assassinated|lynched)$/.test(verb)) {
        const after = text.slice(verbEnd, verbEnd + 40);
        const c = countsIn(after, verbEnd).find((x) => !notACasualtyCount(text, x));
        if (c && /^\s*$/.test(text.slice(verbEnd, c.start).replace(/\b(?:at least|more than|over|some|about|around|nearly)\b/gi, ''))) {
          if (!/^an?$/i.test(text.slice(c.start, c.end).trim()) || PERSON_AFTER.test(text.slice(c.end, c.end + 30))) counts = [c];
        } else if (/^\s+(?:the|a|an|its|his|their)\s+(?:\w+\s+)?(?:attacker|bomber|gunman|driver|soldier|civilian|man|woman|commander|leader|officer|policeman|chief|boy|girl|child|teacher|guard|farmer|pilot|journalist|imam|priest|judge|mayor|governor|councillor|councilor|official|lawyer|activist|candidate|trader|shepherd|cleric|elder|villager|resident|student|worker|businessman|doctor|nurse)\b/i.test(after)) {
          const mm = /^\s+(?:the|a|an|its|his|their)\s+(?:\w+\s+)?\w+/i.exec(after)!;
          counts = [{ start: verbEnd, end: verbEnd + mm[0].length, low: 1, best: 1, high: 1 }];
        }
      }
      // 2. a passive or stative verb takes the counts before it in its clause: "two soldiers and a civilian were killed"
      if (counts.length === 0 && last && (stative || passive || adjacent)) {
        counts = [last];
        for (let i = before.length - 2; i >= 0; i--) {
          const between = text.slice(before[i]!.end, counts[0]!.start);
          // coordinated counts are summed, but not across another casualty verb ("2 killed and 5 wounded")
          if (/^\s*[\w'’-]*(?:\s+[\w'’-]+){0,3}\s*(?:,|and)\s*$/i.test(between) && !/\b(?:were|was|killed|dead|died|wounded|injured|hurt|arrested|burned|destroyed|abducted)\b/i.test(between)) counts.unshift(before[i]!);
          else break;
        }
        // "a" and "an" count only when the noun right after names a person ("a soldier was killed")
        counts = counts.filter((c) => !/^an?$/i.test(text.slice(c.start, c.end)) || PERSON_AFTER.test(text.slice(c.end, c.end + 30)));
      }
      // 3. one person, where the verb says so and no count does: "a former officer was shot dead", "the
      // driver was beaten to death" (the subject's number is the verb's)
      if (counts.length === 0 && /\bwas\s+(?:(?:reportedly|allegedly|also|later|fatally|seriously|critically|badly|slightly)\s+)?$/i.test(text.slice(Math.max(0, verbStart - 30), verbStart)) && !/\b(?:no|none|nobody|no one)\b/i.test(text.slice(from, verbStart))) {
        counts = [{ start: verbStart, end: verbEnd, low: 1, best: 1, high: 1 }];
      }
      if (counts.length === 0) continue;
      const low = counts.reduce((s, c) => s + c.low, 0);
      const best = counts.reduce((s, c) => s + c.best, 0);
      const high = counts.reduce((s, c) => s + c.high, 0);
      const start = Math.min(counts[0]!.start, verbStart);
      const end = Math.max(counts[counts.length - 1]!.end, verbEnd);
      out.push({ kind: 'casualty', what, start, end, text: text.slice(start, end), low, best, high, rule: `count-${what}` });
    }
  }
  // the coder's own figure, which stands whatever the report's words say: "Fatalities coded as 0 (VoJ
  // reported 1)", "unknown reported fatalities coded as 10"
  for (const m of text.matchAll(CODED_FATALITIES)) {
    const n = Number(m[1]);
    out.push({ kind: 'casualty', what: 'killed', start: m.index, end: m.index + m[0].length, text: m[0], low: n, best: n, high: n, rule: CODED_RULE });
  }
  NONE.lastIndex = 0;
  for (let m = NONE.exec(text); m !== null; m = NONE.exec(text)) {
    const w = m[1]!.toLowerCase();
    const whats: CasualtyKind[] = /casualties|loss/.test(w) ? ['killed', 'injured'] : /injur|hurt|wound/.test(w) ? ['injured'] : ['killed'];
    for (const what of whats) out.push({ kind: 'casualty', what, start: m.index, end: m.index + m[0].length, text: m[0], low: 0, best: 0, high: 0, rule: 'no-casualties' });
  }
  out.sort((a, b) => a.start - b.start);
  // one phrase, one count: drop a mention nested in another of the same kind
  return out.filter((c, i) => !out.some((o, j) => j !== i && o.what === c.what && o.start <= c.start && o.end >= c.end && (o.end - o.start > c.end - c.start || j < i)));
}
