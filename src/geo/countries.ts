// Countries: names as ACLED writes them, aliases and demonyms ("Iraqi" → Iraq), and a point for each,
// from world-countries (ODbL) with the team's overrides in data/countries.tsv.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dataPath } from '../paths.js';
import { placeKey } from './names.js';

// Country names keep a leading article: "El Salvador" is no "Salvador" (the Brazilian city), and
// placeKey drops the article only for the Arabic al-/el- of place names.
const countryKey = (name: string): string => placeKey(`x ${name}`).slice(2);

export interface Country {
  readonly iso2: string;
  /** the name as ACLED writes it */
  readonly name: string;
  readonly latitude: number;
  readonly longitude: number;
  readonly capital: string | null;
}

export interface CountryMatch {
  readonly country: Country;
  /** a demonym ("Iraqi") names the country's people or forces, not a place */
  readonly demonym: boolean;
}

interface WorldCountry {
  cca2: string;
  name: { common: string; official: string };
  altSpellings: string[];
  demonyms?: { eng?: { f: string; m: string } };
  independent?: boolean | null;
  latlng: [number, number];
  capital?: string[];
}

export class Countries {
  private readonly byKey = new Map<string, CountryMatch>();
  private readonly byIso = new Map<string, Country>();

  constructor(overridesTsv: string = readFileSync(dataPath('countries.tsv'), 'utf8')) {
    const require = createRequire(import.meta.url);
    const world = require('world-countries') as WorldCountry[];
    const overrides = new Map<string, { name: string; aliases: string[] }>();
    for (const line of overridesTsv.split('\n')) {
      if (line.startsWith('#') || line.trim() === '') continue;
      const [iso, name, aliases] = line.split('\t');
      overrides.set(iso!, { name: name!, aliases: (aliases ?? '').split('|').filter(Boolean) });
    }
    // (independent states first, so that they keep a shared demonym: "French" is France, not its
    // Southern Lands)
    for (const w of [...world].sort((a, b) => Number(b.independent === true) - Number(a.independent === true))) {
      const o = overrides.get(w.cca2);
      const country: Country = {
        iso2: w.cca2,
        name: o?.name ?? w.name.common,
        latitude: w.latlng[0],
        longitude: w.latlng[1],
        capital: w.capital?.[0] ?? null,
      };
      this.byIso.set(w.cca2, country);
      // two-letter codes ("IQ") in altSpellings would turn ordinary words into countries
      const names = [country.name, w.name.common, w.name.official, ...w.altSpellings.filter((s) => s.length > 3)];
      for (const n of names) this.add(n, country, false);
      const dem = w.demonyms?.eng;
      if (dem) for (const d of new Set([dem.m, dem.f])) if (d) this.add(d, country, true);
    }
    this.finish(overrides);
  }

  /** The team's aliases decide shared names ("Congo" is the DRC in conflict reporting). */
  private finish(overrides: ReadonlyMap<string, { aliases: string[] }>): void {
    for (const [iso, o] of overrides) {
      const country = this.byIso.get(iso);
      if (country) for (const a of [country.name, ...o.aliases]) this.byKey.set(countryKey(a), { country, demonym: false });
    }
  }

  private add(name: string, country: Country, demonym: boolean): void {
    const key = countryKey(name);
    if (key.length < 3) return;
    const prior = this.byKey.get(key);
    // a name wins over a demonym written the same way; the first country listed keeps a shared name
    if (!prior || (prior.demonym && !demonym)) this.byKey.set(key, { country, demonym });
  }

  lookup(surface: string): CountryMatch | undefined {
    const key = countryKey(surface);
    const hit = this.byKey.get(key);
    if (hit || !key.endsWith('s')) return hit;
    // a people in the plural: "Palestinians", "Iraqis"
    const one = this.byKey.get(key.slice(0, -1));
    return one?.demonym ? one : undefined;
  }

  byCode(iso2: string): Country | undefined {
    return this.byIso.get(iso2);
  }
}
