// Asks Dawn for a GPU adapter in a child process first: where there is none, Dawn can only say why on stderr
// (and would print that into every command's output), so the child's stderr becomes the reason instead.
import { spawn } from 'node:child_process';
import { pathToFileURL } from 'node:url';

export type ScoutResult = { adapter: true } | { adapter: false; reason: string } | { adapter: 'unknown' };

const SCRIPT = `
const { create } = await import(process.argv[1]);
// The instance stays referenced until the answer: one the garbage collector takes ends its adapters with it.
const gpu = create([]);
const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
process.stdout.write(JSON.stringify({ adapter: !!adapter && !!gpu }));
process.exit(0);
`;

/** Dawn's own words, minus its source locations and the loader's noise. */
function dawnReason(stderr: string): string | undefined {
  const lines = stderr
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('at ') && !/XDG_RUNTIME_DIR/.test(l));
  const warning = lines.find((l) => l.startsWith('Warning:'));
  if (!warning) return lines[0];
  const context = lines[lines.indexOf(warning) + 1]?.replace(/^- /, '');
  return `${warning.replace(/^Warning:\s*/, '').replace(/\.$/, '')}${context ? ` (${context})` : ''}`;
}

/** `dawnEntry`: the path of the installed webgpu package's entry (the probe resolves it first, naming it when missing). */
export function scoutAdapter(dawnEntry: string, timeoutMs = 30_000): Promise<ScoutResult> {
  const entry = pathToFileURL(dawnEntry).href;
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--input-type=module', '-e', SCRIPT, entry], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', () => resolve({ adapter: 'unknown' }));
    child.on('close', () => {
      clearTimeout(timer);
      try {
        if ((JSON.parse(stdout) as { adapter: boolean }).adapter) return resolve({ adapter: true });
        const why = dawnReason(stderr);
        resolve({ adapter: false, reason: why ? `Dawn: ${why}` : 'Dawn found no Vulkan, Metal or D3D12 device with the features WebGPU needs' });
      } catch {
        resolve({ adapter: 'unknown' });
      }
    });
  });
}
