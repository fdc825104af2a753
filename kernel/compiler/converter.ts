// tslab's converter, set up for notebooks anywhere: packages resolve from the notebook's folder first and then from
// where gcnlab is installed, `exports` maps are honoured (ESM-only packages), and source maps come out for tracebacks.
import { createRequire } from 'node:module';
import { dirname, join, relative, sep } from 'node:path';
import type * as TypeScript from '@tslab/typescript-for-tslab';
import { takeInlineMap } from './source-map.js';
import { loadTypeScript } from './typescript-cache.js';
import { WatchClock } from './watch-clock.js';

const require = createRequire(import.meta.url);
/** TypeScript loaded through V8's code cache; the compiler thread saves the cache after its first cell. */
export const typescriptLoad = loadTypeScript();
// The CommonJS exports object itself (not an ESM namespace): tslab reads its functions from it, so patches reach tslab.
export const ts = require('@tslab/typescript-for-tslab') as typeof TypeScript;

export interface Converter {
  convert(prevDecl: string, src: string): ConvertResult;
  complete(prevDecl: string, src: string, position: number): { start: number; end: number; candidates: string[] };
  inspect(prevDecl: string, src: string, position: number): TypeScript.QuickInfo | undefined;
  addModule(name: string, content: string): unknown[];
}

export interface ConvertResult {
  output?: string;
  declOutput?: string;
  diagnostics: { start: { line: number; character: number }; messageText: string; code: number; category: number; fileName?: string }[];
  lastExpressionVar?: string;
  hasToplevelAwait?: boolean;
  sideOutputs?: { path: string; data: string }[];
}

/** The last source maps tslab's two emits produced: TS -> ESM, ESM -> CommonJS. */
export const lastMaps: { esm?: string; cjs?: string } = {};

/**
 * Paths `<cwd>/node_modules/...` that do not exist are looked up in these folders instead, so a notebook in any
 * folder sees gcnlab and its dependencies (the folders node would search from gcnlab's own root).
 */
function fallbackNodeModules(packageRoot: string): string[] {
  const dirs: string[] = [];
  for (let dir = packageRoot; ; dir = dirname(dir)) {
    if (!dir.endsWith(`${sep}node_modules`)) dirs.push(join(dir, 'node_modules'));
    if (dirname(dir) === dir) return dirs;
  }
}

function patchSystem(cwd: string, packageRoot: string, packageName: string): void {
  const own = join(cwd, 'node_modules');
  const fallbacks = fallbackNodeModules(packageRoot);
  const sys = ts.sys;
  const forward = (path: string, exists: (p: string) => boolean): string => {
    const rel = relative(own, path);
    if (rel.startsWith('..') || rel === '' || exists(path)) return path;
    if (rel === packageName || rel.startsWith(packageName + sep)) return join(packageRoot, rel.slice(packageName.length));
    for (const dir of fallbacks) {
      const candidate = join(dir, rel);
      if (exists(candidate)) return candidate;
    }
    return path;
  };
  const fileExists = sys.fileExists.bind(sys);
  const directoryExists = sys.directoryExists.bind(sys);
  const readFile = sys.readFile.bind(sys);
  const readDirectory = sys.readDirectory.bind(sys);
  const getDirectories = sys.getDirectories.bind(sys);
  const realpath = sys.realpath?.bind(sys);
  const exists = (p: string) => fileExists(p) || directoryExists(p);
  sys.fileExists = (p) => fileExists(forward(p, exists));
  sys.directoryExists = (p) => directoryExists(forward(p, exists)) || p === own;
  sys.readFile = (p, encoding) => readFile(forward(p, exists), encoding);
  sys.readDirectory = (p, ...rest) => readDirectory(forward(p, exists), ...rest);
  sys.getDirectories = (p) => getDirectories(forward(p, exists));
  if (realpath) sys.realpath = (p) => realpath(forward(p, exists));
}

/**
 * TypeScript's exports are read-only getters, so tslab gets an object that inherits from them with two functions
 * replaced: module resolution that honours package "exports" (ESM-only packages), and source maps on both emits.
 */
function patchCompilerOptions(clock: WatchClock): void {
  const path = require.resolve('@tslab/typescript-for-tslab');
  const patched = Object.create(ts) as typeof TypeScript;
  // __esModule makes tslab's __importStar use this object as is rather than copy its own properties.
  Object.defineProperty(patched, '__esModule', { value: true });
  Object.defineProperty(patched, 'createWatchCompilerHost', {
    value: (rootFiles: string[], options: TypeScript.CompilerOptions, ...rest: unknown[]) => {
      const host = (ts.createWatchCompilerHost as (...args: unknown[]) => object)(
        rootFiles,
        { ...options, moduleResolution: ts.ModuleResolutionKind.Bundler, inlineSourceMap: true },
        ...rest,
      );
      clock.attach(host);
      return host;
    },
  });
  Object.defineProperty(patched, 'transpileModule', {
    value: (input: string, options: TypeScript.TranspileOptions) => {
      const { code, mappings } = takeInlineMap(input);
      const out = ts.transpileModule(code, { ...options, compilerOptions: { ...options.compilerOptions, sourceMap: true } });
      lastMaps.esm = mappings;
      lastMaps.cjs = out.sourceMapText ? (JSON.parse(out.sourceMapText) as { mappings: string }).mappings : undefined;
      return { ...out, outputText: out.outputText.replace(/\n\/\/# sourceMappingURL=.*\s*$/, '\n') };
    },
  });
  require.cache[path]!.exports = patched;
}

export function createConverter(packageRoot: string, packageName: string): Converter {
  patchSystem(process.cwd(), packageRoot, packageName);
  const clock = new WatchClock();
  patchCompilerOptions(clock);
  const tslab = require('tslab/dist/converter.js') as { createConverter(): Converter };
  const converter = tslab.createConverter();
  return {
    convert: (prevDecl, src) => clock.around(() => converter.convert(prevDecl, src)),
    complete: (prevDecl, src, position) => clock.around(() => converter.complete(prevDecl, src, position)),
    inspect: (prevDecl, src, position) => clock.around(() => converter.inspect(prevDecl, src, position)),
    addModule: (name, content) => clock.around(() => converter.addModule(name, content)),
  };
}
