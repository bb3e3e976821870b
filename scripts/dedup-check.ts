// How well a store merged retellings: for a store holding notes and their retellings (a retelling's id
// is its original's id with "-rel"), the canonical events, the share of them that hold accounts of more
// than one original note (wrong merges), and the share of retellings filed with their original (missed
// merges are the rest). Usage: npx tsx scripts/dedup-check.ts STORE.db
import Database from 'better-sqlite3';

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: npx tsx scripts/dedup-check.ts STORE.db\n');
  process.exit(2);
}
const db = new Database(file, { readonly: true });
const rows = db.prepare("SELECT m.report_id AS report, m.event_id AS event FROM mention m JOIN event e ON e.id = m.event_id WHERE e.status = 'active'").all() as { report: string; event: string }[];
const original = (id: string): string => id.replace(/-rel$/, '');
const notesOf = new Map<string, Set<string>>();
const eventsOf = new Map<string, Set<string>>();
for (const r of rows) {
  notesOf.set(r.event, (notesOf.get(r.event) ?? new Set()).add(original(r.report)));
  eventsOf.set(r.report, (eventsOf.get(r.report) ?? new Set()).add(r.event));
}
const mixed = [...notesOf.values()].filter((s) => s.size > 1).length;
let retellings = 0;
let joined = 0;
for (const [report, events] of eventsOf) {
  if (!report.endsWith('-rel')) continue;
  retellings++;
  const theirs = eventsOf.get(original(report));
  if (theirs && [...events].some((e) => theirs.has(e))) joined++;
}
const share = (a: number, b: number): number => Math.round((a / Math.max(1, b)) * 10_000) / 10_000;
process.stdout.write(`${JSON.stringify({ events: notesOf.size, events_of_several_notes: mixed, share_of_several_notes: share(mixed, notesOf.size), retellings, retellings_with_their_original: joined, share_joined: share(joined, retellings) }, null, 2)}\n`);
