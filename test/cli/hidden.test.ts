// `gcnlab train --hidden`: refused exactly where train() refuses the epoch, naming the same widest width; one that fits runs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkEpochFits, loadCora, MemoryLimitError, useDevice } from '../../src/index.js';
import { DATA_DIR } from '../helpers/data-dir.js';
import { gcnlab, lastJson } from './run-cli.js';

/**
 * The widest hDim train() accepts for the CLI's model (1433 -> hDim -> 7) on Cora's 2708 nodes on `device`, read from
 * train's own refusal of a width no machine holds. The model is described, not built: its weights would not fit.
 */
async function trainWidest(device: string): Promise<number> {
  const cora = await loadCora({ dataDir: DATA_DIR });
  await useDevice(device);
  const model = [
    { inputs: cora.numFeatures, outputs: 1e9, bias: true },
    { inputs: 1e9, outputs: cora.numClasses, bias: true },
  ];
  const refusal = (() => {
    try {
      checkEpochFits(model, cora.numNodes);
    } catch (error) {
      return error;
    }
  })();
  assert.ok(refusal instanceof MemoryLimitError, `train's check let hDim 1e9 through: ${String(refusal)}`);
  const widest = /hDim at most (\d+) fits/.exec(refusal.message);
  assert.ok(widest, refusal.message);
  return Number(widest[1]);
}

for (const device of ['cpu', 'wasm']) {
  test(`on ${device}, --hidden one past the widest width train() accepts is refused in one line naming that width, before training`, async () => {
    const widest = await trainWidest(device);
    for (const hidden of [widest + 1, 10 * widest, 1e9]) {
      const run = gcnlab(['train', '--device', device, '--epochs', '1', '--hidden', String(hidden)]);
      assert.equal(run.status, 2, `--hidden ${hidden}: ${run.stderr}`);
      assert.match(run.stderr, new RegExp(`^gcnlab train: --hidden ${hidden} needs [\\d.]+ GiB for one epoch on cora \\(2708 nodes, 1433 features\\), more than the [\\d.]+ GiB an epoch may take here: at most --hidden ${widest} fits\\n$`));
      assert.equal(run.stdout, '', 'nothing trained');
    }
  });
}

test('a --hidden that fits trains', () => {
  const run = gcnlab(['train', '--device', 'cpu', '--epochs', '2', '--hidden', '64', '--json']);
  assert.equal(run.status, 0, run.stderr);
  assert.equal(lastJson<{ epochs: number }>(run.stdout).epochs, 2);
});
