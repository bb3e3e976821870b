// `GET /api/stream`: the store's changes as server-sent events, so the workbench redraws when an ingest
// (in this process or another, on the same database) files or changes an event. Each client polls the
// change log from the last sequence number it saw (its Last-Event-ID on reconnect, so nothing is missed
// across a dropped connection); a comment line every 15 s keeps proxies from closing an idle stream.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { EventStore } from '../store/store.js';

export interface ChangeStream {
  attach(req: FastifyRequest, reply: FastifyReply): void;
  close(): void;
}

export function changeStream(store: EventStore, pollMs: number): ChangeStream {
  const clients = new Set<() => void>();
  return {
    attach(req, reply) {
      const fromHeader = Number(req.headers['last-event-id']);
      const fromQuery = Number((req.query as Record<string, unknown> | undefined)?.after);
      reply.hijack();
      const res = reply.raw;
      res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache, no-transform', connection: 'keep-alive', 'x-content-type-options': 'nosniff' });
      res.write('retry: 2000\n\n');
      let last: number | null = Number.isInteger(fromHeader) && fromHeader >= 0 ? fromHeader : Number.isInteger(fromQuery) && fromQuery >= 0 ? fromQuery : null;
      let busy = false;
      const poll = async (): Promise<void> => {
        if (busy) return;
        busy = true;
        try {
          // (a new client starts from now: the page it loaded already shows what came before)
          last ??= await store.lastChangeSeq();
          for (;;) {
            const changes = await store.changesAfter(last, 500);
            for (const c of changes) {
              res.write(`id: ${c.seq}\nevent: change\ndata: ${JSON.stringify({ seq: c.seq, at: c.at, event_id: c.eventId, change: c.kind, ...(c.survivor ? { [c.kind === 'merged' ? 'merged_into' : 'split_from']: c.survivor } : {}) })}\n\n`);
              last = c.seq;
            }
            if (changes.length < 500) break;
          }
        } catch {
          // (the store was closed under us, or a transient error: the next poll tries again)
        } finally {
          busy = false;
        }
      };
      void poll();
      const timer = setInterval(() => void poll(), pollMs);
      const ping = setInterval(() => res.write(': ping\n\n'), 15_000);
      const end = (): void => {
        clearInterval(timer);
        clearInterval(ping);
        clients.delete(end);
        res.end();
      };
      clients.add(end);
      req.raw.on('close', end);
    },
    close() {
      for (const end of [...clients]) end();
    },
  };
}
