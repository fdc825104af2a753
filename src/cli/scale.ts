// `gcnlab scale`: ms/epoch on synthetic graphs of growing size, sparse and dense, with the growth fitted.
import { Command, Option } from 'commander';
import { machineInfo, scalingBenchmark, type ScalingRefusal } from '../bench/index.js';
import { DEVICE_NAMES, availableDevices, type DeviceName } from '../device/index.js';
import { tableBundle } from '../display/index.js';
import { checkScaling } from './memory-budget.js';
import type { Run } from './run.js';
import { integer, integers, list } from './options.js';
import { checkOutputFile, writeOutputFile } from './paths.js';

interface ScaleFlags {
  sizes: number[];
  devices?: DeviceName[];
  adjacency?: ('sparse' | 'dense')[];
  epochs: number;
  degree: number;
  features: number;
  json: boolean;
  out?: string;
}

const DEFAULT_SIZES = [1e4, 3e4, 1e5, 3e5, 1e6];

export function scaleCommand(run: Run): Command {
  return new Command('scale')
    .description('ms per epoch on synthetic graphs of growing size, with the growth fitted')
    .addOption(new Option('--sizes <list>', 'node counts, comma-separated').default(DEFAULT_SIZES, DEFAULT_SIZES.join(',')).argParser(integers('sizes', 1)))
    .addOption(new Option('--devices <list>', `devices, comma-separated (${DEVICE_NAMES.join(', ')}) (default: every available one)`).argParser(list('devices', DEVICE_NAMES)))
    .addOption(new Option('--adjacency <list>', 'adjacency modes, comma-separated (default: sparse,dense)').argParser(list('adjacency', ['sparse', 'dense'] as const)))
    .addOption(new Option('--epochs <e>', 'measured epochs per size').default(5).argParser(integer('epochs', 1, 100_000)))
    .addOption(new Option('--degree <d>', 'average degree of the synthetic graphs').default(10).argParser(integer('degree', 1, 10_000)))
    .addOption(new Option('--features <f>', 'features per node').default(128).argParser(integer('features', 1)))
    .option('--json', 'print the report as one JSON line', false)
    .addOption(new Option('--out <file>', 'write the report as JSON to this file (default: none)'))
    .action(async (flags: ScaleFlags) => {
      checkOutputFile('out', flags.out);
      const devices = flags.devices ?? (await availableDevices());
      checkScaling(flags.sizes, flags.features, flags.degree, devices);
      const result = await scalingBenchmark({
        sizes: flags.sizes,
        devices,
        adjacency: flags.adjacency,
        epochs: flags.epochs,
        avgDegree: flags.degree,
        features: flags.features,
        onProgress: (p) => process.stderr.write(`scaling: ${p.device} ${p.adjacency} ${p.nodes.toLocaleString('en')} nodes\n`),
      });
      const report = { createdAt: new Date().toISOString(), machine: machineInfo(), ...result };
      if (flags.out) writeOutputFile('out', flags.out, `${JSON.stringify(report, null, 2)}\n`, { out: run.out, line: JSON.stringify(report) });
      if (flags.json) {
        run.out(JSON.stringify(report));
        return;
      }
      run.out(
        tableBundle(result.points, [
          { header: 'device', value: (p) => p.device },
          { header: 'adjacency', value: (p) => p.adjacency },
          { header: 'nodes', value: (p) => p.nodes },
          { header: 'adjacency nnz', value: (p) => p.adjacencyNonZeros },
          { header: 'median ms/epoch', value: (p) => p.medianMs },
        ])['text/plain'],
      );
      for (const f of result.fits) {
        const quality = f.r2 === null ? `from ${f.sizes} sizes: too few for r2` : `r2 ${f.r2.toFixed(3)} over ${f.sizes} sizes`;
        run.out(`${f.device} ${f.adjacency}: ms ~ nnz^${f.exponent.toFixed(2)} (${quality}), ${f.msPerMillionNonZeros.toFixed(1)} ms per million non-zeros`);
      }
      for (const r of result.refused) run.out(`refused ${r.device} ${r.adjacency} at ${r.nodes.toLocaleString('en')} nodes: ${refusalReason(r)}`);
    });
}

const gib = (bytes: number) => `${(bytes / 2 ** 30).toFixed(2)} GiB`;

/** A refusal as the command line can act on it: train()'s option names mean nothing here. */
function refusalReason(r: ScalingRefusal): string {
  if (r.bytes === undefined) return r.reason;
  const limit = r.limitBytes == null ? 'more than the device had free' : `more than the ${gib(r.limitBytes)} allowed on this machine`;
  const fix = r.adjacency === 'dense' ? '--adjacency sparse runs the same graph' : '--sizes smaller';
  return `it needs ${gib(r.bytes)}, ${limit}; ${fix}`;
}
