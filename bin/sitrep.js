#!/usr/bin/env node
// The sitrep command. Runs the compiled code in dist/ (built by `npm ci` / `npm run build`).
import { existsSync } from 'node:fs';

const entry = new URL('../dist/cli.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('sitrep: dist/ is missing; run `npm run build` (npm ci does it) first\n');
  process.exit(2);
}
const { main } = await import(entry.href);
// stdout closed early (`sitrep extract ... | head`): stop quietly
process.stdout.on('error', (err) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});
process.exitCode = await main(process.argv.slice(2));
