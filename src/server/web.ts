// The built web UI (dist/web), served from the API's origin, and the headers every answer carries. The
// content security policy allows scripts from this origin only, so a report's text that reached the
// page as markup could still not run; the UI itself only ever writes report text as text.
import { createReadStream, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

const CSP = [
  "default-src 'self'",
  "script-src 'self'",
  // (maplibre sets element styles and draws from blob: and data: images and workers)
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export function securityHeaders(reply: FastifyReply): void {
  reply.header('x-content-type-options', 'nosniff');
  reply.header('x-frame-options', 'DENY');
  reply.header('referrer-policy', 'no-referrer');
  reply.header('cross-origin-opener-policy', 'same-origin');
  reply.header('cross-origin-resource-policy', 'same-origin');
  reply.header('permissions-policy', 'camera=(), microphone=(), geolocation=()');
  reply.header('content-security-policy', CSP);
}

/** GET of any path outside /api: a file of the build, or the page itself (the UI routes on the client). */
export function serveWeb(app: FastifyInstance, root: string): void {
  const base = path.resolve(root);
  const send = (reply: FastifyReply, file: string): FastifyReply => {
    const ext = path.extname(file);
    // (Vite names its assets by content hash: they never change under one name)
    reply.header('cache-control', file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
    return reply.type(TYPES[ext] ?? 'application/octet-stream').send(createReadStream(file));
  };
  app.get('/*', async (req, reply) => {
    let rel: string;
    try {
      rel = decodeURIComponent((req.params as { '*': string })['*'] ?? '');
    } catch {
      return reply.status(400).send({ error: 'a malformed path' });
    }
    if (rel.startsWith('api/') || rel === 'api') return reply.status(404).send({ error: `no route GET /${rel}` });
    const file = path.resolve(base, rel);
    // (a path that climbs out of the build is the page, not a file of the disk)
    if (rel && file.startsWith(base + path.sep) && existsSync(file) && statSync(file).isFile()) return send(reply, file);
    const index = path.join(base, 'index.html');
    if (!existsSync(index)) return reply.status(404).send({ error: 'the web UI is not built (npm run build)' });
    return send(reply, index);
  });
}
