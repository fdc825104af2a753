// Compiles src/ into lib/ for JupyterLab's builder: type-checks with tsc, then bundles each entry's own modules
// (including gcnlab's reference data) with esbuild, leaving every npm package to the builder's module federation.
import { spawnSync } from 'node:child_process';
import { build } from 'esbuild';

const here = new URL('..', import.meta.url).pathname;
const tsc = spawnSync(process.execPath, [`${here}node_modules/typescript/bin/tsc`, '-p', here], { stdio: 'inherit' });
if (tsc.status !== 0) process.exit(tsc.status ?? 1);

await build({
  absWorkingDir: here,
  entryPoints: ['src/index.ts', 'src/mime.ts'],
  outdir: 'lib',
  bundle: true,
  packages: 'external',
  format: 'esm',
  target: 'es2021',
  loader: { '.svg': 'text' },
  sourcemap: true,
  logLevel: 'warning',
});
