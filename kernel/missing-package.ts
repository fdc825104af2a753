// A package a cell imports that is found neither in the notebook's folder nor beside gcnlab: the error names the
// package and the command that installs it where the notebook is.
import { builtinModules } from 'node:module';
import { isAbsolute } from 'node:path';

/** The npm package a bare specifier names ('@scope/name/sub' -> '@scope/name'); undefined for paths and Node's own. */
export function packageName(specifier: string): string | undefined {
  if (specifier.startsWith('.') || isAbsolute(specifier) || specifier.startsWith('node:') || specifier.includes(':')) return undefined;
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
  return builtinModules.includes(name) ? undefined : name;
}

/** How to install the package a specifier names, or undefined where it names no package. */
export function installHint(specifier: string, cwd: string): string | undefined {
  const name = packageName(specifier);
  return name && `'${name}' is installed neither in the notebook's folder (${cwd}) nor with gcnlab: install it there with \`cd ${cwd} && npm install ${name}\`, then run the cell again`;
}

/** The error a require of a package that is nowhere throws: Node's code kept, the fix said. */
export function missingPackageError(specifier: string, cwd: string, cause: unknown): unknown {
  const hint = installHint(specifier, cwd);
  const message = (cause as { message?: unknown })?.message;
  // Only where the specifier itself is missing: a package that is there but misses one of its own dependencies keeps Node's message.
  if (!hint || typeof message !== 'string' || !message.startsWith(`Cannot find module '${specifier}'`)) return cause;
  return Object.assign(new Error(`Cannot find module '${specifier}': ${hint}`, { cause }), { code: (cause as { code?: unknown }).code });
}
