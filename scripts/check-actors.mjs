#!/usr/bin/env node
// Checks the invariants of the actor dictionary (data/actors.tsv) and the state-forces table
// (data/state-forces.tsv) before a build compiles them. Plain Node ESM, no dependencies.
//
//   node scripts/check-actors.mjs [actors.tsv] [state-forces.tsv]
//
// Fails (exit 1, one "file:line: message" per problem) on: a wrong column count, an inter code
// outside 1-8, a malformed country or period, an alias of two characters or fewer, an alias that is
// an English stopword, a weekday or month name or a bare common word, and one alias naming two
// different canonical actors in the same country at the same time (a line for a named country may
// override a "*" line). Warnings (redundant aliases within a line) are printed but do not fail.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const actorsFile = process.argv[2] ?? path.join(ROOT, 'data', 'actors.tsv');
const stateFile = process.argv[3] ?? path.join(ROOT, 'data', 'state-forces.tsv');

// Why these lists: the matcher is case-insensitive, so an alias that is also an everyday word
// ("let", "tip", "bra") or a time word ("may", "march") would turn ordinary prose into an actor.
const STOPWORDS = new Set(`a about above after again against all am an and any are as at be because been before
being below between both but by can could did do does doing down during each few for from further had has
have having he her here hers herself him himself his how i if in into is it its itself just me more most my
myself no nor not now of off on once only or other our ours ourselves out over own same she should so some
such than that the their theirs them themselves then there these they this those through to too under until
up very was we were what when where which while who whom why will with would you your yours yourself
yourselves also among amid per via upon within without onto toward towards yet ago still even ever`.split(/\s+/));

const TIME_WORDS = new Set(`monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thur
thurs fri sat sun january february march april may june july august september october november december jan
feb mar apr jun jul aug sep sept oct nov dec today tonight yesterday tomorrow weekend`.split(/\s+/));

// Bare words that name a kind of actor rather than an actor, and short everyday words that collide
// with acronyms. Either is fine inside a longer alias ("Islamic State", "Congress party").
const COMMON_WORDS = new Set(`state army base movement party group forces force militia militias rebel rebels
police military government congress council league union alliance front militant militants fighter fighters
gunmen troops soldiers people coalition brigade brigades network organization organisation committee
resistance national islamic popular revolutionary democratic liberation youth youths students farmers workers
protesters rioters civilians jihad unity justice freedom platform jubilee future elements shiites sunnis
muslims christians hindus bandits herdsmen herders separatists insurgents terrorists jihadists islamists
communist communists guerrillas mercenaries vigilantes gang gangs cartel cartels authorities regime junta
opposition tribe tribesmen clan militiamen security guards guard command corps division battalion unit
let sad fact spa fib aah tip bra bras lei cam can will won art act aim arm ban bar bat bay bet bid big bit box
bus car cat cut day den die dig dog dot dry due ear eat end era eye fan far fat fee fit fix fly fog fox fun gap
gas god gun hat hit hot ice ill ink jam jet job joy key kid kit lab lap law lay leg lie lip log lot low mad man
map mat mix mob mud net new nut oil old one pad pan pay pen pet pie pin pit pop pot put ram ran rat raw red rib
rid rob rod row rub run sea set sit six sky son sum tab tag tap tax tea ten tie tin toe ton top toy two van war
wax web wet win yes zoo aims arms band bank bold bomb call camp care case cash cell city club code core crew
cuts dare data deal door fast fire firm flag form fund game gate gold goal hope idea iron land life line link
list lord mass mind mine move name news note open pace pact park pass path peak plan post race raid rain rate
rest ride ring rise risk road rock role rule safe sale save seat sect ship shot side sign site star step stop
team term test time tour town vote wall ward wave week west east north south wind wing word work zone`.split(/\s+/));

const errors = [];
const warnings = [];
const err = (file, line, msg) => errors.push(`${path.basename(file)}:${line}: ${msg}`);
const warn = (file, line, msg) => warnings.push(`${path.basename(file)}:${line}: warning: ${msg}`);

/** The matcher's key: no diacritics, lower case, apostrophes dropped, other punctuation as spaces. */
function key(s) {
  return s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/['’‘`ʼʿʾ]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

const BOUND = /^(\d{4})(?:\.(0[1-9]|1[0-2]))?$/;

/** "2014.09-2021.08" → [start, end) in months since year 0; end is Infinity when open. */
function parseRange(text) {
  const dash = text.indexOf('-');
  if (dash < 0) return null;
  const a = BOUND.exec(text.slice(0, dash));
  const rest = text.slice(dash + 1);
  const b = rest === '' ? null : BOUND.exec(rest);
  if (!a || (rest !== '' && !b)) return null;
  const start = Number(a[1]) * 12 + (a[2] ? Number(a[2]) - 1 : 0);
  if (!b) return { start, end: Infinity, open: true };
  let end = Number(b[1]) * 12 + (b[2] ? Number(b[2]) - 1 : 0);
  // A period ends where the next begins: the boundary unit is shared, so "2004-2014" and "2014-"
  // do not overlap. A one-unit range ("2016-2016") covers that unit.
  if (end === start) end = start + (b[2] ? 1 : 12);
  if (end < start) return { start, end, bad: true };
  return { start, end, open: false };
}

const overlaps = (a, b) => a.start < b.end && b.start < a.end;

function readLines(file) {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    err(file, 0, `cannot read: ${e.message}`);
    return [];
  }
  if (text.includes('\r')) err(file, 0, 'carriage return found: use LF line endings');
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  const header = [];
  for (const l of lines) {
    if (!l.startsWith('#')) break;
    header.push(l);
  }
  const h = header.join('\n');
  if (header.length === 0) err(file, 1, 'missing the # header (what the file is, licence, sources, columns)');
  else if (!/licen[cs]e/i.test(h) || !/\bMIT\b/.test(h)) err(file, 1, 'header must state the licence (MIT)');
  return lines.map((text, i) => ({ text, n: i + 1 })).filter((l) => l.text !== '' && !l.text.startsWith('#'));
}

/** Checks one surface form; returns its key, or null when it is unusable. */
function checkSurface(file, n, s, what) {
  if (s === '') {
    err(file, n, `empty ${what} (stray "|"?)`);
    return null;
  }
  if (s !== s.trim()) err(file, n, `${what} "${s}" has leading or trailing spaces`);
  const k = key(s);
  if ([...s.trim()].length <= 2 || k.replace(/ /g, '').length <= 2) {
    err(file, n, `${what} "${s}" is two characters or fewer`);
    return null;
  }
  const words = k.split(' ');
  if (words.length === 1 && (STOPWORDS.has(k) || TIME_WORDS.has(k))) err(file, n, `${what} "${s}" is a stopword or weekday/month name`);
  else if (words.length === 1 && COMMON_WORDS.has(k)) err(file, n, `${what} "${s}" is a bare common word`);
  else if (words.every((w) => STOPWORDS.has(w) || TIME_WORDS.has(w))) err(file, n, `${what} "${s}" is made only of stopwords`);
  return k;
}

// ---- state-forces.tsv -------------------------------------------------------------------------
const stateNames = new Map(); // key → "iso2 (name|demonym)", for the cross-file check below
let stateCount = 0;
{
  const seenIso = new Map();
  const seenDemonym = new Map();
  for (const { text, n } of readLines(stateFile)) {
    const cols = text.split('\t');
    if (cols.length !== 5) {
      err(stateFile, n, `expected 5 TAB-separated columns (iso2, name, demonyms, military periods, police periods), found ${cols.length}`);
      continue;
    }
    stateCount++;
    const [iso, name, demonyms, military, police] = cols;
    if (!/^[A-Z]{2}$/.test(iso)) err(stateFile, n, `country "${iso}" is not an ISO 3166-1 alpha-2 code`);
    if (seenIso.has(iso)) err(stateFile, n, `country ${iso} already listed on line ${seenIso.get(iso)}`);
    seenIso.set(iso, n);
    if (name.trim() === '' || name !== name.trim()) err(stateFile, n, `bad country name "${name}"`);
    else stateNames.set(key(name), `${iso} (country name)`);
    if (demonyms !== '') {
      for (const d of demonyms.split('|')) {
        const k = checkSurface(stateFile, n, d, 'demonym');
        if (k === null) continue;
        if (seenDemonym.has(k)) err(stateFile, n, `demonym "${d}" already belongs to ${seenDemonym.get(k)}`);
        else seenDemonym.set(k, `${iso} (line ${n})`);
        stateNames.set(k, `${iso} (demonym)`);
      }
    }
    for (const [label, col] of [['military', military], ['police', police]]) {
      if (col === '') {
        err(stateFile, n, `${label} periods are empty`);
        continue;
      }
      const periods = col.split('|');
      let prev = null;
      periods.forEach((p, i) => {
        const r = parseRange(p);
        if (!r) return err(stateFile, n, `${label} period "${p}" is not YYYY[.MM]-[YYYY[.MM]]`);
        if (r.bad) return err(stateFile, n, `${label} period "${p}" ends before it starts`);
        if (r.open && i !== periods.length - 1) err(stateFile, n, `${label} period "${p}" is open-ended but not the last`);
        if (prev && r.start < prev.start) err(stateFile, n, `${label} periods are not in date order at "${p}"`);
        else if (prev && overlaps(prev, r)) err(stateFile, n, `${label} period "${p}" overlaps the one before it`);
        prev = r;
      });
    }
  }
}

// ---- actors.tsv -------------------------------------------------------------------------------
let actorCount = 0;
let aliasCount = 0;
{
  const byAlias = new Map(); // alias key → [{canonical, countries, range, n}]
  const byCanonical = new Map(); // canonical → [{inter, countries, range, n}]
  for (const { text, n } of readLines(actorsFile)) {
    const cols = text.split('\t');
    if (cols.length !== 6) {
      err(actorsFile, n, `expected 6 TAB-separated columns (canonical, inter, country, years, aliases, source), found ${cols.length}`);
      continue;
    }
    actorCount++;
    const [canonical, inter, country, years, aliases, source] = cols;
    if (canonical.trim() === '' || canonical !== canonical.trim()) err(actorsFile, n, `bad canonical name "${canonical}"`);
    if (!/^[1-8]$/.test(inter)) err(actorsFile, n, `inter "${inter}" is not a code from 1 to 8`);
    let countries = [];
    if (country === '*') countries = ['*'];
    else {
      countries = country.split('|');
      if (countries.some((c) => !/^[A-Z]{2}$/.test(c))) err(actorsFile, n, `country "${country}" is not "*" or ISO alpha-2 codes joined by "|"`);
      if (new Set(countries).size !== countries.length) err(actorsFile, n, `country "${country}" repeats a code`);
    }
    let range = { start: -Infinity, end: Infinity };
    if (years !== '') {
      const r = parseRange(years);
      if (!r) err(actorsFile, n, `years "${years}" is not empty or YYYY[.MM]-[YYYY[.MM]]`);
      else if (r.bad) err(actorsFile, n, `years "${years}" ends before it starts`);
      else range = r;
    }
    if (source.trim() === '') err(actorsFile, n, 'source is empty');

    const list = byCanonical.get(canonical) ?? [];
    for (const o of list) {
      if (o.inter !== inter && overlaps(o.range, range) && sharesCountry(o.countries, countries))
        err(actorsFile, n, `"${canonical}" has inter ${inter} here but ${o.inter} on line ${o.n} for the same time and country`);
      if (o.years === years && o.country === country) err(actorsFile, n, `"${canonical}" repeats line ${o.n} (same countries and years)`);
    }
    list.push({ inter, countries, range, n, years, country });
    byCanonical.set(canonical, list);

    if (aliases === '') {
      warn(actorsFile, n, `"${canonical}" has no aliases`);
      continue;
    }
    const inLine = new Map();
    for (const a of aliases.split('|')) {
      const k = checkSurface(actorsFile, n, a, 'alias');
      if (k === null) continue;
      aliasCount++;
      if (inLine.has(k)) {
        warn(actorsFile, n, `alias "${a}" matches the same text as "${inLine.get(k)}" (redundant)`);
        continue;
      }
      inLine.set(k, a);
      if (stateNames.has(k)) err(actorsFile, n, `alias "${a}" is a country name or demonym in state-forces.tsv (${stateNames.get(k)})`);
      const prior = byAlias.get(k) ?? [];
      for (const o of prior) {
        if (o.canonical !== canonical && aliasScopesMeet(o.countries, countries) && overlaps(o.range, range))
          err(actorsFile, n, `alias "${a}" maps to "${canonical}" here and to "${o.canonical}" on line ${o.n} in the same country and period`);
      }
      prior.push({ canonical, countries, range, n });
      byAlias.set(k, prior);
    }
  }
}

// A line for a named country takes precedence over a "*" line, so the two may share an alias
// ("al-Qaeda" is AQAP in Yemen and Al Qaeda elsewhere); two "*" lines, or two lines naming the same
// country, may not.
function aliasScopesMeet(a, b) {
  const wa = a.includes('*');
  const wb = b.includes('*');
  if (wa || wb) return wa && wb;
  return a.some((c) => b.includes(c));
}

function sharesCountry(a, b) {
  if (a.includes('*') || b.includes('*')) return true;
  return a.some((c) => b.includes(c));
}

for (const w of warnings) console.warn(w);
if (errors.length > 0) {
  for (const e of errors) console.error(e);
  console.error(`\n${errors.length} error(s). See data/README.md for the format.`);
  process.exit(1);
}
console.log(`ok: ${path.basename(actorsFile)} ${actorCount} actor lines, ${aliasCount} aliases; ${path.basename(stateFile)} ${stateCount} countries`);
