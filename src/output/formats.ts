// Output formats of `sitrep extract`: JSONL (one line a document), JSON (an array of the same), CSV
// (one row an event, ACLED's column names in ACLED's order for the columns we share, then ours) and
// GeoJSON (RFC 7946: a FeatureCollection of points; events without coordinates get a null geometry).
import type { EventRecord, ExtractLine } from '../schema.js';

export const FORMATS = ['jsonl', 'json', 'csv', 'geojson'] as const;
export type Format = (typeof FORMATS)[number];

/** ACLED's columns that sitrep fills, in ACLED's order, then sitrep's own. */
export const CSV_COLUMNS = [
  'event_id_cnty',
  'event_date',
  'year',
  'time_precision',
  'event_type',
  'sub_event_type',
  'actor1',
  'assoc_actor_1',
  'inter1',
  'actor2',
  'assoc_actor_2',
  'inter2',
  'iso',
  'country',
  'admin1',
  'admin2',
  'location',
  'latitude',
  'longitude',
  'geo_precision',
  'source',
  'fatalities',
  // sitrep's own
  'injuries',
  'fatalities_low',
  'fatalities_high',
  'background',
  'confidence',
  'report_date',
  'tags',
  'evidence',
] as const;

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  const s = typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

function csvRow(e: EventRecord, line: ExtractLine): string {
  const values: Record<(typeof CSV_COLUMNS)[number], unknown> = {
    event_id_cnty: e.event_id,
    event_date: e.event_date,
    year: e.event_date?.slice(0, 4) ?? null,
    time_precision: e.time_precision,
    event_type: e.event_type,
    sub_event_type: e.sub_event_type,
    actor1: e.actor1,
    assoc_actor_1: e.assoc_actor_1,
    inter1: e.inter1,
    actor2: e.actor2,
    assoc_actor_2: e.assoc_actor_2,
    inter2: e.inter2,
    iso: e.iso2,
    country: e.country,
    admin1: e.admin1,
    admin2: e.admin2,
    location: e.location,
    latitude: e.latitude,
    longitude: e.longitude,
    geo_precision: e.geo_precision,
    source: e.sources.join('; '),
    fatalities: e.fatalities,
    injuries: e.injuries,
    fatalities_low: e.fatalities_low,
    fatalities_high: e.fatalities_high,
    background: e.background,
    confidence: e.confidence,
    report_date: line.date,
    tags: e.tags.join(' '),
    evidence: e.evidence,
  };
  return CSV_COLUMNS.map((c) => csvCell(values[c])).join(',');
}

function feature(e: EventRecord): string {
  const { latitude, longitude, ...props } = e;
  const geometry = latitude !== null && longitude !== null ? { type: 'Point', coordinates: [longitude, latitude] } : null;
  return JSON.stringify({ type: 'Feature', id: e.event_id, geometry, properties: props });
}

/** A streaming writer: header, one chunk per document, footer. */
export interface FormatWriter {
  header(): string;
  document(line: ExtractLine): string;
  footer(): string;
}

export function formatWriter(format: Format): FormatWriter {
  let first = true;
  const sep = (): string => {
    const s = first ? '' : ',\n';
    first = false;
    return s;
  };
  switch (format) {
    case 'jsonl':
      return { header: () => '', document: (l) => `${JSON.stringify(l)}\n`, footer: () => '' };
    case 'json':
      return { header: () => '[\n', document: (l) => sep() + JSON.stringify(l), footer: () => (first ? ']\n' : '\n]\n') };
    case 'csv':
      return { header: () => `${CSV_COLUMNS.join(',')}\n`, document: (l) => l.events.map((e) => `${csvRow(e, l)}\n`).join(''), footer: () => '' };
    case 'geojson':
      return {
        header: () => '{"type":"FeatureCollection","features":[\n',
        document: (l) => l.events.map((e) => sep() + feature(e)).join(''),
        footer: () => (first ? ']}\n' : '\n]}\n'),
      };
  }
}
