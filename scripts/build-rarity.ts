// Build data/word-rarity.tsv: in how many of the team's own reports (the training reports of data/train
// and the bundled examples, all written by the team) each content word appears. Dedup weighs the words
// two accounts share by their rarity in this fixed reference, so that a decision depends on the two
// accounts alone, never on which reports the store happened to hold at the time: two workers filing in
// any order then decide as one process does.
//   npx tsx scripts/build-rarity.ts
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { PACKAGE_ROOT, dataPath } from '../src/paths.js';
import { readInputs } from '../src/read/readers.js';
import { contentWords } from '../src/store/dedup.js';

const sources = [dataPath('train'), path.join(PACKAGE_ROOT, 'examples', 'reports')];
const df = new Map<string, number>();
let reports = 0;
for await (const item of readInputs(sources, { maxDocumentBytes: 5_000_000 })) {
  if (item.kind !== 'document') continue;
  reports++;
  for (const w of contentWords(item.doc.text)) df.set(w, (df.get(w) ?? 0) + 1);
}
// (words of one report say nothing a word no report has would not: only those of two or more are kept)
const rows = [...df].filter(([, n]) => n > 1).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
const out = [
  '# word-rarity.tsv: in how many of the team\'s own reports each content word appears (the training reports',
  '# of data/train and the bundled examples of examples/reports, all written by the sitrep team; MIT, like',
  '# the project), for the rarity dedup weighs shared words by. Made by scripts/build-rarity.ts: edit that,',
  '# not this. Words of one report only are left out (they weigh as a word no report has).',
  `# reports\t${reports}`,
  '# columns: word (as dedup reads words: lower case, long words without -s/-es/-ed/-ing), reports using it',
  ...rows.map(([w, n]) => `${w}\t${n}`),
];
writeFileSync(dataPath('word-rarity.tsv'), `${out.join('\n')}\n`);
process.stdout.write(`${reports} reports, ${rows.length} words\n`);
