// Time expressions: find them in the text and resolve each against the report date, as an analyst
// would: weekdays point back to the most recent such day (a Thursday report's "Thursday" is the same
// day, its "Tuesday" two days before), "yesterday" and "last night" are the day before, explicit days
// without a year take the report's year unless that would put them after the report. Pure functions of
// (text, report date): no clock, no process time zone.

import { parseNumberWord } from './casualties.js';

export type TimePrecision = 1 | 2 | 3;

export interface TimeMention {
  readonly kind: 'time';
  readonly start: number;
  readonly end: number;
  readonly text: string;
  /** resolved day (YYYY-MM-DD), or null when it needs a report date that is missing */
  readonly date: string | null;
  readonly precision: TimePrecision;
  /** past events are what happened; future ones are plans ("will march on Monday") */
  readonly tense: 'past' | 'future';
  readonly rule: string;
}

const MONTHS = ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'];
const MONTH_ABBR = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const WEEKDAYS = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];

const MONTH_RE = '(January|February|March|April|May|June|July|August|September|October|November|December|Jan\\.?|Feb\\.?|Mar\\.?|Apr\\.?|Jun\\.?|Jul\\.?|Aug\\.?|Sept?\\.?|Oct\\.?|Nov\\.?|Dec\\.?)';
const DAY_RE = '(\\d{1,2})(?:st|nd|rd|th)?';
const YEAR_RE = '((?:19|20)\\d{2})';
const PART_OF_DAY = '(?:\\s+(?:morning|afternoon|evening|night))?';

function monthIndex(word: string): number {
  const w = word.toLowerCase().replace(/\.$/, '');
  const full = MONTHS.indexOf(w);
  if (full >= 0) return full;
  return MONTH_ABBR.indexOf(w === 'sept' ? 'sep' : w);
}

// ---- calendar arithmetic on YYYY-MM-DD strings, in UTC so the process time zone never matters ----

function toUtc(day: string): number {
  return Date.UTC(Number(day.slice(0, 4)), Number(day.slice(5, 7)) - 1, Number(day.slice(8, 10)));
}

function fromUtc(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function addDays(day: string, n: number): string {
  return fromUtc(toUtc(day) + n * 86_400_000);
}

function weekday(day: string): number {
  return new Date(toUtc(day)).getUTCDay();
}

function ymd(y: number, m: number, d: number): string | null {
  const t = new Date(Date.UTC(y, m, d));
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== m || t.getUTCDate() !== d) return null;
  return fromUtc(t.getTime());
}

// ---- the rules: each a pattern and how to resolve it; order matters only for overlaps (longest wins) ----

interface Rule {
  readonly name: string;
  readonly re: RegExp;
  readonly resolve: (m: RegExpExecArray, reportDate: string | null) => { date: string | null; precision: TimePrecision; tense?: 'future' } | null;
}

// The words that make a time the day of the telling: "officials said on Monday", "told reporters late
// on Sunday", "the agency reported on Friday".
const ATTRIBUTION_BEFORE = /\b(?:said|says|told(?:\s+\S+){0,2}|reported|announced|added|stated|confirmed|claimed|tweeted|wrote|(?:in\s+a\s+)?statement)\s+$/i;

/** Whether a time is the day something was told, judged on its own sentence's words before it. */
export function isTellingTime(text: string, t: { start: number }, sentenceStart = 0): boolean {
  return ATTRIBUTION_BEFORE.test(text.slice(Math.max(sentenceStart, t.start - 40), t.start).replace(/^.*[.!?]\s+/s, ''));
}

/** Days from the anchor that a relative day expression counts: "a day earlier" -1, "two days later" +2. */
function relativeDays(expression: string): number {
  const e = expression.toLowerCase();
  const n = /^(a|one|two|three|four|five|\d) days? /.exec(e);
  const days = n ? parseNumberWord(n[1]!) ?? 1 : 1;
  return /previous|preceding|before|earlier/.test(e) ? -days : days;
}

/**
 * "Rebels shelled the town on Monday ... A day earlier, troops had ...": a relative day counts from the
 * nearest day told before it in the text (a day, precision 1), as a reader counts it; with none, a day
 * counted back counts from the report's day and one counted forward stays unresolved. Days after the
 * report and days of a telling are no anchors.
 */
function anchorRelativeDays(text: string, kept: TimeMention[], reportDate: string | null): void {
  // (the day something happened, not the day it was told: "..., officials said on Tuesday. A day earlier")
  for (let i = 0; i < kept.length; i++) {
    const t = kept[i]!;
    if (t.rule !== 'relative-day') continue;
    const anchor = [...kept.slice(0, i)].reverse().find((a) => a.rule !== 'relative-day' && a.precision === 1 && a.date && a.tense === 'past' && !isTellingTime(text, a));
    if (!anchor?.date) continue;
    const date = addDays(anchor.date, relativeDays(t.text));
    kept[i] = { ...t, date, tense: reportDate && date > addDays(reportDate, LATE_REPORT_DAYS) ? 'future' : 'past', rule: 'relative-day+anchor' };
  }
}

/** A range of days in one month: its first day, within a week (precision 2) or a month (3). */
function range(from: number, to: number, month: number, year: string | undefined, reportDate: string | null): { date: string | null; precision: TimePrecision } | null {
  if (to < from) return null;
  const date = year ? ymd(Number(year), month, from) : dayMonth(from, month, reportDate);
  return date ? { date, precision: to - from <= 6 ? 2 : 3 } : null;
}

/** A day and month without a year: the report's year, or the year before if that lands after the report. */
function dayMonth(d: number, m: number, reportDate: string | null): string | null {
  if (reportDate === null) return null;
  const year = Number(reportDate.slice(0, 4));
  const same = ymd(year, m, d);
  if (same !== null && same <= addDays(reportDate, 1)) return same;
  return ymd(year - 1, m, d);
}

const RULES: readonly Rule[] = [
  {
    name: 'iso-date',
    re: /\b((?:19|20)\d{2})-(\d{2})-(\d{2})\b/g,
    resolve: (m) => {
      const date = ymd(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
      return date ? { date, precision: 1 } : null;
    },
  },
  {
    name: 'day-month-year',
    re: new RegExp(`\\b${DAY_RE}\\s+(?:of\\s+)?${MONTH_RE}(?:,?\\s+${YEAR_RE})?(?![\\w-])`, 'gi'),
    resolve: (m, reportDate) => {
      const d = Number(m[1]);
      const mo = monthIndex(m[2]!);
      const date = m[3] ? ymd(Number(m[3]), mo, d) : dayMonth(d, mo, reportDate);
      return date ? { date, precision: 1 } : null;
    },
  },
  {
    name: 'month-day-year',
    re: new RegExp(`\\b${MONTH_RE}\\s+${DAY_RE}(?:,?\\s+${YEAR_RE})?(?![\\w-])`, 'gi'),
    resolve: (m, reportDate) => {
      const mo = monthIndex(m[1]!);
      const d = Number(m[2]);
      const date = m[3] ? ymd(Number(m[3]), mo, d) : dayMonth(d, mo, reportDate);
      return date ? { date, precision: 1 } : null;
    },
  },
  {
    // "between 3 and 5 May", "from 3 to 5 November", "1-2 November": the first day, within a week
    name: 'day-range',
    re: new RegExp(`\\b(?:(?:between|from)\\s+)?${DAY_RE}\\s*(?:-|–|to|and|until)\\s*${DAY_RE}\\s+(?:of\\s+)?${MONTH_RE}(?:,?\\s+${YEAR_RE})?(?![\\w-])`, 'gi'),
    resolve: (m, reportDate) => range(Number(m[1]), Number(m[2]), monthIndex(m[3]!), m[4], reportDate),
  },
  {
    // "May 3-5", "November 1 to 2"
    name: 'month-day-range',
    re: new RegExp(`\\b(?:(?:between|from)\\s+)?${MONTH_RE}\\s+${DAY_RE}\\s*(?:-|–|to|and|until)\\s*${DAY_RE}(?:,?\\s+${YEAR_RE})?(?![\\w-])`, 'gi'),
    resolve: (m, reportDate) => range(Number(m[2]), Number(m[3]), monthIndex(m[1]!), m[4], reportDate),
  },
  {
    // "on the 5th": a day of the report's month, or of the month before if that day is yet to come
    name: 'ordinal-day',
    re: new RegExp(`\\bon the (\\d{1,2})(?:st|nd|rd|th)\\b(?!\\s+(?:of\\s+)?${MONTH_RE})`, 'gi'),
    resolve: (m, reportDate) => {
      if (!reportDate) return null;
      const y = Number(reportDate.slice(0, 4));
      const mo = Number(reportDate.slice(5, 7)) - 1;
      const d = Number(m[1]);
      const same = ymd(y, mo, d);
      if (same && same <= addDays(reportDate, 1)) return { date: same, precision: 1 };
      const before = ymd(mo === 0 ? y - 1 : y, (mo + 11) % 12, d);
      return before ? { date: before, precision: 1 } : null;
    },
  },
  {
    // "in October", "mid-October", "late October", "at the end of October": the month, not the day,
    // of the report's year unless that month is yet to come
    name: 'month',
    // (the month capitalised: "took part in march" is a walk, "may attack in May" a month; a short form
    // only with its full stop: "in Mar del Plata" is a city)
    re: new RegExp(`\\b(?:[Ii]n|[Dd]uring|[Ss]ince|[Bb]y|([Ee]arly|[Mm]id|[Ll]ate)[- ]|(?:[Aa]t\\s+)?[Tt]he\\s+(?:end|beginning|start|middle)\\s+of)\\s*(?:the\\s+month\\s+of\\s+)?${MONTH_RE}\\b(?!(?<=\\b(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec))\\s+(?:de|del|la|el|[A-Z]))(?![\\s,]+(?:\\d|of\\s+\\d))`, 'g'),
    resolve: (m, reportDate) => {
      if (!reportDate) return null;
      const mo = monthIndex(m[2]!);
      const y = Number(reportDate.slice(0, 4));
      const date = ymd(y, mo, 1)! <= reportDate ? ymd(y, mo, 1) : ymd(y - 1, mo, 1);
      return date ? { date, precision: 3 } : null;
    },
  },
  {
    // "in June 2014", "June 2014": the month is known, not the day
    name: 'month-year',
    re: new RegExp(`\\b(?:(?:early|mid|late)[- ])?${MONTH_RE}\\s+(?:of\\s+)?${YEAR_RE}\\b`, 'gi'),
    resolve: (m) => {
      const date = ymd(Number(m[2]), monthIndex(m[1]!), 1);
      return date ? { date, precision: 3 } : null;
    },
  },
  {
    // "in 2014": ACLED has no year precision; a month is the coarsest it records
    name: 'year',
    re: /\b(?:in|since|during|of)\s+((?:19|20)\d{2})\b(?![-/])/gi,
    resolve: (m) => ({ date: `${m[1]}-01-01`, precision: 3 }),
  },
  {
    name: 'weekday',
    re: new RegExp(`\\b(?:(early|late|last|next|this|on|coming)\\s+)?(Sunday|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday)${PART_OF_DAY}\\b`, 'g'),
    resolve: (m, reportDate) => {
      if (reportDate === null) return null;
      const target = WEEKDAYS.indexOf(m[2]!.toLowerCase());
      const modifier = m[1]?.toLowerCase();
      if (modifier === 'next' || modifier === 'coming') {
        const ahead = (target - weekday(reportDate) + 7) % 7 || 7;
        return { date: addDays(reportDate, ahead), precision: 1, tense: 'future' };
      }
      const back = (weekday(reportDate) - target + 7) % 7;
      // "last Tuesday" in a Tuesday report means a week ago, not today
      return { date: addDays(reportDate, modifier === 'last' && back === 0 ? -7 : -back), precision: 1 };
    },
  },
  {
    name: 'yesterday',
    re: /\b(?:yesterday|last night|overnight)\b/gi,
    resolve: (_m, reportDate) => (reportDate ? { date: addDays(reportDate, -1), precision: 1 } : null),
  },
  {
    // "a day earlier", "the next day", "two days later": counted from the day told just before (see
    // `anchorRelativeDays`), else from the report's
    name: 'relative-day',
    re: /\b(?:the (?:previous|preceding) (?:day|night|evening)|the (?:day|night|evening) before|(?:a|one|two|three|four|five|\d) days? (?:earlier|before|later|after)|the (?:next|following) (?:day|morning|night|evening)|the day after)\b/gi,
    // (with nothing told before, a day counted forward from the report would be after it: unresolved)
    resolve: (m, reportDate) => (reportDate && relativeDays(m[0]) < 0 ? { date: addDays(reportDate, relativeDays(m[0])), precision: 1, tense: 'past' } : null),
  },
  {
    name: 'today',
    re: /\b(?:today|this (?:morning|afternoon|evening)|earlier today|tonight)\b/gi,
    resolve: (_m, reportDate) => (reportDate ? { date: reportDate, precision: 1 } : null),
  },
  {
    name: 'tomorrow',
    re: /\btomorrow\b/gi,
    resolve: (_m, reportDate) => (reportDate ? { date: addDays(reportDate, 1), precision: 1, tense: 'future' } : null),
  },
  {
    name: 'last-week',
    re: /\b(?:last|past|previous) week\b/gi,
    resolve: (_m, reportDate) => (reportDate ? { date: addDays(reportDate, -7), precision: 2 } : null),
  },
  {
    // "earlier this week": a few days back, but not before the week's Monday
    name: 'earlier-this-week',
    re: /\bearlier this week\b/gi,
    resolve: (_m, reportDate) => {
      if (!reportDate) return null;
      const monday = addDays(reportDate, -((weekday(reportDate) + 6) % 7));
      const back = addDays(reportDate, -3);
      return { date: back > monday ? back : monday, precision: 2 };
    },
  },
  {
    name: 'days-ago',
    re: /\b(two|three|four|five|six|\d{1,2}) (days|weeks) ago\b/gi,
    resolve: (m, reportDate) => {
      if (!reportDate) return null;
      const n = parseNumberWord(m[1]!) ?? 0;
      const days = m[2]!.toLowerCase() === 'weeks' ? n * 7 : n;
      return { date: addDays(reportDate, -days), precision: days <= 6 ? 1 : 2 };
    },
  },
  {
    name: 'earlier-this-month',
    re: /\b(?:earlier this month|last month)\b/gi,
    resolve: (m, reportDate) => {
      if (!reportDate) return null;
      if (m[0].toLowerCase() === 'last month') {
        const y = Number(reportDate.slice(0, 4));
        const mo = Number(reportDate.slice(5, 7)) - 1;
        return { date: ymd(mo === 0 ? y - 1 : y, (mo + 11) % 12, 1), precision: 3 };
      }
      return { date: `${reportDate.slice(0, 8)}01`, precision: 3 };
    },
  },
];

/** How many days after the report a date told without a word of the future may still be past. */
const LATE_REPORT_DAYS = 2;

/** Every time expression in text, resolved against reportDate; overlapping matches keep the longest. */
export function findTimes(text: string, reportDate: string | null): TimeMention[] {
  const found: TimeMention[] = [];
  for (const rule of RULES) {
    rule.re.lastIndex = 0;
    for (let m = rule.re.exec(text); m !== null; m = rule.re.exec(text)) {
      const resolved = rule.resolve(m, reportDate);
      const futureCue = /\b(?:will|to be held|planned|plans?|scheduled|expected)\b[^.]{0,40}$/i.test(text.slice(Math.max(0, m.index - 50), m.index));
      found.push({
        kind: 'time',
        start: m.index,
        end: m.index + m[0].length,
        text: m[0],
        date: resolved?.date ?? null,
        precision: resolved?.precision ?? 1,
        // a date a day or two after the report's, told in the past tense, is the report's time zone or
        // a slip, not a plan ("On 29 April, forces exchanged fire" in a report dated 28 April)
        tense: resolved?.tense ?? (futureCue || (resolved?.date && reportDate && resolved.date > addDays(reportDate, LATE_REPORT_DAYS)) ? 'future' : 'past'),
        rule: rule.name,
      });
    }
  }
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  const kept: TimeMention[] = [];
  for (const t of found) {
    const last = kept[kept.length - 1];
    if (last && t.start < last.end) continue;
    if (namesAPlace(text, t)) continue;
    kept.push(t);
  }
  // "overnight on Sunday", "an overnight raid ... late on Sunday": the day named says which night
  for (let i = kept.length - 1; i >= 0; i--) {
    const t = kept[i]!;
    if (!/^overnight$/i.test(t.text)) continue;
    const next = kept[i + 1];
    if (next && next.precision === 1 && next.start - t.end <= 120 && !/[.;]/.test(text.slice(t.end, next.start))) kept.splice(i, 1);
  }
  anchorRelativeDays(text, kept, reportDate);
  const first = kept[0];
  if (first && reportDate) {
    const fixed = yearSlip(text, first, reportDate);
    if (fixed) kept[0] = fixed;
  }
  return kept;
}

// A date or a weekday that is part of a name: "July 7 neighbourhood", "Monday Avenue", "fired at 7 July
// and Engineering College areas" (English says "on 7 July" for a time, never "at").
const PLACE_AFTER = /^\s+(?:neighbou?rhoods?|streets?|square|avenue|road|bridge|camp|stadium|market|hospital|school|university|district|quarter|roundabout|intersection)\b/i;
function namesAPlace(text: string, t: TimeMention): boolean {
  if (!/\d|day\b/i.test(t.text) || /\b(?:19|20)\d{2}\b/.test(t.text)) return false;
  return PLACE_AFTER.test(text.slice(t.end, t.end + 20)) || (/\d/.test(t.text) && /\bat\s+$/i.test(text.slice(Math.max(0, t.start - 4), t.start)));
}

/** How far from the report's day and month a slipped year may put the lead's date. */
const YEAR_SLIP_DAYS = 7;

/**
 * The lead's opening date written with last year's (or the year before's) number: "On 29 April 2019, in
 * Coquimbo, bus drivers protested" in a report of 30 April 2020. A lead that opens on a date, a year or
 * two back to within a week of the report's day, is a slip of the year, not a story about an
 * anniversary (which would say so): the report's year is meant. Only the text's first time, and only
 * when it opens the text.
 */
function yearSlip(text: string, t: TimeMention, reportDate: string): TimeMention | null {
  if (!t.date || t.precision !== 1 || t.start > 40 || !/\b(?:19|20)\d{2}\b/.test(t.text)) return null;
  if (!/^\s*(?:\w+\s+){0,3}$/.test(text.slice(0, t.start)) || !/^\s*(?:\([^()]{0,60}\)\s*)?,/.test(text.slice(t.end))) return null;
  const years = Number(reportDate.slice(0, 4)) - Number(t.date.slice(0, 4));
  // a lead dated after its report and told in the past ("On 29 May 2020, militants abducted ..." in a
  // report of 1 May 2020): the month slipped, the day a month earlier is meant when it is within a week
  const toldInPast = (): boolean => {
    const clause = text.slice(t.end, t.end + 100);
    return /\b(?:\w+ed|was|were|took|held|fought|shot|struck|set|threw|burnt|began|stole|hit)\b/i.test(clause) && !/\b(?:will|would|plans?|planned|scheduled|expected|to be held)\b/i.test(clause);
  };
  if (years === 0 && t.date > addDays(reportDate, LATE_REPORT_DAYS) && toldInPast()) {
    const y = Number(t.date.slice(0, 4));
    const mo = Number(t.date.slice(5, 7)) - 1;
    const earlier = ymd(mo === 0 ? y - 1 : y, (mo + 11) % 12, Number(t.date.slice(8, 10)));
    const gap = earlier ? (toUtc(reportDate) - toUtc(earlier)) / 86_400_000 : -1;
    return earlier && gap >= 0 && gap <= YEAR_SLIP_DAYS ? { ...t, date: earlier, tense: 'past', rule: `${t.rule}+month-slip` } : null;
  }
  if (years < 1 || years > 2) return null;
  const meant = `${reportDate.slice(0, 4)}${t.date.slice(4)}`;
  if (!ymd(Number(meant.slice(0, 4)), Number(meant.slice(5, 7)) - 1, Number(meant.slice(8, 10)))) return null;
  const gap = Math.abs(toUtc(meant) - toUtc(reportDate)) / 86_400_000;
  return gap <= YEAR_SLIP_DAYS ? { ...t, date: meant, rule: `${t.rule}+year-slip` } : null;
}
