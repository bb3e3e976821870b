// Which names of a place become lookup keys of the gazetteer. GeoNames' names are noisy for English
// copy (Iraq→Arāk, Thursday→Thursday Island, June→Unieux), so every key passes one filter: the base
// index's build and imported dumps share it, and lookups in imported places apply it again, so a word
// the team adds to the stop-words later is refused there too without importing again.
import { readFileSync } from 'node:fs';
import { readTsv } from '../nlp/lexicon.js';
import { dataPath } from '../paths.js';
import { Countries } from './countries.js';
import type { GeoName } from './geonames.js';
import { placeKey } from './names.js';

/** A place's own name, or one of GeoNames' alternate names, which are noisier and held to more. */
export type NameKind = 'name' | 'alternate' | 'area';

export function loadStopwords(): Set<string> {
  const words = new Set<string>();
  for (const line of readFileSync(dataPath('place-stopwords.txt'), 'utf8').split('\n')) {
    const w = line.trim();
    if (w && !w.startsWith('#')) words.add(placeKey(w));
  }
  return words;
}

/**
 * The surface forms of the actor dictionary: GeoNames gives some groups' names as alternate names of
 * places ("Taliban" for a town in Turkey), and in conflict reporting they name the group.
 */
function actorSurfaces(): Set<string> {
  const keys = new Set<string>();
  for (const { cols } of readTsv(dataPath('actors.tsv'))) for (const a of (cols[4] ?? '').split('|')) if (a) keys.add(placeKey(a));
  return keys;
}

// Alternate names in other scripts cannot match English copy; keep Latin letters only.
const LATIN = /^[\p{Script=Latin}\p{M}\s'’‘`ʼʿʾ.-]+$/u;

export class AliasFilter {
  private readonly stopwords = loadStopwords();
  private readonly actors = actorSurfaces();
  // Country names belong to the country table: "Iraq" as an alternate name of Arak must not shadow it.
  private readonly countries = new Countries();

  accepts(key: string, kind: NameKind): boolean {
    if (kind === 'alternate') {
      // short alternates ("Abu") are mostly other words; an actor's name names the group, not the place
      if (key.length < 5 || this.actors.has(key)) return false;
    }
    // (an admin area may bear a country's or a nationality's name: Ethiopia's Somali region, the State of
    // Mexico; the country table is asked first, so the area is read only where the words say area)
    return key.length >= 3 && !this.stopwords.has(key) && (kind === 'area' || !this.countries.lookup(key));
  }

  /** The accepted keys of some names of one kind. */
  keys(names: Iterable<string>, kind: NameKind): Set<string> {
    const out = new Set<string>();
    for (const n of names) {
      const key = placeKey(n);
      if (this.accepts(key, kind)) out.add(key);
    }
    return out;
  }

  /** The keys of a GeoNames row and their kind: a key that is also the row's own name counts as a name. */
  geoNameKeys(row: GeoName): Map<string, NameKind> {
    const out = new Map<string, NameKind>();
    for (const key of this.keys([row.name, row.asciiName], 'name')) out.set(key, 'name');
    if (row.alternateNames) {
      const latin = row.alternateNames.split(',').filter((a) => LATIN.test(a));
      for (const key of this.keys(latin, 'alternate')) if (!out.has(key)) out.set(key, 'alternate');
    }
    return out;
  }
}
