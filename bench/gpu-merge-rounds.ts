// Merges the files of several `bench/gpu.ts --rounds` calls (one card, one bundle, one protocol) into one results
// file: their rows side by side, then each round's ratios, each target's median and worst, and gcnlab's rows by their
// place in the round, recomputed over all of them by bench/gpu-ratios.ts. Prints the summary as JSON.
//   node --import tsx bench/gpu-merge-rounds.ts --out FILE [--note TEXT] CALL.json ...
// Refuses, naming the files: a file that is not a --rounds file, calls whose rounds overlap (give the later call
// --first-round past the earlier's), calls on other cards or from other bundles, or timed with other counts.
import { readFileSync, writeFileSync } from 'node:fs';
import { basename } from 'node:path';
import { parseArgs } from 'node:util';
import { roundsSummary } from './gpu-ratios.js';

type Row = Record<string, unknown>;
interface RoundsFile { date: string; machine: { card?: string; gpu?: string }; bundle?: string; protocol: Record<string, unknown>; rows: Row[] }

/** The counts every merged call must share. */
const SAME = ['runs', 'epochs', 'warmup'] as const;

const { values, positionals: files } = parseArgs({ options: { out: { type: 'string' }, note: { type: 'string' } }, allowPositionals: true });
const fail = (why: string): never => {
  process.stderr.write(`gpu-merge-rounds: ${why}\n`);
  process.exit(2);
};
if (!values.out || files.length < 1) fail('give --out FILE and the --rounds files to merge');

/** A file's round numbers: its rows' `round`s (a failed row has none), or where no row has one, those its protocol asked for. */
const roundNumbersOf = (doc: RoundsFile) => {
  const numbers = [...new Set(doc.rows.map((r) => r.round).filter((n): n is number => typeof n === 'number'))].sort((a, b) => a - b);
  if (numbers.length) return numbers;
  const first = typeof doc.protocol.firstRound === 'number' ? doc.protocol.firstRound : 1;
  return Array.from({ length: doc.protocol.rounds as number }, (_, i) => first + i);
};

/** The card a file ran on: bench/gpu.ts records it since 2026-12-08; before, the peers' rows said (`runsOn`). */
const cardOf = (doc: RoundsFile) => doc.machine?.card ?? [...new Set(doc.rows.map((r) => r.runsOn).filter((c): c is string => typeof c === 'string'))].join('; ');

const calls = files.map((file) => {
  let doc: RoundsFile;
  try {
    doc = JSON.parse(readFileSync(file, 'utf8')) as RoundsFile;
  } catch (error) {
    return fail(`${file} cannot be read as JSON: ${(error as Error).message}`);
  }
  if (!doc || typeof doc !== 'object' || !Array.isArray(doc.rows) || typeof doc.protocol?.rounds !== 'number') fail(`${file} is not a bench/gpu.ts --rounds file (no rows, or no protocol.rounds)`);
  const card = cardOf(doc);
  if (!card) fail(`${file} does not say which card it ran on (no machine.card, and no peer row's runsOn)`);
  return { file, doc, card, roundNumbers: roundNumbersOf(doc) };
});
const [first] = calls;
for (const c of calls.slice(1)) {
  if (c.card !== first.card) fail(`${first.file} ran on ${first.card} and ${c.file} on ${c.card}: merge one card's calls only`);
  if (c.doc.machine?.gpu !== first.doc.machine?.gpu) fail(`${first.file} ran through ${first.doc.machine?.gpu} and ${c.file} through ${c.doc.machine?.gpu}: merge one adapter and driver's calls only`);
  // A file from before bench/gpu.ts recorded its bundle says none: it merges only with others that say none.
  if (c.doc.bundle !== first.doc.bundle) fail(`${first.file} is bundle ${first.doc.bundle ?? '(not recorded)'} and ${c.file} bundle ${c.doc.bundle ?? '(not recorded)'}: merge one bundle's calls only`);
  for (const key of SAME) if (c.doc.protocol[key] !== first.doc.protocol[key]) fail(`${first.file} has ${key} ${first.doc.protocol[key]} and ${c.file} ${c.doc.protocol[key]}: merge calls timed alike only`);
}
calls.forEach((a, i) => calls.slice(i + 1).forEach((b) => {
  const both = a.roundNumbers.filter((r) => b.roundNumbers.includes(r));
  if (both.length) fail(`${a.file} and ${b.file} both hold round ${both.join(', ')}: run the later call with --first-round past the earlier's last round`);
}));

const rows = calls.flatMap((c) => c.doc.rows);
const { ratios, targets, positions } = roundsSummary(rows);
const roundNumbers = calls.flatMap((c) => c.roundNumbers).sort((a, b) => a - b);
const merged = {
  date: calls.map((c) => c.doc.date).sort()[0],
  machine: { ...first.doc.machine, card: first.card },
  bundle: first.doc.bundle,
  note: values.note,
  calls: calls.map((c) => ({ date: c.doc.date, from: basename(c.file), bundle: c.doc.bundle, rounds: c.roundNumbers.length, firstRound: c.roundNumbers[0] })),
  protocol: { ...first.doc.protocol, rounds: roundNumbers.length, firstRound: roundNumbers[0], roundNumbers },
  rows,
  ratios,
  targets,
  positions,
};
writeFileSync(values.out!, `${JSON.stringify(merged, null, 2)}\n`);
process.stdout.write(`${JSON.stringify({ out: values.out, rounds: roundNumbers.length, targets, positions: positions.map(({ position, rowCount, medianMs, relativeMedian }) => ({ position, rowCount, medianMs, relativeMedian })) })}\n`);
