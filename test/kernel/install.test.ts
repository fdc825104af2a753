// `gcnlab kernel install/uninstall`: a kernelspec that starts from any folder, and nothing left after uninstall.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { test } from 'node:test';
import { root } from './kernel-harness.js';

const gcnlab = (...args: string[]) => spawnSync(process.execPath, [join(root, 'bin/gcnlab.js'), 'kernel', ...args], { encoding: 'utf8', cwd: tmpdir() });

test('install writes kernel.json with absolute paths, logos and interrupt mode; uninstall removes it', () => {
  const prefix = mkdtempSync(join(tmpdir(), 'gcnlab-install-'));
  try {
    assert.equal(gcnlab('install', '--prefix', prefix).status, 0);
    const dir = join(prefix, 'share/jupyter/kernels/gcnlab');
    const spec = JSON.parse(readFileSync(join(dir, 'kernel.json'), 'utf8'));
    assert.equal(spec.display_name, 'TypeScript (gcnlab)');
    assert.equal(spec.language, 'typescript');
    assert.equal(spec.interrupt_mode, 'message');
    assert.ok(spec.argv.slice(0, 2).every(isAbsolute) && spec.argv[2] === '{connection_file}');
    for (const logo of ['logo-32x32.png', 'logo-64x64.png', 'logo-svg.svg']) assert.ok(existsSync(join(dir, logo)), logo);
    assert.equal(readFileSync(join(dir, 'logo-64x64.png')).subarray(1, 4).toString(), 'PNG');
    assert.equal(gcnlab('uninstall', '--prefix', prefix).status, 0);
    assert.ok(!existsSync(dir));
  } finally {
    rmSync(prefix, { recursive: true, force: true });
  }
});

test('unknown options say what is accepted', () => {
  const result = gcnlab('install', '--everywhere');
  assert.equal(result.status, 1);
  assert.match(result.stderr, /unknown option '--everywhere'[\s\S]*--prefix DIR/);
});
