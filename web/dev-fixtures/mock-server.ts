// Serves the built workbench (dist/web) with the mock API, for trying the UI in a browser or timing
// it without `sitrep serve`:  npx tsx web/dev-fixtures/mock-server.ts --port 8124 --events 10000
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer } from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createMockApi } from './mock-api.js';

const arg = (name: string, fallback: string): string => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] ?? fallback : fallback;
};
const root = fileURLToPath(new URL('../../dist/web/', import.meta.url));
const api = createMockApi({ events: Number(arg('events', '0')) });
const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.svg': 'image/svg+xml', '.png': 'image/png' };

const server = createServer((req, res) => {
  if (api.handle(req, res)) return;
  const url = new URL(req.url ?? '/', 'http://local');
  let file = path.join(root, decodeURIComponent(url.pathname));
  if (!file.startsWith(root) || !existsSync(file) || statSync(file).isDirectory()) file = path.join(root, 'index.html');
  res.writeHead(200, { 'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
  createReadStream(file).pipe(res);
});
server.listen(Number(arg('port', '8124')), '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.stderr.write(`mock: serving http://127.0.0.1:${port} (${api.size()} events)\n`);
});
