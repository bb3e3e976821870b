// Where sitrep finds its bundled data and keeps its caches. Resolved from this module's location so
// the CLI works from any working directory and from an npm install.
import { homedir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root: one level above src/ (tsx) or dist/ (compiled). */
export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export function dataPath(name: string): string {
  return path.join(PACKAGE_ROOT, 'data', name);
}

export function modulePath(...parts: string[]): string {
  return path.join(PACKAGE_ROOT, 'node_modules', ...parts);
}

/** Cache directory for built indexes: $SITREP_CACHE_DIR, else $XDG_CACHE_HOME/sitrep, else ~/.cache/sitrep. */
export function cacheDir(): string {
  if (process.env.SITREP_CACHE_DIR) return process.env.SITREP_CACHE_DIR;
  const base = process.env.XDG_CACHE_HOME || path.join(homedir(), '.cache');
  return path.join(base, 'sitrep');
}
