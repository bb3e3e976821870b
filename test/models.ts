// Models for tests: loaded once per test file (the gazetteer index is built on first use and cached).
import { createContext, loadModels, STAGES, type DocContext, type Models } from '../src/pipeline.js';
import { jsonlDocument } from '../src/read/readers.js';

let models: Models | undefined;
export function testModels(): Models {
  models ??= loadModels();
  return models;
}

/** One report through every stage, as a JSONL line would come in; without the classifier if asked. */
export function runReport(text: string, date = '2024-05-10', withClassifier = true): DocContext {
  const item = jsonlDocument(JSON.stringify({ id: 't', date, text }), { file: 'test', line: 1 }, { maxDocumentBytes: 1e6 });
  if (item.kind !== 'document') throw new Error(item.reason);
  const ctx = createContext(item.doc);
  const models = withClassifier ? testModels() : { ...testModels(), classifier: null };
  for (const stage of STAGES) stage.run(ctx, models);
  return ctx;
}
