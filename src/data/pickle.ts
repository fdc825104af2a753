// Reads the Planetoid pickles (Python 2, protocol 2) into typed arrays: numpy arrays, scipy CSR matrices, dicts.
import { BufferReader, NameRegistry, Parser } from 'pickleparser';
import { DataFormatError } from '../errors.js';

/** A numpy array rebuilt from its pickle: the elements as a typed array, row-major. */
export interface NdArray {
  kind: 'ndarray';
  shape: number[];
  data: Int8Array | Uint8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | Float32Array | Float64Array;
}

/** A scipy.sparse.csr_matrix rebuilt from its pickle (column indices may be unsorted, as scipy allows). */
export interface ScipyCsr {
  kind: 'csr';
  rows: number;
  cols: number;
  indptr: NdArray['data'];
  indices: NdArray['data'];
  data: NdArray['data'];
}

/**
 * pickleparser decodes Python 2 `str` (numpy's raw bytes) with TextDecoder('ascii'), which is windows-1252
 * and mangles bytes 0x80-0x9f. Latin-1 keeps one character per byte, so the bytes can be recovered exactly.
 */
class ByteStringReader extends BufferReader {
  override string(size: number, encoding: 'ascii' | 'utf-8'): string {
    const bytes = this.bytes(size);
    const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    return buffer.toString(encoding === 'ascii' ? 'latin1' : 'utf8');
  }
}

function bytesOf(raw: unknown): Uint8Array {
  if (typeof raw === 'string') return Buffer.from(raw, 'latin1');
  if (raw instanceof Uint8Array) return raw;
  throw new Error(`array data is ${describe(raw)}, expected raw bytes`);
}

const TYPED: Record<string, { size: number; make: (buffer: ArrayBuffer) => NdArray['data']; get: (view: DataView, offset: number, little: boolean) => number }> = {
  b1: { size: 1, make: (b) => new Uint8Array(b), get: (v, o) => v.getUint8(o) },
  i1: { size: 1, make: (b) => new Int8Array(b), get: (v, o) => v.getInt8(o) },
  u1: { size: 1, make: (b) => new Uint8Array(b), get: (v, o) => v.getUint8(o) },
  i2: { size: 2, make: (b) => new Int16Array(b), get: (v, o, l) => v.getInt16(o, l) },
  u2: { size: 2, make: (b) => new Uint16Array(b), get: (v, o, l) => v.getUint16(o, l) },
  i4: { size: 4, make: (b) => new Int32Array(b), get: (v, o, l) => v.getInt32(o, l) },
  u4: { size: 4, make: (b) => new Uint32Array(b), get: (v, o, l) => v.getUint32(o, l) },
  // 64-bit integers are narrowed to int32: ids and counts in these datasets are far below 2^31.
  i8: { size: 8, make: (b) => new Int32Array(b.byteLength / 2), get: (v, o, l) => Number(v.getBigInt64(o, l)) },
  u8: { size: 8, make: (b) => new Int32Array(b.byteLength / 2), get: (v, o, l) => Number(v.getBigUint64(o, l)) },
  f4: { size: 4, make: (b) => new Float32Array(b), get: (v, o, l) => v.getFloat32(o, l) },
  f8: { size: 8, make: (b) => new Float64Array(b), get: (v, o, l) => v.getFloat64(o, l) },
};

class DType {
  byteOrder = '|';
  constructor(readonly code: string) {}
  __setstate__(state: unknown[]): void {
    if (typeof state[1] === 'string') this.byteOrder = state[1];
  }
}

function numpyDtype(code: unknown): DType {
  const name = String(code).replace(/^[<>|=]/, '');
  return new DType(name === 'bool' || name === '?' ? 'b1' : name);
}

class NumpyArray implements NdArray {
  readonly kind = 'ndarray';
  shape: number[] = [];
  data: NdArray['data'] = new Uint8Array(0);
  __setstate__(state: unknown[]): void {
    // (version, shape, dtype, is_fortran, raw); older pickles omit the version.
    const [shape, dtype, fortran, raw] = state.length === 5 ? state.slice(1) : state;
    if (!(dtype instanceof DType)) throw new Error(`array dtype is ${describe(dtype)}`);
    const spec = TYPED[dtype.code];
    if (!spec) throw new Error(`numpy dtype '${dtype.code}' is not supported (expected one of ${Object.keys(TYPED).join(', ')})`);
    this.shape = (shape as number[]).map(Number);
    const count = this.shape.reduce((a, b) => a * b, 1);
    const bytes = bytesOf(raw);
    if (bytes.byteLength !== count * spec.size) {
      throw new Error(`array of shape (${this.shape.join(', ')}) ${dtype.code} needs ${count * spec.size} bytes, found ${bytes.byteLength}`);
    }
    const little = dtype.byteOrder !== '>';
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const out = spec.make(new ArrayBuffer(count * spec.size));
    for (let i = 0; i < count; i++) out[i] = spec.get(view, i * spec.size, little);
    this.data = fortran && this.shape.length === 2 ? transposeFortran(out, this.shape[0], this.shape[1]) : out;
  }
}

function transposeFortran(data: NdArray['data'], rows: number, cols: number): NdArray['data'] {
  const out = data.slice();
  for (let j = 0; j < cols; j++) for (let i = 0; i < rows; i++) out[i * cols + j] = data[j * rows + i];
  return out;
}

class CsrState implements ScipyCsr {
  readonly kind = 'csr';
  rows = 0;
  cols = 0;
  indptr: NdArray['data'] = new Int32Array(1);
  indices: NdArray['data'] = new Int32Array(0);
  data: NdArray['data'] = new Float32Array(0);
  __setstate__(state: Map<string, unknown>): void {
    const shape = state.get('_shape') as number[] | undefined;
    if (!Array.isArray(shape) || shape.length !== 2) throw new Error(`csr_matrix has no 2-d _shape`);
    [this.rows, this.cols] = shape.map(Number);
    for (const key of ['indptr', 'indices', 'data'] as const) {
      const array = state.get(key);
      if (!(array instanceof NumpyArray)) throw new Error(`csr_matrix.${key} is ${describe(array)}`);
      this[key] = array.data;
    }
    if (this.indptr.length !== this.rows + 1 || this.indptr[this.rows] !== this.indices.length || this.indices.length !== this.data.length) {
      throw new Error(`csr_matrix of shape (${this.rows}, ${this.cols}) has inconsistent indptr/indices/data lengths`);
    }
  }
}

function registry(): NameRegistry {
  const names = new NameRegistry();
  for (const module of ['numpy.core.multiarray', 'numpy._core.multiarray']) {
    names.register(module, '_reconstruct', () => new NumpyArray());
  }
  names.register('numpy', 'ndarray', NumpyArray);
  names.register('numpy', 'dtype', numpyDtype);
  for (const module of ['scipy.sparse.csr', 'scipy.sparse._csr']) {
    names.register(module, 'csr_matrix', CsrState);
    names.register(module, 'csr_array', CsrState);
  }
  names.register('collections', 'defaultdict', () => new Map());
  // Python 3 writes bytes into protocol-2 pickles as _codecs.encode(latin-1 text, 'latin1').
  names.register('_codecs', 'encode', (text: string) => Buffer.from(text, 'latin1'));
  for (const module of ['__builtin__', 'builtins']) names.register(module, 'list', () => []);
  return names;
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (value instanceof NumpyArray) return `a numpy array of shape (${value.shape.join(', ')})`;
  if (value instanceof CsrState) return 'a scipy csr_matrix';
  if (value instanceof Map) return 'a dict';
  const proto = Object.getPrototypeOf(value) as { __module__?: string; __name__?: string } | null;
  if (proto?.__module__) return `a Python ${proto.__module__}.${proto.__name__}`;
  return Array.isArray(value) ? 'a list' : `a ${value.constructor?.name ?? typeof value}`;
}

/** Unpickles `bytes`; any failure is a DataFormatError naming `file`. */
export function unpickle(bytes: Uint8Array, file: string): unknown {
  try {
    const parser = new Parser({ nameResolver: registry(), unpicklingTypeOfDictionary: 'Map' });
    return parser.read(new ByteStringReader(bytes));
  } catch (error) {
    throw new DataFormatError(file, `not a readable pickle (${(error as Error).message})`);
  }
}

export function expectCsr(value: unknown, file: string): ScipyCsr {
  if (value instanceof CsrState) return value;
  throw new DataFormatError(file, `expected a pickled scipy.sparse.csr_matrix, found ${describe(value)}`);
}

export function expectNdArray(value: unknown, file: string, dims: number): NdArray {
  if (value instanceof NumpyArray && value.shape.length === dims) return value;
  const what = value instanceof NumpyArray ? `a ${value.shape.length}-d array` : describe(value);
  throw new DataFormatError(file, `expected a pickled ${dims}-d numpy array, found ${what}`);
}

/** A pickled dict of node id -> list of neighbour ids (the Planetoid `graph` file). */
export function expectAdjacencyList(value: unknown, file: string): Map<number, number[]> {
  if (!(value instanceof Map)) throw new DataFormatError(file, `expected a pickled dict of adjacency lists, found ${describe(value)}`);
  for (const [node, neighbours] of value) {
    if (!Number.isInteger(node) || !Array.isArray(neighbours) || !neighbours.every(Number.isInteger)) {
      throw new DataFormatError(file, `entry ${String(node)} is not an integer node with a list of integer neighbours`);
    }
  }
  return value as Map<number, number[]>;
}
