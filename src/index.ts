// sitrep as a library: load the models once, then extract events from documents.
//   const models = loadModels();
//   const { events } = extractDocument({ id: 'r1', date: '2024-03-14', text, origin: { file: 'r1' }, messages: [] }, models);
export { extractDocument, loadModels, STAGES, type Models, type ExtractOptions } from './pipeline.js';
export { extractAll, type ExtractSummary } from './extract.js';
export { readInputs, type ReadItem, type ReadOptions } from './read/readers.js';
export { evaluate, type Metrics } from './eval/metrics.js';
export { importGeoNames, gazetteerStatus, type ImportSummary, type ImportOptions, type FileOutcome, type RowCounts } from './geo/import.js';
export { EventRecord, ExtractLine, Message, Span, EVENT_TYPES, jsonSchema } from './schema.js';
export type { Document } from './document.js';
