// Models for tests: loaded once per test file (the gazetteer index is built on first use and cached).
import { loadModels, type Models } from '../src/pipeline.js';

let models: Models | undefined;
export function testModels(): Models {
  models ??= loadModels();
  return models;
}
