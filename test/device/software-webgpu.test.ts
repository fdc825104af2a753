// A software WebGPU adapter (SwiftShader, which Debian's chromium ships) works, is named as software, and is never the default.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { test } from 'node:test';
import { gcnlab, lastJson } from '../cli/run-cli.js';

const ICD = process.env.GCNLAB_SWIFTSHADER_ICD ?? '/usr/lib/chromium/vk_swiftshader_icd.json';

interface Listed {
  name: string;
  available: boolean;
  runsOn?: string;
  details: Record<string, unknown>;
  default: boolean;
}

test('gcnlab devices says a SwiftShader webgpu runs on the CPU, and keeps the default off it', { skip: !existsSync(ICD) && `no SwiftShader ICD at ${ICD}` }, () => {
  const run = gcnlab(['devices', '--json'], { VK_ICD_FILENAMES: ICD, LD_LIBRARY_PATH: [process.env.LD_LIBRARY_PATH, dirname(ICD)].filter(Boolean).join(':') });
  assert.equal(run.status, 0, run.stderr);
  const devices = lastJson<Listed[]>(run.stdout);
  const webgpu = devices.find((d) => d.name === 'webgpu')!;
  assert.equal(webgpu.available, true, JSON.stringify(webgpu));
  assert.match(webgpu.runsOn!, /SwiftShader.*software: runs on the CPU, not a GPU/);
  assert.equal(webgpu.details.software, 'runs on the CPU, not a GPU');
  assert.notEqual(devices.find((d) => d.default)?.name, 'webgpu');
});
