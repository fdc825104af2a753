// The packages as users get them: `npm pack` of gcnlab and gcnlab-kernel, installed from the tarballs into fresh
// folders beside typescript@5.9 and tsx (from the npm registry), then used from TypeScript, CommonJS, npx and Jupyter.
import assert from 'node:assert/strict';
import { spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { DATA_DIR, REPO_ROOT } from '../helpers/data-dir.js';

const MB = 1e6;
const work = mkdtempSync(join(tmpdir(), 'gcnlab-pack-'));
const { version } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
const tarballs = { gcnlab: join(work, `gcnlab-${version}.tgz`), kernel: join(work, `gcnlab-kernel-${version}.tgz`) };
const library = join(work, 'library');
const project = join(work, 'project');

function sh(command: string, args: string[], options: SpawnSyncOptions & { cwd: string }): string {
  const run = spawnSync(command, args, { encoding: 'utf8', timeout: 600_000, ...options });
  assert.equal(run.status, 0, `${command} ${args.join(' ')} in ${options.cwd}: ${run.error ?? ''}\n${run.stdout}\n${run.stderr}`);
  return String(run.stdout);
}

/** A folder with an empty package.json and `packages` installed from npm (tarballs or registry names). */
function freshProject(dir: string, packages: string[]): void {
  sh('mkdir', ['-p', dir], { cwd: work });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'user-project', version: '1.0.0', private: true }));
  sh('npm', ['install', '--no-audit', '--no-fund', ...packages], { cwd: dir });
}

const kib = (dir: string) => Number(sh('du', ['-sk', dir], { cwd: work }).split('\t')[0]) * 1024;

before(() => {
  sh('npm', ['pack', '--pack-destination', work], { cwd: REPO_ROOT });
  sh('npm', ['pack', '-w', 'kernel', '--pack-destination', work], { cwd: REPO_ROOT });
  freshProject(library, [tarballs.gcnlab]);
  freshProject(project, [tarballs.gcnlab, tarballs.kernel, 'typescript@5.9', 'tsx']);
});

after(() => rmSync(work, { recursive: true, force: true }));

test('the gcnlab tarball is under 5 MB and a library-only install under 350 MB', () => {
  const packed = statSync(tarballs.gcnlab).size;
  const installed = kib(join(library, 'node_modules'));
  console.log(`gcnlab tarball: ${(packed / MB).toFixed(2)} MB; gcnlab-kernel tarball: ${(statSync(tarballs.kernel).size / MB).toFixed(2)} MB`);
  console.log(`library-only install (npm i gcnlab): node_modules ${(installed / MB).toFixed(0)} MB`);
  assert.ok(packed < 5 * MB, `${packed} bytes`);
  assert.ok(installed < 350 * MB, `${installed} bytes`);
  for (const heavy of ['tslab', '@tslab/typescript-for-tslab', 'typescript', 'zeromq', '@tensorflow/tfjs', 'webgpu']) {
    assert.equal(spawnSync('test', ['-e', join(library, 'node_modules', heavy)]).status, 1, `${heavy} came with gcnlab`);
  }
});

test('without gcnlab-kernel, `gcnlab kernel` says which package to install; `gcnlab devices` names the default', () => {
  const kernel = spawnSync('npx', ['--no-install', 'gcnlab', 'kernel', 'install'], { cwd: library, encoding: 'utf8' });
  assert.equal(kernel.status, 2, kernel.stderr);
  assert.equal(kernel.stderr.trim(), 'gcnlab kernel: the Jupyter kernel is the package gcnlab-kernel: run `npm install gcnlab-kernel`, then `npx gcnlab-kernel install`');
  assert.match(sh('npx', ['--no-install', 'gcnlab', 'devices'], { cwd: library }), /^default: wasm \(the fastest that works here/m);
});

test("the kernel's TypeScript never takes the project's tsc", () => {
  assert.match(sh('npx', ['--no-install', 'tsc', '--version'], { cwd: project }), /^Version 5\.9\./);
});

test('a .mts script imports gcnlab, type-checks under --strict with nodenext, and trains 20 epochs on Cora', () => {
  writeFileSync(
    join(project, 'train.mts'),
    `import { GCN, currentDevice, loadCora, train, useDefaultDevice } from 'gcnlab';
await useDefaultDevice();
const graph = await loadCora();
const model = new GCN({ xDim: graph.numFeatures, hDim: 16, outDim: graph.numClasses, dropout: 0.5 });
const run = await train(model, graph, { epochs: 20 });
const accuracy: number = run.testAccuracy;
console.log(JSON.stringify({ device: currentDevice(), epochs: run.epochs, testAccuracy: accuracy }));
`,
  );
  sh('npx', ['--no-install', 'tsc', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--noEmit', 'train.mts'], { cwd: project });
  const out = sh('npx', ['--no-install', 'tsx', 'train.mts'], { cwd: project, env: { ...process.env, GCNLAB_DATA_DIR: DATA_DIR } });
  const result = JSON.parse(out.trim().split('\n').at(-1)!) as { device: string; epochs: number; testAccuracy: number };
  console.log(`20 epochs on Cora from the installed package: ${out.trim()}`);
  assert.equal(result.epochs, 20);
  // Seven classes: chance is 0.14; 20 epochs of the article's GCN are far past it.
  assert.ok(result.testAccuracy > 0.4 && result.testAccuracy <= 1, String(result.testAccuracy));
});

test('a .cjs script gets listDevices through require()', () => {
  writeFileSync(
    join(project, 'devices.cjs'),
    `const { listDevices } = require('gcnlab');
listDevices().then((devices) => console.log(JSON.stringify(devices.map((d) => ({ name: d.name, available: d.available, reason: d.reason })))));
`,
  );
  const devices = JSON.parse(sh(process.execPath, ['devices.cjs'], { cwd: project }).trim().split('\n').at(-1)!) as { name: string; available: boolean; reason?: string }[];
  assert.deepEqual(devices.map((d) => d.name), ['cpu', 'wasm', 'webgpu', 'tensorflow', 'cuda']);
  assert.ok(devices[0].available);
  // Dawn is not installed with gcnlab: the webgpu device says which package to add.
  assert.match(devices[2].reason ?? '', /package webgpu is not installed \(npm install webgpu\)/);
});

test('npx gcnlab --version prints the version', () => {
  assert.equal(sh('npx', ['--no-install', 'gcnlab', '--version'], { cwd: project }).trim(), version);
  assert.equal(sh('npx', ['--no-install', 'gcnlab-kernel', '--version'], { cwd: project }).trim(), version);
});

test('the kernel package installs a kernelspec into a prefix and jupyter_client runs 1 + 1 on it', () => {
  const prefix = join(work, 'jupyter-prefix');
  sh('npx', ['--no-install', 'gcnlab', 'kernel', 'install', '--prefix', prefix], { cwd: project });
  const spec = JSON.parse(readFileSync(join(prefix, 'share/jupyter/kernels/gcnlab/kernel.json'), 'utf8')) as { argv: string[] };
  assert.ok(spec.argv[1].startsWith(join(project, 'node_modules', 'gcnlab-kernel')), spec.argv[1]);
  const script = `
from jupyter_client.manager import start_new_kernel
km, kc = start_new_kernel(kernel_name="gcnlab", startup_timeout=120)
results = []
reply = kc.execute_interactive("1 + 1", timeout=120, output_hook=lambda m: m["msg_type"] == "execute_result" and results.append(m["content"]["data"]["text/plain"]))
print(reply["content"]["status"], results)
kc.stop_channels()
km.shutdown_kernel(now=True)
`;
  const out = sh('/usr/bin/python3', ['-c', script], { cwd: work, env: { ...process.env, JUPYTER_PATH: join(prefix, 'share/jupyter'), JUPYTER_RUNTIME_DIR: join(work, 'runtime') } });
  assert.match(out, /^ok \['2'\]$/m);
});
