// Export of stored events, shared by `sitrep export` and `GET /api/export`: a page of events at a time,
// each written as the extraction output would write it (CSV with ACLED's columns first, RFC 7946
// GeoJSON, or JSONL lines), so a million events stream out in constant memory.
import { formatWriter, type Format } from './output/formats.js';
import type { EventFilter, EventStore } from './store/store.js';

export const EXPORT_FORMATS = ['csv', 'geojson', 'jsonl'] as const satisfies readonly Format[];
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export const EXPORT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  geojson: 'application/geo+json',
  jsonl: 'application/x-ndjson',
};

/** The export as chunks of text, in date order, paging through the store. */
export async function* exportEvents(store: EventStore, filter: Omit<EventFilter, 'limit' | 'offset'>, format: ExportFormat, page = 5000): AsyncGenerator<string> {
  const writer = formatWriter(format);
  yield writer.header();
  for (let offset = 0; ; offset += page) {
    const events = await store.events({ ...filter, limit: page, offset });
    for (const e of events) {
      const first = await store.report(e.sources[0]!);
      yield writer.document({ id: e.sources[0]!, date: first?.date ?? null, events: [e], messages: [] });
    }
    if (events.length < page) break;
  }
  yield writer.footer();
}
