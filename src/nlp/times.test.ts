// Table-driven tests for findTimes: each row is an invented sentence, a report date, the expression
// the mention must cover (`at`), and the day, precision and tense an analyst would code.
// Report date 2016-11-03 is a Thursday: Mon 31 Oct, Tue 1 Nov, Wed 2 Nov; Fri 28 Oct, Sat 29 Oct, Sun 30 Oct.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { findTimes, type TimeMention, type TimePrecision } from './times.js';

interface Row {
  readonly text: string;
  readonly report: string | null;
  /** a piece of the expression the mention must contain (chooses the mention when there are several) */
  readonly at: string;
  readonly date: string | null;
  readonly precision: TimePrecision;
  readonly tense: 'past' | 'future';
}

const THU = '2016-11-03';

const ROWS: readonly Row[] = [
  // ---- weekdays point back to the most recent such day (Thursday report) ----
  { text: 'Gunmen fired on a minibus near the ferry landing on Tuesday.', report: THU, at: 'Tuesday', date: '2016-11-01', precision: 1, tense: 'past' },
  { text: 'Traders shut their stalls in protest on Thursday.', report: THU, at: 'Thursday', date: '2016-11-03', precision: 1, tense: 'past' },
  { text: 'A roadside bomb struck an army patrol late Wednesday.', report: THU, at: 'Wednesday', date: '2016-11-02', precision: 1, tense: 'past' },
  { text: 'Villagers said raiders drove off their cattle on Monday.', report: THU, at: 'Monday', date: '2016-10-31', precision: 1, tense: 'past' },
  { text: 'The barracks came under mortar fire on Sunday.', report: THU, at: 'Sunday', date: '2016-10-30', precision: 1, tense: 'past' },
  { text: 'Herders clashed with farmers over a well on Saturday.', report: THU, at: 'Saturday', date: '2016-10-29', precision: 1, tense: 'past' },
  { text: 'Police broke up a sit-in outside the court on Friday.', report: THU, at: 'Friday', date: '2016-10-28', precision: 1, tense: 'past' },
  { text: 'On Tuesday, fighters overran a border outpost.', report: THU, at: 'Tuesday', date: '2016-11-01', precision: 1, tense: 'past' },
  { text: "Tuesday's ambush left the northern road closed.", report: THU, at: 'Tuesday', date: '2016-11-01', precision: 1, tense: 'past' },
  { text: 'Shots were heard near the fuel depot on Sunday morning.', report: THU, at: 'Sunday', date: '2016-10-30', precision: 1, tense: 'past' },
  { text: 'Looters ransacked shops in the bazaar on Wednesday night.', report: THU, at: 'Wednesday', date: '2016-11-02', precision: 1, tense: 'past' },
  { text: 'A grenade was tossed into a bar on Friday afternoon.', report: THU, at: 'Friday', date: '2016-10-28', precision: 1, tense: 'past' },
  { text: 'The youths were detained after the match on the night of Tuesday.', report: THU, at: 'Tuesday', date: '2016-11-01', precision: 1, tense: 'past' },
  { text: 'Militiamen torched a granary last Thursday.', report: THU, at: 'Thursday', date: '2016-10-27', precision: 1, tense: 'past' },
  { text: 'Students were rounded up at the campus gate last Saturday.', report: THU, at: 'Saturday', date: '2016-10-29', precision: 1, tense: 'past' },
  { text: 'The clerk said he was beaten on Tuesday.', report: '2016-11-01', at: 'Tuesday', date: '2016-11-01', precision: 1, tense: 'past' },
  { text: 'The clerk said he was beaten last Tuesday.', report: '2016-11-01', at: 'Tuesday', date: '2016-10-25', precision: 1, tense: 'past' },
  { text: 'Sentries were attacked on Thursday.', report: '2016-01-01', at: 'Thursday', date: '2015-12-31', precision: 1, tense: 'past' },
  { text: 'An aide said on Friday that rebels had shelled the port on Wednesday.', report: THU, at: 'Wednesday', date: '2016-11-02', precision: 1, tense: 'past' },
  { text: 'An aide said on Friday that rebels had shelled the port on Wednesday.', report: THU, at: 'Friday', date: '2016-10-28', precision: 1, tense: 'past' },

  // ---- yesterday, last night, the previous night, today ----
  { text: 'Soldiers said the checkpoint was overrun yesterday.', report: THU, at: 'yesterday', date: '2016-11-02', precision: 1, tense: 'past' },
  { text: 'Yesterday, a mob burned the district office.', report: THU, at: 'Yesterday', date: '2016-11-02', precision: 1, tense: 'past' },
  { text: 'Rockets landed near the airstrip last night.', report: THU, at: 'last night', date: '2016-11-02', precision: 1, tense: 'past' },
  { text: 'Last night, gunmen seized a village elder.', report: THU, at: 'Last night', date: '2016-11-02', precision: 1, tense: 'past' },
  { text: 'Residents said the hamlet had been looted the previous night.', report: THU, at: 'previous night', date: '2016-11-02', precision: 1, tense: 'past' },
  { text: 'The convoy had been stopped at a roadblock the previous day.', report: THU, at: 'previous day', date: '2016-11-02', precision: 1, tense: 'past' },
  { text: 'Fighting flared overnight in the old quarter.', report: THU, at: 'overnight', date: '2016-11-02', precision: 1, tense: 'past' },
  { text: 'Hundreds of nurses marched to parliament today.', report: THU, at: 'today', date: '2016-11-03', precision: 1, tense: 'past' },
  { text: 'Earlier today, a hand grenade hit a tea shop.', report: THU, at: 'today', date: '2016-11-03', precision: 1, tense: 'past' },
  { text: 'A car bomb went off outside the ministry this morning.', report: THU, at: 'this morning', date: '2016-11-03', precision: 1, tense: 'past' },
  { text: 'Youths stoned a police van yesterday.', report: '2017-01-01', at: 'yesterday', date: '2016-12-31', precision: 1, tense: 'past' },
  { text: 'Youths stoned a police van yesterday.', report: '2016-03-01', at: 'yesterday', date: '2016-02-29', precision: 1, tense: 'past' },

  // ---- explicit days: day-month, month-day, with and without a year ----
  { text: 'Rebels ambushed a supply column on 9 May.', report: '2020-05-12', at: '9 May', date: '2020-05-09', precision: 1, tense: 'past' },
  { text: 'Rebels ambushed a supply column on May 9.', report: '2020-05-12', at: 'May 9', date: '2020-05-09', precision: 1, tense: 'past' },
  { text: 'Rebels ambushed a supply column on the 9th of May 2020.', report: '2020-06-01', at: '9th of May 2020', date: '2020-05-09', precision: 1, tense: 'past' },
  { text: 'Rebels ambushed a supply column on May 9, 2020.', report: '2020-06-01', at: 'May 9, 2020', date: '2020-05-09', precision: 1, tense: 'past' },
  { text: 'The depot was raided on Nov. 1, officials said.', report: THU, at: 'Nov. 1', date: '2016-11-01', precision: 1, tense: 'past' },
  { text: 'The depot was raided on 1 Nov 2016.', report: THU, at: '1 Nov 2016', date: '2016-11-01', precision: 1, tense: 'past' },
  { text: 'The chapel was vandalised on Sept. 12.', report: THU, at: 'Sept. 12', date: '2016-09-12', precision: 1, tense: 'past' },
  { text: 'Strikers blocked the port on the 3rd of November.', report: THU, at: '3rd of November', date: '2016-11-03', precision: 1, tense: 'past' },
  { text: 'The raid on 2016-10-30 left the market in ruins.', report: THU, at: '2016-10-30', date: '2016-10-30', precision: 1, tense: 'past' },
  { text: 'A bus was torched on 2 Jan in the hill district.', report: THU, at: '2 Jan', date: '2016-01-02', precision: 1, tense: 'past' },
  { text: 'Gunmen struck the toll gate on 29 February 2020.', report: '2020-03-05', at: '29 February 2020', date: '2020-02-29', precision: 1, tense: 'past' },

  // ---- a day without a year that would fall after the report belongs to the year before ----
  { text: 'The shrine was burned on 20 December.', report: THU, at: '20 December', date: '2015-12-20', precision: 1, tense: 'past' },
  { text: 'The shrine was burned on 5 November.', report: THU, at: '5 November', date: '2015-11-05', precision: 1, tense: 'past' },
  { text: 'Guards fired on smugglers on December 31.', report: '2017-01-02', at: 'December 31', date: '2016-12-31', precision: 1, tense: 'past' },
  { text: 'The ferry was seized on 9 May.', report: '2016-01-10', at: '9 May', date: '2015-05-09', precision: 1, tense: 'past' },

  // ---- months and years (ACLED's coarsest precision is the month) ----
  { text: 'The splinter faction first surfaced in June 2014.', report: THU, at: 'June 2014', date: '2014-06-01', precision: 3, tense: 'past' },
  { text: 'The army retook the valley in mid-July 2015.', report: THU, at: 'July 2015', date: '2015-07-01', precision: 3, tense: 'past' },
  { text: 'The curfew was first imposed in June of 2014.', report: THU, at: 'June of 2014', date: '2014-06-01', precision: 3, tense: 'past' },
  { text: 'The militia was founded in 2014 by former soldiers.', report: THU, at: '2014', date: '2014-01-01', precision: 3, tense: 'past' },
  { text: 'The town has been under siege since 1999.', report: THU, at: '1999', date: '1999-01-01', precision: 3, tense: 'past' },

  // ---- vague recent past ----
  { text: 'Troops pulled out of the garrison town last week.', report: THU, at: 'last week', date: '2016-10-27', precision: 2, tense: 'past' },
  { text: 'The bridge was blown up two weeks ago.', report: THU, at: 'two weeks ago', date: '2016-10-20', precision: 2, tense: 'past' },
  { text: 'Two weeks ago, a pastor was abducted.', report: THU, at: 'Two weeks ago', date: '2016-10-20', precision: 2, tense: 'past' },
  { text: 'The clinic was shelled three days ago.', report: THU, at: 'three days ago', date: '2016-10-31', precision: 1, tense: 'past' },
  { text: 'The clinic was shelled 5 days ago.', report: THU, at: '5 days ago', date: '2016-10-29', precision: 1, tense: 'past' },
  { text: 'Hundreds of families fled earlier this month.', report: THU, at: 'earlier this month', date: '2016-11-01', precision: 3, tense: 'past' },
  { text: 'The governor was sacked last month.', report: THU, at: 'last month', date: '2016-10-01', precision: 3, tense: 'past' },
  { text: 'The governor was sacked last month.', report: '2017-01-15', at: 'last month', date: '2016-12-01', precision: 3, tense: 'past' },

  // ---- future: plans and announcements ----
  { text: 'Teachers plan a walkout next Monday.', report: THU, at: 'Monday', date: '2016-11-07', precision: 1, tense: 'future' },
  // an explicit date a day after the report, told in the past: the report's time zone, not a plan
  { text: 'On 4 November 2016, militiamen exchanged fire with troops near the dam.', report: THU, at: '4 November 2016', date: '2016-11-04', precision: 1, tense: 'past' },
  { text: 'Unions will strike on 4 November 2016.', report: THU, at: '4 November 2016', date: '2016-11-04', precision: 1, tense: 'future' },
  { text: 'The trial opens on 20 November 2016.', report: THU, at: '20 November 2016', date: '2016-11-20', precision: 1, tense: 'future' },
  { text: 'The opposition will rally again next Thursday.', report: THU, at: 'Thursday', date: '2016-11-10', precision: 1, tense: 'future' },
  { text: 'A march is expected next Friday.', report: THU, at: 'Friday', date: '2016-11-04', precision: 1, tense: 'future' },
  { text: 'Drivers will block the highway this coming Friday.', report: THU, at: 'Friday', date: '2016-11-04', precision: 1, tense: 'future' },
  { text: 'A general strike begins tomorrow.', report: THU, at: 'tomorrow', date: '2016-11-04', precision: 1, tense: 'future' },
  { text: 'Unions will shut the mines on 10 November 2016.', report: THU, at: '10 November 2016', date: '2016-11-10', precision: 1, tense: 'future' },
  { text: 'A vote on the truce is scheduled for 10 December 2016.', report: THU, at: '10 December 2016', date: '2016-12-10', precision: 1, tense: 'future' },

  { text: 'Raiders struck a village overnight on Sunday.', report: THU, at: 'Sunday', date: '2016-10-30', precision: 1, tense: 'past' },
  // ---- days counted from the day told before them, else from the report's ----
  { text: 'Gunmen killed a trader on Monday. A day earlier, troops had raided the market.', report: THU, at: 'A day earlier', date: '2016-10-30', precision: 1, tense: 'past' },
  { text: 'Rebels shelled the camp on Sunday. The next day, they withdrew.', report: THU, at: 'The next day', date: '2016-10-31', precision: 1, tense: 'past' },
  { text: 'Villagers fought herders after a man was killed the day before.', report: THU, at: 'the day before', date: '2016-11-02', precision: 1, tense: 'past' },
  { text: 'Raiders burned a school on 30 October; two days later they returned.', report: THU, at: 'two days later', date: '2016-11-01', precision: 1, tense: 'past' },
  { text: 'Fighting raged near the dam on Monday, officials said on Wednesday. Three days before, the road was cut.', report: THU, at: 'Three days before', date: '2016-10-28', precision: 1, tense: 'past' },
  { text: 'The next day, rebels shelled the town.', report: THU, at: 'The next day', date: null, precision: 1, tense: 'past' },
  { text: 'Militants attacked a convoy earlier this week.', report: THU, at: 'earlier this week', date: '2016-10-31', precision: 2, tense: 'past' },
  // ---- ranges: the first day, within a week (precision 2) ----
  { text: 'Clashes between 1 and 3 November left the ridge road closed.', report: THU, at: 'between 1 and 3 November', date: '2016-11-01', precision: 2, tense: 'past' },
  { text: 'Troops shelled the valley from 29 to 31 October.', report: THU, at: 'from 29 to 31 October', date: '2016-10-29', precision: 2, tense: 'past' },
  { text: 'Fighting on 1-2 November drove families from the camp.', report: THU, at: '1-2 November', date: '2016-11-01', precision: 2, tense: 'past' },
  { text: 'Raids from October 3 to 20 emptied three villages.', report: THU, at: 'October 3 to 20', date: '2016-10-03', precision: 3, tense: 'past' },
  { text: 'Between 3 and 5 May 2015, rebels held the bridge.', report: THU, at: 'Between 3 and 5 May 2015', date: '2015-05-03', precision: 2, tense: 'past' },
  // ---- a day of the month alone, and months without a year ----
  { text: 'Gunmen raided the clinic on the 2nd.', report: THU, at: 'on the 2nd', date: '2016-11-02', precision: 1, tense: 'past' },
  { text: 'The depot was looted on the 25th, residents said.', report: THU, at: 'on the 25th', date: '2016-10-25', precision: 1, tense: 'past' },
  { text: 'Dozens were detained in October.', report: THU, at: 'in October', date: '2016-10-01', precision: 3, tense: 'past' },
  { text: 'The siege began in mid-August.', report: THU, at: 'mid-August', date: '2016-08-01', precision: 3, tense: 'past' },
  { text: 'Rebels took the town at the end of December.', report: THU, at: 'end of December', date: '2015-12-01', precision: 3, tense: 'past' },
  { text: 'Late September saw a wave of kidnappings.', report: THU, at: 'Late September', date: '2016-09-01', precision: 3, tense: 'past' },

  // ---- no report date: relative expressions stay unresolved, explicit dates still resolve ----
  { text: 'Gunmen fired on a minibus on Tuesday.', report: null, at: 'Tuesday', date: null, precision: 1, tense: 'past' },
  { text: 'Soldiers said the checkpoint was overrun yesterday.', report: null, at: 'yesterday', date: null, precision: 1, tense: 'past' },
  { text: 'Rockets landed near the airstrip last night.', report: null, at: 'last night', date: null, precision: 1, tense: 'past' },
  { text: 'Hundreds of nurses marched to parliament today.', report: null, at: 'today', date: null, precision: 1, tense: 'past' },
  { text: 'Rebels ambushed a supply column on May 9.', report: null, at: 'May 9', date: null, precision: 1, tense: 'past' },
  { text: 'Rebels ambushed a supply column on 9 May 2020.', report: null, at: '9 May 2020', date: '2020-05-09', precision: 1, tense: 'past' },
  { text: 'Rebels ambushed a supply column on May 9, 2020.', report: null, at: 'May 9, 2020', date: '2020-05-09', precision: 1, tense: 'past' },
  { text: 'The raid on 2016-10-30 left the market in ruins.', report: null, at: '2016-10-30', date: '2016-10-30', precision: 1, tense: 'past' },
  { text: 'The splinter faction first surfaced in June 2014.', report: null, at: 'June 2014', date: '2014-06-01', precision: 3, tense: 'past' },
  { text: 'The militia was founded in 2014 by former soldiers.', report: null, at: '2014', date: '2014-01-01', precision: 3, tense: 'past' },

  // ---- impossible calendar days resolve to nothing ----
  { text: 'The prison riot broke out on 31 February.', report: THU, at: '31 February', date: null, precision: 1, tense: 'past' },
  { text: 'The prison riot broke out on 31 February 2016.', report: THU, at: '31 February 2016', date: null, precision: 1, tense: 'past' },
  { text: 'The prison riot broke out on September 31, 2016.', report: THU, at: 'September 31', date: null, precision: 1, tense: 'past' },
  { text: 'The prison riot broke out on 29 February 2015.', report: THU, at: '29 February 2015', date: null, precision: 1, tense: 'past' },
  { text: 'The prison riot broke out on the 31st of June.', report: THU, at: '31st of June', date: null, precision: 1, tense: 'past' },
  { text: 'The prison riot broke out on 2015-02-29.', report: THU, at: '2015-02-29', date: null, precision: 1, tense: 'past' },
];

/** Texts in which there is no time expression at all. */
const NO_TIMES: readonly string[] = [
  'The convoy was ambushed 10 km from the town.',
  'Fighting lasted 3 hours before the rebels withdrew.',
  'The 2014-15 budget for the police was cut.',
  'He spent 12 years in exile.',
  'The group is thought to have 2000 fighters.',
  'Shots were fired at 10:30 near the gate.',
  'Seven people were hurt in the stampede.',
  // dates and weekdays that are names of places
  'Militants fired mortars at the July 7 neighbourhood.',
  'Police charged marchers in Monday Avenue.',
  'Shells fell at 7 July and the college area.',
  'Thousands took part in march through the capital.',
];

/** Texts where one expression gives way to a more exact one: only the second is a time. */
const YIELDS: readonly [string, string][] = [
  ['Gunmen killed twelve villagers in an overnight raid late on Sunday.', 'on Sunday'],
  ['Raiders struck a village overnight on Sunday.', 'on Sunday'],
];

function pick(row: Row): TimeMention {
  const mentions = findTimes(row.text, row.report);
  const m = mentions.find((t) => t.text.includes(row.at));
  if (!m) throw new Error(`no mention covering "${row.at}" in ${JSON.stringify(mentions.map((t) => t.text))}`);
  return m;
}

describe('findTimes', () => {
  it('has a table of at least 80 rows', () => {
    expect(ROWS.length).toBeGreaterThanOrEqual(80);
  });

  it.each(ROWS)('$text (report $report) → $at = $date p$precision $tense', (row) => {
    const m = pick(row);
    expect({ date: m.date, precision: m.precision, tense: m.tense }).toEqual({ date: row.date, precision: row.precision, tense: row.tense });
    expect(m.kind).toBe('time');
    expect(row.text.slice(m.start, m.end)).toBe(m.text);
  });

  it.each(YIELDS)('in %j only %j is a time', (text, kept) => {
    expect(findTimes(text, THU).map((t) => t.text)).toEqual([kept]);
    expect(findTimes(text, THU)[0]!.date).toBe('2016-10-30');
  });

  it.each(NO_TIMES)('finds no time in %j', (text) => {
    expect(findTimes(text, THU)).toEqual([]);
  });

  it('keeps one mention per expression, in text order', () => {
    const ms = findTimes('The raid on Wednesday, November 2 and the reprisal on Friday.', THU);
    for (let i = 1; i < ms.length; i++) expect(ms[i]!.start).toBeGreaterThanOrEqual(ms[i - 1]!.end);
    expect(ms.map((m) => m.date)).toEqual(['2016-11-02', '2016-11-02', '2016-10-28']);
  });

  it('gives the same results whatever the process time zone', () => {
    const here = path.dirname(fileURLToPath(import.meta.url));
    const root = path.resolve(here, '../..');
    const module = path.join(here, 'times.ts');
    const inputs = ROWS.map((r) => [r.text, r.report] as const);
    const script = [
      `const rows = JSON.parse(require('node:fs').readFileSync(0, 'utf8'));`,
      `import(${JSON.stringify(module)}).then((m) => {`,
      `  const tz = Intl.DateTimeFormat().resolvedOptions().timeZone;`,
      `  process.stdout.write(JSON.stringify({ tz, out: rows.map(([t, d]) => m.findTimes(t, d)) }));`,
      `});`,
    ].join('\n');
    const expected = JSON.stringify(inputs.map(([t, d]) => findTimes(t, d)));
    for (const TZ of ['Pacific/Kiritimati', 'America/Adak']) {
      const r = spawnSync(process.execPath, ['--import', 'tsx', '-e', script], {
        cwd: root,
        env: { ...process.env, TZ },
        input: JSON.stringify(inputs),
        encoding: 'utf8',
        timeout: 50_000,
      });
      expect(r.status, r.stderr).toBe(0);
      const got = JSON.parse(r.stdout) as { tz: string; out: unknown };
      expect(got.tz).toBe(TZ); // the child really ran in that zone
      expect(JSON.stringify(got.out)).toBe(expected);
    }
  });
});

describe('a slipped year in the lead', () => {
  it("reads last year's number within a week of the report's day as the report's year", () => {
    const [t] = findTimes('On 29 April 2019, in a coastal town, bus drivers protested against fuel prices.', '2020-04-30');
    expect(t!.date).toBe('2020-04-29');
    expect(t!.rule).toMatch(/year-slip/);
  });
  it('reads a lead dated a month after its report, told in the past, as the month before', () => {
    const [t] = findTimes('On 29 May 2020, presumed militants abducted a man in the village of Bambo.', '2020-05-01');
    expect(t!.date).toBe('2020-04-29');
    expect(t!.tense).toBe('past');
  });
  it('leaves a lead about a plan after the report alone', () => {
    const [t] = findTimes('On 29 May 2020, unions will march through the capital.', '2020-05-01');
    expect(t!.tense).toBe('future');
  });
  it('leaves a date months away from the report alone', () => {
    expect(findTimes('On 3 January 2019, rebels took the town.', '2020-04-30')[0]!.date).toBe('2019-01-03');
  });
  it('leaves a date that does not open the text alone', () => {
    const ts = findTimes('Drivers protested on Monday. A year earlier, on 29 April 2019, they had marched too.', '2020-04-30');
    expect(ts.find((t) => t.text.includes('2019'))!.date).toBe('2019-04-29');
  });
});
