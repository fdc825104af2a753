// Installing the kernelspec: where Jupyter looks for kernels, and the files of ours (kernel.json, logos).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateSync } from 'node:zlib';

export const KERNEL_NAME = 'gcnlab';

export type Location = { kind: 'user' } | { kind: 'sys-prefix' } | { kind: 'prefix'; dir: string };

/** The kernels folder for a location, as jupyter_client computes it. */
export function kernelsDir(location: Location): string {
  switch (location.kind) {
    case 'user':
      return join(process.env.JUPYTER_DATA_DIR ?? join(process.env.XDG_DATA_HOME ?? join(homedir(), '.local', 'share'), 'jupyter'), 'kernels');
    case 'prefix':
      return join(location.dir, 'share', 'jupyter', 'kernels');
    case 'sys-prefix':
      return join(pythonPrefix(), 'share', 'jupyter', 'kernels');
  }
}

function pythonPrefix(): string {
  for (const python of ['python3', '/usr/bin/python3', 'python']) {
    try {
      return execFileSync(python, ['-c', 'import sys; print(sys.prefix)'], { encoding: 'utf8' }).trim();
    } catch {
      // try the next interpreter
    }
  }
  throw new Error('--sys-prefix needs a Python interpreter (python3) to find the prefix; use --user or --prefix DIR instead');
}

/**
 * kernel.json: absolute paths to this Node.js and to the compiled kernel, so the kernel starts from any working
 * directory. Moving the repository or switching Node versions means installing again.
 */
export function kernelSpec(): Record<string, unknown> {
  return {
    argv: [process.execPath, fileURLToPath(new URL('./main.js', import.meta.url)), '{connection_file}'],
    display_name: 'TypeScript (gcnlab)',
    language: 'typescript',
    // Interrupts arrive as interrupt_request on the control channel, which a separate thread reads even while
    // a cell blocks; SIGINT works too.
    interrupt_mode: 'message',
    env: {},
    metadata: { debugger: false },
  };
}

export function install(location: Location): string {
  const dir = join(kernelsDir(location), KERNEL_NAME);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'kernel.json'), JSON.stringify(kernelSpec(), null, 2) + '\n');
  writeFileSync(join(dir, 'logo-32x32.png'), logoPng(32));
  writeFileSync(join(dir, 'logo-64x64.png'), logoPng(64));
  writeFileSync(join(dir, 'logo-svg.svg'), LOGO_SVG);
  return dir;
}

export function uninstall(location: Location): string | undefined {
  const dir = join(kernelsDir(location), KERNEL_NAME);
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
