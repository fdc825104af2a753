// The kernel's timing history as a late panel (a reload, a second tab) receives it: bounded by dropping the oldest
// epochs only, every run, cell time and device change kept, handed out in pages that add up to the whole.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EPOCHS_KEPT, TimingHistory } from '../../kernel/timing/history.ts';
import type { TimingFromKernel, TimingRecord } from '../../kernel/timing/messages.ts';

let seq = 0;
const record = (message: Partial<TimingFromKernel> & { kind: TimingFromKernel['kind'] }): TimingRecord => ({ seq: ++seq, at: seq, message: message as TimingFromKernel });
const epoch = (runId: string, n: number) => record({ kind: 'epoch', runId, epoch: n } as never);

test('past EPOCHS_KEPT epochs the oldest epochs go, and nothing else does', () => {
  seq = 0;
  const history = new TimingHistory();
  history.add([record({ kind: 'hello' })]);
  history.add(Array.from({ length: EPOCHS_KEPT }, (_, i) => epoch('r1', i + 1)));
  history.add([record({ kind: 'run' }), record({ kind: 'execution' })]);
  history.add(Array.from({ length: 500 }, (_, i) => epoch('r2', i + 1)));
  history.add([record({ kind: 'run' }), record({ kind: 'device' })]);

  assert.equal(history.dropped, 500);
  const all: TimingRecord[] = [];
  let page = history.after(0, 3000);
  all.push(...page.records);
  while (page.more) {
    page = history.after(all.at(-1)!.seq, 3000);
    all.push(...page.records);
  }
  const kinds = all.map((r) => r.message.kind);
  assert.equal(kinds[0], 'hello');
  assert.equal(kinds.filter((k) => k === 'epoch').length, EPOCHS_KEPT);
  assert.deepEqual(kinds.filter((k) => k !== 'epoch'), ['hello', 'run', 'execution', 'run', 'device']);
  // The first run's first 500 epochs went; its later ones and all of the second run's are there.
  const epochs = all.filter((r) => r.message.kind === 'epoch').map((r) => r.message as unknown as { runId: string; epoch: number });
  assert.deepEqual(epochs[0], { ...epochs[0], runId: 'r1', epoch: 501 });
  assert.deepEqual(epochs.at(-1), { ...epochs.at(-1)!, runId: 'r2', epoch: 500 });
  assert.equal(history.lastSeq, seq);
  assert.ok(all.every((r, i) => i === 0 || r.seq > all[i - 1].seq), 'in seq order');
});

test('after() hands out what follows a seq, and says when more is left', () => {
  seq = 0;
  const history = new TimingHistory();
  history.add([record({ kind: 'hello' }), epoch('r', 1), epoch('r', 2), record({ kind: 'run' })]);
  assert.deepEqual(history.after(2, 1).records.map((r) => r.seq), [3]);
  assert.equal(history.after(2, 1).more, true);
  assert.deepEqual(history.after(2).records.map((r) => r.seq), [3, 4]);
  assert.equal(history.after(2).more, false);
  assert.deepEqual(history.after(4), { records: [], more: false });
  assert.deepEqual(new TimingHistory().after(0), { records: [], more: false });
});
