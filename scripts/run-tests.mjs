// Runs every test file under test/ (or those named) with node's test runner and TypeScript via tsx.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function find(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'fixtures' ? [] : find(path);
    return /\.test\.(ts|mjs)$/.test(name) ? [path] : [];
  });
}

const args = process.argv.slice(2);
const roots = args.length ? args : ['test'];
const missing = roots.filter((root) => !existsSync(root));
if (missing.length > 0) {
  console.error(`run-tests: no such test file or folder: ${missing.join(', ')}`);
  process.exit(2);
}
const files = roots.flatMap((root) => (statSync(root).isDirectory() ? find(root) : [root])).sort();
if (files.length === 0) {
  console.error(`run-tests: no *.test.ts or *.test.mjs under ${roots.join(', ')}`);
  process.exit(2);
}
// A test that hangs fails after TEST_TIMEOUT_MS instead of holding CI to its limit. The limit holds for a whole
// file too: test/package/pack.test.ts packs and installs from the npm registry, 12 minutes on a busy 2-core machine.
const TEST_TIMEOUT_MS = 20 * 60 * 1000;
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', `--test-timeout=${TEST_TIMEOUT_MS}`, ...files],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
