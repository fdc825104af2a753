// Installing the kernelspec as ipykernel and tslab do: where the chosen Jupyter looks, and our files (kernel.json, logos).
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { basename, delimiter, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

export const KERNEL_NAME = 'gcnlab';
export const DISPLAY_NAME = 'TypeScript (gcnlab)';

export type Location = { kind: 'user' } | { kind: 'sys-prefix' } | { kind: 'prefix'; dir: string };

export interface InstallOptions {
  location: Location;
  /** The kernelspec's folder name (what `jupyter kernelspec list` shows), as ipykernel's --name. */
  name?: string;
  displayName?: string;
  /** The Python whose Jupyter should find the kernel: its sys.prefix for --sys-prefix, its data dir for --user. */
  python?: string;
}

/** A bad install request (exit status 2): what was wrong and what to do. */
export class InstallError extends Error {
  override name = 'InstallError';
}

/** The Python that Jupyter runs on: --python, else $GCNLAB_PYTHON, else the one that `jupyter` on PATH starts. */
export function choosePython(given: string | undefined): { python: string; from: string } | undefined {
  if (given) return { python: given, from: '--python' };
  if (process.env.GCNLAB_PYTHON) return { python: process.env.GCNLAB_PYTHON, from: 'GCNLAB_PYTHON' };
  const jupyter = onPath('jupyter');
  if (!jupyter) return undefined;
  // A pip/conda/apt console script starts with the interpreter that owns it: `#!/abs/python` or `#!/usr/bin/env python3`.
  const firstLine = readFileSync(jupyter).subarray(0, 512).toString('utf8').split('\n')[0];
  const shebang = /^#!\s*(\S+)(?:\s+(\S+))?/.exec(firstLine);
  if (!shebang) return undefined;
  const interpreter = basename(shebang[1]) === 'env' && shebang[2] ? onPath(shebang[2]) : shebang[1];
  return interpreter ? { python: interpreter, from: `the jupyter on PATH (${jupyter})` } : undefined;
}

function onPath(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const candidate = join(dir || '.', command);
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not in this folder
    }
  }
  return undefined;
}

/** Asks `python` where its Jupyter looks: sys.prefix, and jupyter_core's user data dir when it has jupyter_core. */
function askPython(chosen: { python: string; from: string }): { prefix: string; userDataDir?: string } {
  const code = [
    'import json, sys',
    'out = {"prefix": sys.prefix}',
    'try:',
    '    from jupyter_core.paths import jupyter_data_dir',
    '    out["userDataDir"] = jupyter_data_dir()',
    'except Exception:',
    '    pass',
    'print(json.dumps(out))',
  ].join('\n');
  const result = spawnSync(chosen.python, ['-c', code], { encoding: 'utf8', timeout: 30_000 });
  if (result.status !== 0) {
    const why = result.error ? (result.error as NodeJS.ErrnoException).code : result.stderr.trim().split('\n').at(-1);
    throw new InstallError(`the Python '${chosen.python}' (from ${chosen.from}) does not run (${why}); pass --python PY or set GCNLAB_PYTHON to Jupyter's Python`);
  }
  return JSON.parse(result.stdout.trim().split('\n').at(-1)!) as { prefix: string; userDataDir?: string };
}

/** The platform's Jupyter user data dir, as jupyter_core computes it, for when no Python answers. */
function platformUserDataDir(): string {
  if (process.env.JUPYTER_DATA_DIR) return process.env.JUPYTER_DATA_DIR;
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Jupyter');
  if (process.platform === 'win32') return join(process.env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'jupyter');
  return join(process.env.XDG_DATA_HOME || join(homedir(), '.local', 'share'), 'jupyter');
}

/** The kernels folder for a location, as jupyter_client computes it. */
export function kernelsDir(location: Location, python?: string): string {
  switch (location.kind) {
    case 'prefix':
      // An empty prefix would resolve to the working folder: a kernelspec nobody's Jupyter looks for.
      if (location.dir.trim() === '') throw new InstallError(`--prefix '${location.dir}' names no folder: give the prefix (the kernelspec goes to DIR/share/jupyter/kernels)`);
      return join(resolve(location.dir), 'share', 'jupyter', 'kernels');
    case 'user': {
      const chosen = choosePython(python);
      const asked = chosen && !process.env.JUPYTER_DATA_DIR ? askPythonQuietly(chosen) : undefined;
      return join(asked?.userDataDir ?? platformUserDataDir(), 'kernels');
    }
    case 'sys-prefix': {
      const chosen = choosePython(python);
      if (!chosen) throw new InstallError('--sys-prefix needs the Python that runs Jupyter: no `jupyter` on PATH; pass --python PY or set GCNLAB_PYTHON');
      return join(askPython(chosen).prefix, 'share', 'jupyter', 'kernels');
    }
  }
}

/** --user works without Python: a Python that cannot answer leaves the platform's folder. */
function askPythonQuietly(chosen: { python: string; from: string }): { prefix: string; userDataDir?: string } | undefined {
  try {
    return askPython(chosen);
  } catch {
    return undefined;
  }
}

/**
 * Kernelspec names as jupyter_client accepts them (letters, digits, '.', '_', '-'), starting with a letter, a digit or
 * '_': one starting with '-' reads as an option to `jupyter kernelspec` and `jupyter console --kernel` (`--name --user`
 * is a lost value), and one starting with '.' is a hidden folder, or with '.' and '..' the kernels folder itself and
 * the Jupyter data folder above it, which uninstall would delete.
 */
function checkName(name: string): string {
  if (!/^[a-z0-9_][a-z0-9._-]*$/i.test(name)) {
    throw new InstallError(`--name '${name}' is not a kernelspec name: use letters, digits, '.', '_' and '-' only, starting with a letter, a digit or '_'`);
  }
  return name;
}

/**
 * kernel.json: absolute paths to this Node.js and to the compiled kernel, so the kernel starts from any working
 * directory. Moving the installation or switching Node versions means installing again.
 */
export function kernelSpec(displayName = DISPLAY_NAME): Record<string, unknown> {
  return {
    argv: [process.execPath, fileURLToPath(new URL('./main.js', import.meta.url)), '{connection_file}'],
    display_name: displayName,
    language: 'typescript',
    // Interrupts arrive as interrupt_request on the control channel, which a separate thread reads even while
    // a cell blocks; SIGINT works too.
    interrupt_mode: 'message',
    env: {},
    // JupyterLab 4 shows its bug icon from the spec's metadata, not from kernel_info: both say the same thing.
    metadata: { debugger: process.env.GCNLAB_DEBUGGER !== '0' },
  };
}

export function install(options: InstallOptions): string {
  const dir = join(kernelsDir(options.location, options.python), checkName(options.name ?? KERNEL_NAME));
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'kernel.json'), JSON.stringify(kernelSpec(options.displayName), null, 2) + '\n');
  writeFileSync(join(dir, 'logo-32x32.png'), logoPng(32));
  writeFileSync(join(dir, 'logo-64x64.png'), logoPng(64));
  writeFileSync(join(dir, 'logo-svg.svg'), LOGO_SVG);
  return dir;
}

export function uninstall(options: InstallOptions): string | undefined {
  const dir = join(kernelsDir(options.location, options.python), checkName(options.name ?? KERNEL_NAME));
  if (!existsSync(dir)) return undefined;
  rmSync(dir, { recursive: true, force: true });
  return dir;
}

const LOGO_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="8" fill="#3178c6"/>
<circle cx="20" cy="22" r="6" fill="#fff"/><circle cx="44" cy="22" r="6" fill="#fff"/><circle cx="32" cy="44" r="6" fill="#fff"/>
<path d="M20 22L44 22L32 44Z" fill="none" stroke="#fff" stroke-width="3"/></svg>
`;

/** The same logo as a PNG: TypeScript blue with a white three-node graph. */
function logoPng(size: number): Buffer {
  const nodes = [[20, 22], [44, 22], [32, 44]].map(([x, y]) => [(x * size) / 64, (y * size) / 64]);
  const edges = [[0, 1], [1, 2], [2, 0]];
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0;
    for (let x = 0; x < size; x++) {
      const near = (px: number, py: number, r: number) => (x - px) ** 2 + (y - py) ** 2 <= r * r;
      const onEdge = edges.some(([a, b]) => {
        const [ax, ay] = nodes[a];
        const [bx, by] = nodes[b];
        const t = Math.max(0, Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)));
        return near(ax + t * (bx - ax), ay + t * (by - ay), size / 40);
      });
      const white = onEdge || nodes.some(([px, py]) => near(px, py, (6 * size) / 64));
      raw.set(white ? [255, 255, 255, 255] : [0x31, 0x78, 0xc6, 255], y * (size * 4 + 1) + 1 + x * 4);
    }
  }
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function crc32(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}
