// The packages as users get them: `npm pack` of gcnlab, gcnlab-kernel and gcnlab-jupyterlab (from a copy of the
// working tree, so the repository's dist/ stays put), the first two installed from their tarballs into fresh folders
// beside typescript@5.9 and tsx (from the npm registry), then used from TypeScript, CommonJS, npx and Jupyter.
import assert from 'node:assert/strict';
import { spawn, spawnSync, type SpawnSyncOptions } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { DATA_DIR, REPO_ROOT } from '../helpers/data-dir.js';
import { workingCopy } from './working-copy.js';

const MB = 1e6;
const PYTHON = process.env.GCNLAB_PYTHON || '/usr/bin/python3';
const work = mkdtempSync(join(tmpdir(), 'gcnlab-pack-'));
const { version } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
const extensionVersion = (JSON.parse(readFileSync(join(REPO_ROOT, 'extension/package.json'), 'utf8')) as { version: string }).version;
const tarballs = {
  gcnlab: join(work, `gcnlab-${version}.tgz`),
  kernel: join(work, `gcnlab-kernel-${version}.tgz`),
  extension: join(work, `gcnlab-jupyterlab-${extensionVersion}.tgz`),
};
const source = join(work, 'source');
const library = join(work, 'library');
const project = join(work, 'project');

function sh(command: string, args: string[], options: SpawnSyncOptions & { cwd: string }): string {
  const run = spawnSync(command, args, { encoding: 'utf8', timeout: 600_000, ...options });
  assert.equal(run.status, 0, `${command} ${args.join(' ')} in ${options.cwd}: ${run.error ?? ''}\n${run.stdout}\n${run.stderr}`);
  return String(run.stdout);
}

/** A folder with an empty package.json and `packages` installed from npm (tarballs or registry names). */
async function freshProject(dir: string, packages: string[]): Promise<void> {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'user-project', version: '1.0.0', private: true }));
  const args = ['install', '--no-audit', '--no-fund', ...packages];
  const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve, reject) => {
    const child = spawn('npm', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk));
    child.on('error', reject);
    child.on('close', (status) => resolve({ code: status, output }));
  });
  assert.equal(code, 0, `npm ${args.join(' ')} in ${dir}:\n${output}`);
}

const bytesIn = (dir: string) => Number(sh('du', ['-sk', dir], { cwd: work }).split('\t')[0]) * 1024;
const entries = (tarball: string) => sh('tar', ['tzf', tarball], { cwd: work }).trim().split('\n');

before(async () => {
  workingCopy(REPO_ROOT, source);
  sh('npm', ['pack', '--pack-destination', work], { cwd: source });
  sh('npm', ['pack', '-w', 'kernel', '--pack-destination', work], { cwd: source });
  // Side by side: each install mostly waits on the registry.
  await Promise.all([freshProject(library, [tarballs.gcnlab]), freshProject(project, [tarballs.gcnlab, tarballs.kernel, 'typescript@5.9', 'tsx'])]);
});

after(() => rmSync(work, { recursive: true, force: true }));

test('the gcnlab tarball is under 5 MB and a library-only install under 350 MB', () => {
  const packed = statSync(tarballs.gcnlab).size;
  const installed = bytesIn(join(library, 'node_modules'));
  console.log(`gcnlab tarball: ${(packed / MB).toFixed(2)} MB; gcnlab-kernel tarball: ${(statSync(tarballs.kernel).size / MB).toFixed(2)} MB`);
  console.log(`library-only install (npm i gcnlab): node_modules ${(installed / MB).toFixed(0)} MB`);
  assert.ok(packed < 5 * MB, `${packed} bytes`);
  assert.ok(installed < 350 * MB, `${installed} bytes`);
  for (const heavy of ['tslab', '@tslab/typescript-for-tslab', 'typescript', 'zeromq', '@tensorflow/tfjs', 'webgpu', '@jupyterlab', 'gcnlab-kernel']) {
    assert.ok(!existsSync(join(library, 'node_modules', heavy)), `${heavy} came with gcnlab`);
  }
  for (const used of ['@tensorflow/tfjs-core', '@tensorflow/tfjs-backend-cpu', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-backend-webgpu']) {
    assert.ok(existsSync(join(library, 'node_modules', used, 'package.json')), `${used} missing`);
  }
});

test('the gcnlab tarball holds the compiled runtime with its types, the bin and Cora; no sources, tests or notebooks', () => {
  const files = entries(tarballs.gcnlab).map((path) => path.replace(/^package\//, ''));
  for (const needed of ['package.json', 'bin/gcnlab.js', 'dist/src/index.js', 'dist/src/index.d.ts', 'dist/src/cli/main.js', 'data/cora/ind.cora.x']) {
    assert.ok(files.includes(needed), `${needed} not packed`);
  }
  const stray = files.filter((path) => /^(src|test|kernel|extension|notebooks|bench|scripts|dist\/kernel)\/|\.(ts|pyc|ipynb|map)$/.test(path) && !path.endsWith('.d.ts'));
  assert.deepEqual(stray, []);
  // No source map is packed, so none is named: a bundler or debugger would warn for each file it cannot find.
  const named = spawnSync('grep', ['-rl', 'sourceMappingURL', join(library, 'node_modules/gcnlab/dist')], { encoding: 'utf8' });
  assert.equal(named.status, 1, `compiled files that name a source map:\n${named.stdout}${named.stderr}`);
});

test('without gcnlab-kernel, `gcnlab kernel` says which package to install; `gcnlab devices` names the default', () => {
  const kernel = spawnSync('npx', ['--no-install', 'gcnlab', 'kernel', 'install'], { cwd: library, encoding: 'utf8' });
  assert.equal(kernel.status, 2, kernel.stderr);
  assert.equal(kernel.stderr.trim(), 'gcnlab kernel: the Jupyter kernel is the package gcnlab-kernel: run `npm install gcnlab-kernel`, then `npx gcnlab-kernel install`');
  const devices = sh('npx', ['--no-install', 'gcnlab', 'devices'], { cwd: library });
  assert.match(devices, /^default: wasm \(the fastest that works here/m);
  // Dawn is optional: the webgpu device says which package to add.
  assert.match(devices, /^webgpu\s+unavailable\s+.*package webgpu is not installed \(npm install webgpu\)/m);
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
  // A type error in the same script is caught: the check above reads gcnlab's types, not `any`.
  writeFileSync(join(project, 'wrong.mts'), `import { loadCora } from 'gcnlab';\nconst n: string = (await loadCora()).numClasses;\nconsole.log(n);\n`);
  const wrong = spawnSync('npx', ['--no-install', 'tsc', '--strict', '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--noEmit', 'wrong.mts'], { cwd: project, encoding: 'utf8' });
  assert.notEqual(wrong.status, 0);
  assert.match(wrong.stdout, /TS2322: Type 'number' is not assignable to type 'string'/);
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
  assert.match(devices[2].reason ?? '', /package webgpu is not installed \(npm install webgpu\)/);
});

test('npx gcnlab --version prints the version', () => {
  assert.equal(sh('npx', ['--no-install', 'gcnlab', '--version'], { cwd: project }).trim(), version);
  assert.equal(sh('npx', ['--no-install', 'gcnlab-kernel', '--version'], { cwd: project }).trim(), version);
});

test('the kernel package installs a kernelspec into a prefix and jupyter_client runs 1 + 1 on it', () => {
  const prefix = join(work, 'jupyter-prefix');
  const installed = sh('npx', ['--no-install', 'gcnlab-kernel', 'install', '--prefix', prefix], { cwd: project });
  assert.match(installed, /installed kernelspec 'gcnlab'/);
  const specFile = join(prefix, 'share/jupyter/kernels/gcnlab/kernel.json');
  const spec = JSON.parse(readFileSync(specFile, 'utf8')) as { argv: string[] };
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
  const out = sh(PYTHON, ['-c', script], { cwd: work, env: { ...process.env, JUPYTER_PATH: join(prefix, 'share/jupyter'), JUPYTER_RUNTIME_DIR: join(work, 'runtime') } });
  assert.match(out, /^ok \['2'\]$/m);
  // `gcnlab kernel ...` reaches the same installer.
  sh('npx', ['--no-install', 'gcnlab', 'kernel', 'uninstall', '--prefix', prefix], { cwd: project });
  assert.ok(!existsSync(specFile));
});

test('the extension packs with its prebuilt labextension, and its installer puts it where JupyterLab looks', () => {
  // The prebuilt labextension is a build output (scripts/build-lab.sh, which `npm test` and `npm start` run first).
  const built = ['lib', 'prebuilt'].map((dir) => join(REPO_ROOT, 'extension', dir));
  assert.ok(
    built.every((dir) => existsSync(dir)) && existsSync(join(REPO_ROOT, 'extension/prebuilt/gcnlab-jupyterlab/package.json')),
    'the extension is not built: run `bash scripts/build-lab.sh` first',
  );
  for (const dir of built) cpSync(dir, join(source, 'extension', dir.split('/').at(-1)!), { recursive: true });
  sh('npm', ['pack', '--ignore-scripts', '--pack-destination', work], { cwd: join(source, 'extension') });
  const files = entries(tarballs.extension);
  assert.ok(files.includes('package/prebuilt/gcnlab-jupyterlab/package.json'), 'no prebuilt package.json');
  assert.ok(files.some((path) => /^package\/prebuilt\/gcnlab-jupyterlab\/static\/remoteEntry\.[0-9a-f]+\.js$/.test(path)), 'no remoteEntry');
  console.log(`gcnlab-jupyterlab tarball: ${(statSync(tarballs.extension).size / MB).toFixed(2)} MB`);
  const unpacked = join(work, 'extension-package');
  mkdirSync(unpacked);
  sh('tar', ['xzf', tarballs.extension, '-C', unpacked], { cwd: work });
  const prefix = join(work, 'lab-prefix');
  sh(process.execPath, [join(unpacked, 'package/bin/install.mjs'), '--prefix', prefix], { cwd: work });
  const found = sh(PYTHON, ['-c', `import json, sys
from jupyterlab_server.config import get_federated_extensions
print(json.dumps(sorted(get_federated_extensions([sys.argv[1]]))))`, join(prefix, 'share/jupyter/labextensions')], { cwd: work });
  assert.deepEqual(JSON.parse(found.trim()), ['gcnlab-jupyterlab']);
});
