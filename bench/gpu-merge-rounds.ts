// Merges the files of several `bench/gpu.ts --rounds` calls (one warm device machine, one bundle) into one results
// file: their rows side by side, then each round's ratios, each target's median and worst, and gcnlab's rows by their
// place in the round, recomputed over all of them by bench/gpu-ratios.ts. Prints the summary as JSON.
//   node --import tsx bench/gpu-merge-rounds.ts --out FILE [--note TEXT] CALL.json ...
// Refuses calls whose rounds overlap (give the later call --first-round past the earlier's), or from other GPUs.
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { positionSummaries, roundRatios, targetSummaries } from './gpu-ratios.js';

type Row = Record<string, unknown>;
interface RoundsDoc { date: string; machine: { gpu?: string }; protocol: Record<string, unknown>; rows: Row[] }

const { values, positionals: files } = parseArgs({ options: { out: { type: 'string' }, note: { type: 'string' } }, allowPositionals: true });
const fail = (why: string): never => {
  process.stderr.write(`gpu-merge-rounds: ${why}\n`);
  process.exit(2);
};
if (!values.out || files.length < 1) fail('give --out FILE and the --rounds files to merge');

const docs = files.map((file) => {
  const doc = JSON.parse(readFileSync(file, 'utf8')) as RoundsDoc;
  if (!Array.isArray(doc.rows) || typeof doc.protocol?.rounds !== 'number') fail(`${file} is not a bench/gpu.ts --rounds file (no rows, or no protocol.rounds)`);
  return { file, doc, rounds: new Set(doc.rows.map((r) => (r.round as number | undefined) ?? 1)) };
});
const gpus = new Set(docs.map((d) => d.doc.machine?.gpu));
if (gpus.size > 1) fail(`the files come from different GPUs (${[...gpus].join('; ')}): merge one machine's calls only`);
docs.forEach((a, i) => docs.slice(i + 1).forEach((b) => {
  const both = [...a.rounds].filter((r) => b.rounds.has(r));
  if (both.length) fail(`${a.file} and ${b.file} both hold round ${both.join(', ')}: run the later call with --first-round past the earlier's last round`);
}));

const rows = docs.flatMap((d) => d.doc.rows);
const ratios = roundRatios(rows);
const targets = targetSummaries(ratios);
const positions = positionSummaries(rows);
const first = docs[0].doc;
const merged = {
  date: first.date,
  machine: first.machine,
  note: values.note,
  calls: docs.map(({ file, doc }) => ({ date: doc.date, rounds: doc.protocol.rounds, firstRound: doc.protocol.firstRound ?? 1, from: file.split('/').pop() })),
  protocol: { ...first.protocol, rounds: rows.length ? new Set(rows.map((r) => r.round)).size : 0, firstRound: undefined },
  rows,
  ratios,
  targets,
  positions,
};
writeFileSync(values.out!, `${JSON.stringify(merged, null, 2)}\n`);
process.stdout.write(`${JSON.stringify({ out: values.out, targets, positions: positions.map(({ position, rows: n, medianMs }) => ({ position, rows: n, medianMs })) })}\n`);
