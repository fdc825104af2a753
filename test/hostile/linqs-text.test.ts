// LINQS text (unpinned: a data folder's citeseer.content/.cites, or a tarball in the cache) made of millions of
// tiny lines, or one line of millions of words: refused within seconds under a 3 GB address-space limit with a
// DataFormatError naming the file. Before, a 24 MB tarball of 10 million lines kept 2 GB of line strings and word
// arrays and aborted the process (heap out of memory) after minutes.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { tarGz } from '../helpers/linqs.js';
import { describeOutcome, runLoader } from './limited.js';

/** `count` lines of one paper each: id, one word, a class. */
function tinyPapers(count: number): string {
  const lines: string[] = [];
  for (let i = 0; i < count; i++) lines.push(`${i} 1 c`);
  return lines.join('\n') + '\n';
}

const SMALL_CONTENT = 'a 1 0 x\nb 0 1 y\n';

const CASES: [string, { content: string; cites: string }, RegExp][] = [
  ['5 million one-word papers (59 MB)', { content: tinyPapers(5_000_000), cites: 'a b\n' }, /file 'citeseer\.content' could not be read: it holds more than 200000 papers/],
  ['16 million citations (64 MB)', { content: SMALL_CONTENT, cites: 'a b\n'.repeat(16_000_000) }, /file 'citeseer\.cites' could not be read: it holds more than 1000000 citations/],
  ['one paper of 30 million words', { content: `a ${'0 '.repeat(30_000_000)}x\n`, cites: 'a a\n' }, /file 'citeseer\.content' could not be read: line 1 has more than 100000 features/],
  ['a valid first line, then a paper of 30 million words', { content: `a 1 0 x\nb ${'0 '.repeat(30_000_000)}y\n`, cites: 'a b\n' }, /file 'citeseer\.content' could not be read: line 2 has more than 2 features but line 1 has 2/],
  // No-break spaces are not LINQS's separators: such a line is one word to the count and to the split alike (split on
  // JavaScript's \s, 10 million of them made a graph of 10 million features).
  ['one paper of 10 million words between no-break spaces', { content: `a ${'0\u00a0'.repeat(10_000_000)}1 x\n`, cites: 'a a\n' }, /file 'citeseer\.content' could not be read: line 1, feature 1 is '0\u00a00.*', not a finite number/],
  ['a valid first line, then 10 million words between ideographic spaces', { content: `a 1 0 x\nb ${'0\u3000'.repeat(10_000_000)}1 0 y\n`, cites: 'a b\n' }, /file 'citeseer\.content' could not be read: line 2, feature 1 is '0\u30000.*', not a finite number/],
];

describe('LINQS text of millions of lines or words', () => {
  for (const [what, files, message] of CASES) {
    it(`${what} in a data folder: DataFormatError naming the file, in seconds, under 3 GB`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'gcnlab-hostile-'));
      try {
        mkdirSync(join(dir, 'citeseer'));
        writeFileSync(join(dir, 'citeseer', 'citeseer.content'), files.content);
        writeFileSync(join(dir, 'citeseer', 'citeseer.cites'), files.cites);
        const report = await runLoader({ call: 'load', dataset: 'citeseer', options: { dataDir: dir, format: 'linqs' } });
        assert.equal(report.error, 'DataFormatError', describeOutcome(report.outcome));
        assert.match(report.message!, message);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }

  it('a 24 MB tarball of 10 million one-word papers, cached with its recorded hash: refused, not a crash', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'gcnlab-hostile-cache-'));
    try {
      const archive = tarGz({ 'citeseer/citeseer.content': tinyPapers(10_000_000), 'citeseer/citeseer.cites': '1 2\n' });
      mkdirSync(join(cacheDir, 'citeseer'));
      writeFileSync(join(cacheDir, 'citeseer', 'citeseer.tgz'), archive);
      writeFileSync(join(cacheDir, 'citeseer', 'citeseer.tgz.sha256'), `${createHash('sha256').update(archive).digest('hex')}  citeseer.tgz\n`);
      const report = await runLoader({ call: 'load', dataset: 'citeseer', options: { format: 'linqs', cacheDir, download: false } });
      assert.equal(report.error, 'DataFormatError', describeOutcome(report.outcome));
      assert.match(report.message!, /file 'citeseer\.content' could not be read: it holds more than 200000 papers/);
    } finally {
      rmSync(cacheDir, { recursive: true, force: true });
    }
  });
});
