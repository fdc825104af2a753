// A copy of the repository's working tree to pack from: `npm pack` runs prepare (`npm run build`, which empties
// dist/) and gcnlab-kernel's prepack (which writes kernel/dist and kernel/node_modules), so packing in the
// repository itself would take dist/ away from every other test running meanwhile.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The repository's own packages, linked to the copy's folders (not the repository's) as npm's workspaces link them. */
const OWN: Record<string, string> = { gcnlab: '..', 'gcnlab-kernel': '../kernel' };

/**
 * Copies what git would commit from `repo` (tracked and untracked-but-not-ignored files, so uncommitted work is
 * packed as CI would pack it once committed) into `dir`, and gives the copy a node_modules of links to the
 * repository's installed packages.
 */
export function workingCopy(repo: string, dir: string): string {
  const files = execFileSync('git', ['ls-files', '-z', '--cached', '--others', '--exclude-standard'], { cwd: repo, encoding: 'utf8' })
    .split('\0')
    .filter((file) => file && existsSync(join(repo, file)));
  for (const file of files) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    cpSync(join(repo, file), join(dir, file), { verbatimSymlinks: true });
  }
  const modules = join(dir, 'node_modules');
  mkdirSync(modules);
  for (const name of readdirSync(join(repo, 'node_modules'))) {
    if (name.startsWith('.') || name in OWN) continue;
    symlinkSync(join(repo, 'node_modules', name), join(modules, name));
  }
  for (const [name, target] of Object.entries(OWN)) symlinkSync(target, join(modules, name));
  return dir;
}
