// The house drawn from src/'s imports: every room entered through its door, one-way orders of rooms, no cycles.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, posix, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'node:test';
import ts from 'typescript';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SRC = join(ROOT, 'src');

/**
 * The one-way order of src/'s top-level rooms (a folder, or a file at src/'s top), lowest first: a room imports only
 * from rooms on lower levels. Rooms on one level are side by side and import neither each other.
 */
const TOP_ORDER: string[][] = [
  ['errors.ts', 'cache-dir.ts', 'cancel.ts', 'device-names.ts', 'near-miss.ts'],
  ['events.ts', 'option-names.ts'],
  ['sparse'],
  ['data'],
  ['ops', 'autodiff.ts'],
  ['epochs'],
  ['nn'],
  ['train'],
  ['bench'],
  ['display'],
  ['cli'],
  ['index.ts'],
];

/** Rooms beside the order: what they may import from (that level and below) and who may import them (that level and above). */
const BESIDE: Record<string, { above: string; below: string }> = {
  // The wasm probe asks ops how many threads a run gets; train, bench and the CLI pick devices.
  device: { above: 'ops', below: 'train' },
};

/**
 * One-way orders inside a room, lowest first, by the path below the room ('host/' a folder, 'op-names.ts' a file,
 * '*' every other file at the room's top). The room's index.ts, its door, sits above all of them.
 * ops/: the ops (its top files: spmm.ts, mat-mul.ts, ... and register.ts) -> each backend's implementations of them
 * (host/ for cpu and wasm, webgpu/) -> WebAssembly SIMD (simd/). Below everything, what every layer reads: the op
 * names and attributes (op-names.ts, the contract, as tfjs-core's kernel_names.ts is) and the random stream that
 * dropout draws from (random.ts). The thread team (threads/) runs SIMD calls for the epoch engines; no op runs it.
 * epochs/: the shared epoch shape and buffer list -> the host engine -> the webgpu engine (which may use host/, never the reverse).
 */
const INNER_ORDER: Record<string, string[][]> = {
  ops: [['op-names.ts', 'random.ts', 'simd/'], ['threads/', 'host/', 'webgpu/'], ['*']],
  epochs: [['*'], ['host/'], ['webgpu/']],
};

/**
 * Imports that may break a rule, each with its reason, keyed `importer -> imported` (paths below src/); none today.
 * An entry that is no longer needed fails the last test.
 */
const ALLOWED: Record<string, string> = {};

interface Import {
  from: string;
  specifier: string;
  to: string;
  line: number;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.(ts|tsx|mts)$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

const rel = (path: string) => relative(SRC, path).split('\\').join('/');

/** Every relative import, re-export and dynamic import() of a file, resolved to a file below the repository. */
function importsOf(file: string): Import[] {
  const text = readFileSync(file, 'utf8');
  const { importedFiles } = ts.preProcessFile(text, true, true);
  const lineOf = (pos: number) => text.slice(0, pos).split('\n').length;
  return importedFiles
    .filter((f) => f.fileName.startsWith('.'))
    .map((f) => {
      const target = resolve(dirname(file), f.fileName).replace(/\.js$/, '.ts');
      return { from: rel(file), specifier: f.fileName, to: relative(SRC, target).split('\\').join('/'), line: lineOf(f.pos) };
    });
}

const files = sourceFiles(SRC);
const imports = files.flatMap(importsOf);
const where = (i: Import) => `src/${i.from}:${i.line} imports '${i.specifier}'`;
const allowed = (i: Import) => `${i.from} -> ${i.to}` in ALLOWED;

/** The top-level room of a path below src/: its folder, or the file itself for a file at src/'s top. */
const roomOf = (path: string) => path.split('/')[0];

test('src/ imports nothing outside src/ but packages (it knows nothing of kernel/ or extension/)', () => {
  const outside = imports.filter((i) => i.to.startsWith('..'));
  assert.deepEqual(outside.map(where), [], 'rule: src/ is the runtime; the kernel and the extension use it, not the reverse');
});

test('every import names a file that exists', () => {
  const known = new Set(files.map(rel));
  const missing = imports.filter((i) => !i.to.startsWith('..') && !known.has(i.to));
  assert.deepEqual(missing.map(where), [], 'rule: a relative import names a .js file whose .ts exists in src/');
});

/** The outermost folder that holds an import's target but not its importer, when the target is not its index.ts. */
function bypassedDoor(i: Import): string | null {
  const from = i.from.split('/');
  const to = i.to.split('/');
  let shared = 0;
  while (shared < from.length - 1 && shared < to.length - 1 && from[shared] === to[shared]) shared++;
  if (to.length - 1 <= shared) return null;
  if (to.length === shared + 2 && to[shared + 1] === 'index.ts') return null;
  return to.slice(0, shared + 1).join('/');
}

test('no import reaches into another folder past its index.ts', () => {
  const bypasses = imports.filter((i) => !i.to.startsWith('..') && !allowed(i) && bypassedDoor(i) !== null);
  assert.deepEqual(
    bypasses.map((i) => `${where(i)}: reaches into src/${bypassedDoor(i)}/ past its index.ts`),
    [],
    'rule: from outside a folder, import only <folder>/index.js (a folder is a room; its index.ts is the door)',
  );
});

/** The level of a room in an order, or undefined when the order does not name it. */
function levelIn(order: string[][], room: string): number | undefined {
  const level = order.findIndex((rooms) => rooms.includes(room));
  return level < 0 ? undefined : level;
}

test("no import runs back up the order of src/'s rooms", () => {
  const rank = (room: string) => levelIn(TOP_ORDER, room);
  const named = new Set([...TOP_ORDER.flat(), ...Object.keys(BESIDE)]);
  const unnamed = [...new Set(files.map((f) => roomOf(rel(f))))].filter((room) => !named.has(room));
  assert.deepEqual(unnamed, [], 'rule: every room of src/ has a place in TOP_ORDER or BESIDE (test/architecture.test.ts)');

  const backwards = imports.flatMap((i) => {
    const [a, b] = [roomOf(i.from), roomOf(i.to)];
    if (a === b || i.to.startsWith('..') || allowed(i)) return [];
    const beside = BESIDE[a] ?? BESIDE[b];
    let ok: boolean;
    if (BESIDE[a] && BESIDE[b]) ok = false;
    else if (BESIDE[a]) ok = rank(b)! <= rank(beside.above)!;
    else if (BESIDE[b]) ok = rank(a)! >= rank(beside.below)!;
    else ok = rank(b)! < rank(a)!;
    if (ok) return [];
    const rule = BESIDE[a]
      ? `${a} sits beside the order and imports only from ${beside.above} and below`
      : BESIDE[b]
        ? `${b} sits beside the order and is imported only from ${beside.below} and above`
        : rank(a) === rank(b)
          ? `${a} and ${b} sit side by side and import neither each other`
          : `${b} sits above ${a} (${TOP_ORDER.map((l) => l.join(' | ')).join(' -> ')})`;
    return [`${where(i)}: ${rule}`];
  });
  assert.deepEqual(backwards, [], 'rule: imports run one way, down the order of rooms in test/architecture.test.ts');
});

test('no import runs back up the order inside ops/ and epochs/', () => {
  const backwards = Object.entries(INNER_ORDER).flatMap(([room, order]) => {
    const placeOf = (path: string): { name: string; level: number } => {
      const below = posix.relative(room, path);
      if (below === 'index.ts') return { name: 'index.ts', level: order.length };
      const name = below.includes('/') ? `${below.split('/')[0]}/` : below;
      const level = levelIn(order, name) ?? levelIn(order, '*')!;
      return { name: levelIn(order, name) === undefined ? '*' : name, level };
    };
    return imports
      .filter((i) => roomOf(i.from) === room && roomOf(i.to) === room && !allowed(i))
      .flatMap((i) => {
        const [a, b] = [placeOf(i.from), placeOf(i.to)];
        if (a.name === b.name || b.level < a.level) return [];
        const show = (p: { name: string }) => (p.name === '*' ? `the top files of ${room}/` : `${room}/${p.name}`);
        return [`${where(i)}: ${show(b)} ${b.name === '*' ? 'sit' : 'sits'} ${b.level === a.level ? 'beside' : 'above'} ${show(a)} (${order.map((l) => l.join(' | ')).join(' -> ')} -> index.ts)`];
      });
  });
  assert.deepEqual(backwards, [], 'rule: inside a room, imports run one way down INNER_ORDER in test/architecture.test.ts');
});

test('no cycle of imports between files', () => {
  const edges = new Map<string, string[]>();
  for (const i of imports) if (!allowed(i)) edges.set(i.from, [...(edges.get(i.from) ?? []), i.to]);
  // Tarjan's strongly connected components: every component of more than one file (or a file importing itself) is a cycle.
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string) => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || edges.get(v)?.includes(v)) cycles.push(component.sort());
    }
  };
  for (const f of files.map(rel)) if (!index.has(f)) visit(f);
  assert.deepEqual(
    cycles.map((c) => `${c.map((f) => `src/${f}`).join(' <-> ')}: ${imports.filter((i) => c.includes(i.from) && c.includes(i.to)).map((i) => `${i.from} imports '${i.specifier}'`).join('; ')}`),
    [],
    'rule: files import each other one way (type-only imports count: a reader follows them the same)',
  );
});

test("no name that src/ declares calls a compute kernel 'kernel' (the word is the Jupyter kernel's)", () => {
  // tfjs's own word stays where its API is met: a list of KernelConfig that a backend registers.
  const declared = files.flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(/^export (?:declare )?(?:async )?(?:const|let|function|class|type|interface|enum) (\w+)/gm)].map((m) => ({ file: rel(file), name: m[1] })),
  );
  const misnamed = declared.filter(({ file, name }) => /kernel/i.test(name) && file !== 'cli/kernel.ts' && !/KernelConfigs$/.test(name));
  assert.deepEqual(
    misnamed.map(({ file, name }) => `src/${file} exports ${name}`),
    [],
    "rule: one meaning per word: an op is an op, its backend code a host op, a WGSL program or a SIMD routine; 'kernel' is the Jupyter kernel (src/cli/kernel.ts, kernel/)",
  );
});

test('every exception in ALLOWED is still needed', () => {
  const used = new Set(imports.map((i) => `${i.from} -> ${i.to}`));
  assert.deepEqual(Object.keys(ALLOWED).filter((key) => !used.has(key)), [], 'rule: empty ALLOWED as the files it names are fixed');
});

// The extension and the kernel: extension/ talks to the kernel through comm messages and bundles no runtime code,
// so what it imports from outside extension/ is types, except the import-free files both sides share.
const SHARED_VALUE_FILES = ['src/bench/references.ts', 'kernel/timing/memory-sample.ts'];

interface ValueImport {
  from: string;
  specifier: string;
  to: string;
  line: number;
}

/** A file's relative imports and re-exports that bring values (not `import type` / `export type`), resolved below the repository. */
function valueImportsOf(file: string): ValueImport[] {
  const text = readFileSync(file, 'utf8');
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false);
  const found: ValueImport[] = [];
  for (const statement of source.statements) {
    let specifier: ts.Expression | undefined;
    let typeOnly = false;
    if (ts.isImportDeclaration(statement)) {
      specifier = statement.moduleSpecifier;
      const clause = statement.importClause;
      const named = clause?.namedBindings;
      typeOnly = clause !== undefined && (clause.isTypeOnly || (!clause.name && named !== undefined && ts.isNamedImports(named) && named.elements.every((e) => e.isTypeOnly)));
    } else if (ts.isExportDeclaration(statement) && statement.moduleSpecifier) {
      specifier = statement.moduleSpecifier;
      const named = statement.exportClause;
      typeOnly = statement.isTypeOnly || (named !== undefined && ts.isNamedExports(named) && named.elements.every((e) => e.isTypeOnly));
    }
    if (!specifier || !ts.isStringLiteral(specifier) || typeOnly) continue;
    const line = source.getLineAndCharacterOfPosition(statement.getStart(source)).line + 1;
    // The runtime by its package name counts as the runtime (gcnlab, gcnlab/device-cache, ...); other packages are theirs.
    if (specifier.text === 'gcnlab' || specifier.text.startsWith('gcnlab/')) {
      found.push({ from: relative(ROOT, file).split('\\').join('/'), specifier: specifier.text, to: specifier.text, line });
      continue;
    }
    if (!specifier.text.startsWith('.')) continue;
    const target = resolve(dirname(file), specifier.text).replace(/\.js$/, '');
    const to = relative(ROOT, /\.\w+$/.test(target) ? target : `${target}.ts`).split('\\').join('/');
    found.push({ from: relative(ROOT, file).split('\\').join('/'), specifier: specifier.text, to, line });
  }
  return found;
}

test('extension/ imports only types from the kernel and the runtime, besides the import-free shared files', () => {
  const extension = sourceFiles(join(ROOT, 'extension', 'src'));
  assert.ok(extension.length > 10, `found ${extension.length} extension sources`);
  const crossing = extension.flatMap(valueImportsOf).filter((i) => !i.to.startsWith('extension/') && !SHARED_VALUE_FILES.includes(i.to));
  assert.deepEqual(
    crossing.map((i) => `${i.from}:${i.line} imports '${i.specifier}'`),
    [],
    `rule: the extension gets runtime values through the comm, or from ${SHARED_VALUE_FILES.join(' / ')}; import everything else with \`import type\``,
  );
});

test('the files the extension shares with the runtime and the kernel bring no code of ours with them', () => {
  const pulled = SHARED_VALUE_FILES.flatMap((file) => valueImportsOf(join(ROOT, file)));
  assert.deepEqual(pulled.map((i) => `${i.from}:${i.line} imports '${i.specifier}'`), [], 'rule: a shared file imports nothing but types, so bundling it bundles nothing else');
});
