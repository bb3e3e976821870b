// Train the event sub-type classifier on gold documents and write its weights.
//   npx tsx scripts/train-classifier.ts [--holdout 0/5] [--out data/models/event-classifier.json] GOLD.jsonl...
// Documents whose fold is the held-out one are never trained on; the script then extracts them with the
// new weights and prints (and stores in the model file) the metrics on them.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { foldOf, parseFold } from '../src/eval/folds.js';
import { evaluate, type GoldDoc, type PredDoc } from '../src/eval/metrics.js';
import { EventClassifier, train, type TrainingExample } from '../src/nlp/classifier.js';
import { candidateFeatures, CLASSIFIER_FILE, createContext, extractDocument, loadModels, STAGES, type Models } from '../src/pipeline.js';
import { jsonlDocument } from '../src/read/readers.js';
import { SUB_EVENT_TYPES, type SubEventType } from '../src/schema.js';

const { values, positionals } = parseArgs({ options: { holdout: { type: 'string', default: '0/5' }, out: { type: 'string', default: CLASSIFIER_FILE } }, allowPositionals: true });
const fold = parseFold(values.holdout);
if (!fold || positionals.length === 0) {
  process.stderr.write('usage: train-classifier.ts [--holdout K/N] [--out FILE] GOLD.jsonl...\n');
  process.exit(2);
}

const base = loadModels();
// features must not depend on an older classifier: extract with the rules alone
const models: Models = { ...base, classifier: null };
const STAGES_BEFORE_RESOLVE = STAGES.filter((s) => s.name !== 'resolve');

interface Loaded {
  file: string;
  docs: GoldDoc[];
}
const loaded: Loaded[] = positionals.map((file) => ({
  file,
  docs: readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as GoldDoc),
}));

/** Training examples of one document: each candidate labelled with the gold event it tells. */
function examples(doc: GoldDoc, line: number, file: string): TrainingExample[] {
  if (doc.score?.type === false) return [];
  const labels = doc.events.map((e) => e.sub_event_type).filter((s): s is SubEventType => typeof s === 'string' && SUB_EVENT_TYPES.includes(s as SubEventType));
  if (labels.length === 0 || labels.length !== doc.events.length) return [];
  const item = jsonlDocument(JSON.stringify({ id: doc.id, date: doc.date, text: doc.text }), { file, line }, { maxDocumentBytes: 5e6 });
  if (item.kind !== 'document') return [];
  const ctx = createContext(item.doc);
  for (const stage of STAGES_BEFORE_RESOLVE) stage.run(ctx, models);
  const out: TrainingExample[] = [];
  const single = new Set(labels).size === 1;
  // the classify stage ran with the rules alone: its candidates, roles and casualties are what inference sees
  ctx.classified.forEach((c, i) => {
    // a note with one kind of event labels every candidate; otherwise candidates align with events in order
    const label = single ? labels[0] : ctx.classified.length === labels.length ? labels[i] : undefined;
    if (!label) return;
    out.push({ features: candidateFeatures(ctx, c, c.cls), label });
  });
  return out;
}

const training: TrainingExample[] = [];
const heldOut = new Map<string, GoldDoc[]>();
for (const { file, docs } of loaded) {
  const kept: GoldDoc[] = [];
  docs.forEach((doc, i) => {
    if (foldOf(doc.id, fold.n) === fold.k) kept.push(doc);
    else training.push(...examples(doc, i + 1, file));
  });
  heldOut.set(file, kept);
  process.stderr.write(`${path.basename(file)}: ${docs.length - kept.length} documents for training, ${kept.length} held out\n`);
}
process.stderr.write(`training on ${training.length} candidate events\n`);
const fitted = train(training);

// measure on the held-out fold with the new weights
const classifier = new EventClassifier({ ...fitted, trainedOn: '' });
const scored: Record<string, number> = {};
for (const [file, docs] of heldOut) {
  if (docs.length === 0) continue;
  const preds = new Map<string, PredDoc>();
  docs.forEach((doc, i) => {
    const item = jsonlDocument(JSON.stringify({ id: doc.id, date: doc.date, text: doc.text }), { file, line: i + 1 }, { maxDocumentBytes: 5e6 });
    if (item.kind === 'document') preds.set(doc.id, { id: doc.id, events: extractDocument(item.doc, { ...base, classifier }).events as unknown as Record<string, unknown>[] });
  });
  const m = evaluate(docs, preds).metrics;
  const name = path.basename(file, '.jsonl');
  for (const k of ['event_type', 'sub_event_type', 'sub_event_type_weighted_f1', 'sub_event_type_macro_f1', 'overgeneration'] as const) {
    const v = m[k];
    if (typeof v === 'number') scored[`${name}:${k}`] = Math.round(v * 10000) / 10000;
  }
}
process.stderr.write(`held out (fold ${values.holdout}): ${JSON.stringify(scored, null, 2)}\n`);

const trainedOn = `${positionals.map((f) => path.basename(f)).join(', ')}, all documents except fold ${values.holdout} of the base id (FNV-1a), ${training.length} candidate events; trained ${new Date().toISOString().slice(0, 10)} by scripts/train-classifier.ts`;
writeFileSync(values.out, `${JSON.stringify({ version: 1, trainedOn, heldOut: scored, classes: fitted.classes, bias: fitted.bias, weights: fitted.weights })}\n`);
process.stderr.write(`wrote ${values.out} (${Object.keys(fitted.weights).length} features, ${fitted.classes.length} classes)\n`);
