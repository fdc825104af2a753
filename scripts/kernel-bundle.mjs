// Copies tslab and the packages it needs into kernel/node_modules before `npm pack` of gcnlab-kernel (and removes
// them after, with --clean), so the tarball bundles them. Why: @tslab/typescript-for-tslab has a bin named `tsc`;
// installed at a project's top level, npm links it over the project's own TypeScript (npm links bins in path order,
// the first wins, and "@tslab/..." sorts before "typescript"). A bundled copy stays inside gcnlab-kernel, whose
// bins are never linked to the top.
import { cpSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const kernel = fileURLToPath(new URL('../kernel/', import.meta.url));
const target = join(kernel, 'node_modules');
const manifest = JSON.parse(readFileSync(join(kernel, 'package.json'), 'utf8'));
// zeromq is gcnlab-kernel's own dependency (installed beside it); @types/node is only for tslab's own build.
const SHARED = new Set(['zeromq', '@types/node']);

if (process.argv.includes('--clean')) {
  rmSync(target, { recursive: true, force: true });
  process.exit(0);
}

/** The folder a package `name` resolves to from `from` (a package folder), through its package.json. */
function locate(name, from) {
  let dir = from;
  for (;;) {
    const candidate = join(dir, 'node_modules', name);
    if (existsSync(join(candidate, 'package.json'))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`kernel-bundle: ${name} (needed from ${from}) is not installed; run npm ci`);
    dir = parent;
  }
}

rmSync(target, { recursive: true, force: true });
const root = dirname(kernel.replace(/\/$/, ''));
const queue = manifest.bundleDependencies.map((name) => [name, root]);
const copied = new Set();
while (queue.length) {
  const [name, from] = queue.shift();
  const source = locate(name, from);
  // A package nested under another one's node_modules travels inside that one's copy.
  if (copied.has(source) || [...copied].some((dir) => source.startsWith(`${dir}/node_modules/`))) continue;
  copied.add(source);
  cpSync(source, join(target, name), { recursive: true, dereference: true });
  const deps = JSON.parse(readFileSync(join(source, 'package.json'), 'utf8')).dependencies ?? {};
  for (const dep of Object.keys(deps)) if (!SHARED.has(dep)) queue.push([dep, source]);
}
console.error(`kernel-bundle: ${copied.size} packages copied into ${target}`);
