// `sitrep bench`: speed and memory of extraction, measured in one run as ratios to a baseline that
// runs on the same documents in the same process (wink-nlp tokenisation and tagging alone), so the
// figures mean the same on a fast or a slow machine.
import { createContext, extractDocument, loadModels, STAGES, type Models } from './pipeline.js';
import type { Progress } from './progress.js';
import { readInputs, type ReadOptions } from './read/readers.js';
import { tokeniseOnly } from './nlp/segment.js';
import type { Document } from './document.js';
import { Gazetteer, lastBuildMs } from './geo/gazetteer.js';

export interface BenchResult {
  documents: number;
  tokens: number;
  events: number;
  startup_ms: number;
  models_ms: number;
  extract_s: number;
  tokenise_s: number;
  documents_per_s: number;
  tokens_per_s: number;
  ratio_to_tokenisation: number;
  peak_rss_mb: number;
  stage_share: Record<string, number>;
  /** the gazetteer: its build in this run if there was one, a later open, and a first lookup of a name */
  gazetteer: { build_ms: number | null; open_ms: number; lookup_us: number; names: number };
}

export async function runBench(inputs: readonly string[], read: ReadOptions, progress?: Progress): Promise<BenchResult> {
  const t0 = performance.now();
  const models = loadModels(progress);
  const modelsMs = performance.now() - t0;
  // performance.now() counts from process start: this is what a user waits for before the first document
  const startupMs = performance.now();

  const docs: Document[] = [];
  for await (const item of readInputs(inputs, read)) if (item.kind === 'document') docs.push(item.doc);
  if (docs.length === 0) throw new Error('bench: no documents in the input');

  const gazetteer = gazetteerFigures(docs);

  // warm both paths up so the JIT does not favour whichever runs second
  const warm = docs.slice(0, Math.min(200, docs.length));
  for (const d of warm) {
    tokeniseOnly(models.nlp, d.text);
    extractDocument(d, models);
  }

  let tokens = 0;
  const tk0 = performance.now();
  for (const d of docs) tokens += tokeniseOnly(models.nlp, d.text);
  const tokeniseS = (performance.now() - tk0) / 1000;

  let events = 0;
  progress?.start('bench: extracting', docs.length);
  const ex0 = performance.now();
  for (const d of docs) {
    events += extractDocument(d, models).events.length;
    progress?.tick(1);
  }
  const extractS = (performance.now() - ex0) / 1000;
  progress?.done(`${docs.length} documents`);

  const stageShare = stageProfile(docs.slice(0, Math.min(1000, docs.length)), models);
  return {
    documents: docs.length,
    tokens,
    events,
    startup_ms: Math.round(startupMs),
    models_ms: Math.round(modelsMs),
    extract_s: round(extractS),
    tokenise_s: round(tokeniseS),
    documents_per_s: Math.round(docs.length / extractS),
    tokens_per_s: Math.round(tokens / extractS),
    ratio_to_tokenisation: round(extractS / tokeniseS),
    peak_rss_mb: Math.round(process.resourceUsage().maxRSS / 1024),
    stage_share: stageShare,
    gazetteer,
  };
}

/**
 * The gazetteer opened again (as every later run opens it) and asked, without its memory, for every
 * distinct run of capitalised words in the documents: the lookups the places stage makes.
 */
function gazetteerFigures(docs: readonly Document[]): BenchResult['gazetteer'] {
  const o0 = performance.now();
  const g = Gazetteer.open();
  const openMs = performance.now() - o0;
  const names = new Set<string>();
  for (const d of docs) for (const m of d.text.matchAll(/\p{Lu}[\p{L}'’-]*(?:\s+\p{Lu}[\p{L}'’-]*){0,2}/gu)) names.add(m[0]);
  const l0 = performance.now();
  for (const n of names) g.lookup(n);
  const lookupUs = names.size ? ((performance.now() - l0) * 1000) / names.size : 0;
  g.close();
  return { build_ms: lastBuildMs === null ? null : Math.round(lastBuildMs), open_ms: Math.round(openMs), lookup_us: round(lookupUs), names: names.size };
}

/**
 * Share of pipeline time per stage, over a sample: where the time goes. The sample is run again until
 * at least a second has been measured, so that ten short reports give shares as steady as a thousand.
 */
function stageProfile(docs: readonly Document[], models: Models): Record<string, number> {
  const spent = new Map<string, number>();
  let measured = 0;
  do {
    for (const doc of docs) {
      const ctx = createContext(doc);
      for (const stage of STAGES) {
        const t = performance.now();
        stage.run(ctx, models);
        const ms = performance.now() - t;
        spent.set(stage.name, (spent.get(stage.name) ?? 0) + ms);
        measured += ms;
      }
    }
  } while (measured < 1000 && docs.length > 0);
  const total = [...spent.values()].reduce((a, b) => a + b, 0);
  return Object.fromEntries([...spent].map(([k, v]) => [k, round(v / total)]));
}

function round(x: number): number {
  return Math.round(x * 1000) / 1000;
}

export function formatBench(r: BenchResult): string {
  return [
    `documents          ${r.documents.toLocaleString('en')} (${r.tokens.toLocaleString('en')} tokens, ${r.events.toLocaleString('en')} events)`,
    `throughput         ${r.documents_per_s.toLocaleString('en')} documents/s, ${r.tokens_per_s.toLocaleString('en')} tokens/s (one core)`,
    `vs tokenisation    ${r.ratio_to_tokenisation.toFixed(2)}x the time of wink-nlp tokenisation + POS alone (${r.tokenise_s.toFixed(2)} s vs ${r.extract_s.toFixed(2)} s)`,
    `start-up           ${r.startup_ms} ms to first document (models ${r.models_ms} ms)`,
    `peak RSS           ${r.peak_rss_mb} MB`,
    `gazetteer          ${r.gazetteer.build_ms === null ? 'index already built' : `built in ${r.gazetteer.build_ms} ms`}; opens in ${r.gazetteer.open_ms} ms; ${r.gazetteer.lookup_us.toFixed(1)} µs a lookup (${r.gazetteer.names.toLocaleString('en')} distinct names, none from memory)`,
    `time by stage      ${Object.entries(r.stage_share).map(([k, v]) => `${k} ${(v * 100).toFixed(0)}%`).join(', ')}`,
  ].join('\n');
}
