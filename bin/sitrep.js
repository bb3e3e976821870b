#!/usr/bin/env node
// The sitrep command: runs the compiled code in dist/ (npm ci and npm run build make it).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/bin.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('sitrep: dist/ is missing; run `npm run build` (npm ci does it) first\n');
  process.exit(2);
}
await import(entry.href);
