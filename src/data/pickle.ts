// Reads the Planetoid pickles (Python 2 protocol 2, and what Python 3 writes) into typed arrays: numpy arrays,
// scipy CSR matrices, dicts. A bounded reader of just the opcodes those files use: every length is checked
// against the bytes left, every object is counted, and the loop never recurses, so no file can hang it, make it
// read backwards, or make it allocate much more than the file's own size.
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
 * Limits no Planetoid file comes near (PubMed's graph, the largest, has 19717 lists and batches of 1000 items on
 * the stack), which keep a hostile file's memory within a small multiple of its size.
 */
const MAX_STACK = 100_000;
const MAX_CONTAINERS = 2_000_000;
/** Array dimensions and element counts: typed arrays and CSR offsets are indexed by int32. */
const MAX_INT32 = 2 ** 31 - 1;

/** Charges work that a file could repeat through memo references (decoding, copying, checking) to its size. */
type Spend = (elements: number) => void;

/** A broken pickle; `unpickle` turns it into a DataFormatError naming the file and this byte offset. */
class PickleError extends Error {}

const fail = (message: string): never => {
  throw new PickleError(message);
};

const TYPED: Record<string, { size: number; integer: boolean; make: (length: number) => NdArray['data']; get: (view: DataView, offset: number, little: boolean) => number }> = {
  b1: { size: 1, integer: true, make: (n) => new Uint8Array(n), get: (v, o) => v.getUint8(o) },
  i1: { size: 1, integer: true, make: (n) => new Int8Array(n), get: (v, o) => v.getInt8(o) },
  u1: { size: 1, integer: true, make: (n) => new Uint8Array(n), get: (v, o) => v.getUint8(o) },
  i2: { size: 2, integer: true, make: (n) => new Int16Array(n), get: (v, o, l) => v.getInt16(o, l) },
  u2: { size: 2, integer: true, make: (n) => new Uint16Array(n), get: (v, o, l) => v.getUint16(o, l) },
  i4: { size: 4, integer: true, make: (n) => new Int32Array(n), get: (v, o, l) => v.getInt32(o, l) },
  u4: { size: 4, integer: true, make: (n) => new Uint32Array(n), get: (v, o, l) => v.getUint32(o, l) },
  // 64-bit integers are narrowed to int32 (ids and counts here are far below 2^31); larger ones are refused.
  i8: { size: 8, integer: true, make: (n) => new Int32Array(n), get: (v, o, l) => int32(v.getBigInt64(o, l)) },
  u8: { size: 8, integer: true, make: (n) => new Int32Array(n), get: (v, o, l) => int32(v.getBigUint64(o, l)) },
  f4: { size: 4, integer: false, make: (n) => new Float32Array(n), get: (v, o, l) => v.getFloat32(o, l) },
  f8: { size: 8, integer: false, make: (n) => new Float64Array(n), get: (v, o, l) => v.getFloat64(o, l) },
};

function int32(value: bigint): number {
  return value >= -(2n ** 31n) && value <= 2n ** 31n - 1n ? Number(value) : fail(`int64 element ${value} is outside the int32 range`);
}

class DType {
  byteOrder = '|';
  constructor(readonly code: string) {}
  __setstate__(state: unknown, _spend: Spend): void {
    if (!Array.isArray(state)) fail(`dtype state is ${describe(state)}, expected a tuple`);
    const order = (state as unknown[])[1];
    if (typeof order === 'string') this.byteOrder = order;
  }
}

function numpyDtype(args: unknown[]): DType {
  if (typeof args[0] !== 'string') fail(`numpy.dtype(${describe(args[0])}): expected a type code string`);
  const name = (args[0] as string).replace(/^[<>|=]/, '');
  return new DType(name === 'bool' || name === '?' ? 'b1' : name);
}

class NumpyArray implements NdArray {
  readonly kind = 'ndarray';
  shape: number[] = [];
  data: NdArray['data'] = new Uint8Array(0);
  __setstate__(state: unknown, spend: Spend): void {
    // (version, shape, dtype, is_fortran, raw); older pickles omit the version.
    if (!Array.isArray(state) || (state.length !== 4 && state.length !== 5)) fail(`numpy array state is ${describe(state)}, expected a 4- or 5-tuple`);
    const [shape, dtype, fortran, raw] = (state as unknown[]).length === 5 ? (state as unknown[]).slice(1) : (state as unknown[]);
    if (!(dtype instanceof DType)) return fail(`numpy array dtype is ${describe(dtype)}`);
    const spec = TYPED[dtype.code] ?? fail(`numpy dtype '${dtype.code.slice(0, 20)}' is not supported (expected one of ${Object.keys(TYPED).join(', ')})`);
    if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0 && d <= MAX_INT32)) {
      fail(`numpy array shape is ${describe(shape)}, expected a tuple of sizes from 0 to ${MAX_INT32}`);
    }
    this.shape = shape as number[];
    const count = this.shape.reduce((a, b) => a * b, 1);
    if (count > MAX_INT32) fail(`numpy array of shape (${this.shape.join(', ')}) has more than ${MAX_INT32} elements`);
    // Python 2 pickles the raw bytes as a str (kept one char per byte), Python 3 as bytes.
    const bytes = typeof raw === 'string' ? Buffer.from(raw, 'latin1') : raw;
    if (!(bytes instanceof Uint8Array)) return fail(`numpy array data is ${describe(raw)}, expected raw bytes`);
    // Checked before allocating: the output is no larger than the bytes the file holds.
    if (bytes.byteLength !== count * spec.size) {
      fail(`numpy array of shape (${this.shape.join(', ')}) ${dtype.code} needs ${count * spec.size} bytes, found ${bytes.byteLength}`);
    }
    spend(count);
    const little = dtype.byteOrder !== '>';
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const out = spec.make(count);
    for (let i = 0; i < count; i++) out[i] = spec.get(view, i * spec.size, little);
    this.data = fortran === true && this.shape.length === 2 ? transposeFortran(out, this.shape[0], this.shape[1]) : out;
  }
}

function transposeFortran(data: NdArray['data'], rows: number, cols: number): NdArray['data'] {
  const out = data.slice();
  for (let j = 0; j < cols; j++) for (let i = 0; i < rows; i++) out[i * cols + j] = data[j * rows + i];
  return out;
}

const isIntegerArray = (data: NdArray['data']) => !(data instanceof Float32Array || data instanceof Float64Array);

class CsrState implements ScipyCsr {
  readonly kind = 'csr';
  rows = 0;
  cols = 0;
  indptr: NdArray['data'] = new Int32Array(1);
  indices: NdArray['data'] = new Int32Array(0);
  data: NdArray['data'] = new Float32Array(0);
  __setstate__(state: unknown, spend: Spend): void {
    if (!(state instanceof Map)) return fail(`csr_matrix state is ${describe(state)}, expected a dict`);
    const shape = state.get('_shape');
    if (!Array.isArray(shape) || shape.length !== 2 || !shape.every((d) => Number.isInteger(d) && d >= 0 && d < MAX_INT32)) {
      fail(`csr_matrix._shape is ${describe(shape)}, expected a tuple of two sizes`);
    }
    [this.rows, this.cols] = shape as number[];
    for (const key of ['indptr', 'indices', 'data'] as const) {
      const array = state.get(key);
      if (!(array instanceof NumpyArray) || array.shape.length !== 1) fail(`csr_matrix.${key} is ${describe(array)}, expected a 1-d numpy array`);
      this[key] = (array as NumpyArray).data;
    }
    const { rows, cols, indptr, indices, data } = this;
    spend(indptr.length + indices.length);
    if (!isIntegerArray(indptr) || !isIntegerArray(indices)) fail('csr_matrix.indptr and .indices must hold integers');
    if (indptr.length !== rows + 1) fail(`csr_matrix.indptr has ${indptr.length} entries, expected rows + 1 = ${rows + 1}`);
    if (indices.length !== data.length) fail(`csr_matrix.indices has ${indices.length} entries but .data has ${data.length}`);
    if (indptr[0] !== 0) fail(`csr_matrix.indptr[0] is ${indptr[0]}, expected 0`);
    for (let i = 0; i < rows; i++) {
      if (indptr[i + 1] < indptr[i]) fail(`csr_matrix.indptr[${i + 1}] = ${indptr[i + 1]} is less than indptr[${i}] = ${indptr[i]} (not monotonic)`);
    }
    if (indptr[rows] !== indices.length) fail(`csr_matrix.indptr ends at ${indptr[rows]}, expected nnz = ${indices.length}`);
    for (let k = 0; k < indices.length; k++) {
      if (!(indices[k] >= 0 && indices[k] < cols)) fail(`csr_matrix.indices[${k}] = ${indices[k]} is outside 0..${cols - 1}`);
      if (!Number.isFinite(data[k])) fail(`csr_matrix.data[${k}] is ${data[k]}, expected a finite number`);
    }
  }
}

/** A Python global the reader allows: what calling it (REDUCE) or instantiating it (NEWOBJ) gives. */
class Global {
  constructor(
    readonly name: string,
    readonly call?: (args: unknown[], spend: Spend) => unknown,
    readonly construct?: () => { __setstate__(state: unknown, spend: Spend): void },
  ) {}
}

const NDARRAY = new Global('numpy.ndarray', undefined, () => new NumpyArray());
const LIST = new Global('builtins.list');

function reconstruct(args: unknown[]): NumpyArray {
  if (args[0] !== NDARRAY) fail(`_reconstruct of ${describe(args[0])}, expected numpy.ndarray`);
  return new NumpyArray();
}

function codecsEncode(args: unknown[], spend: Spend): Buffer {
  // Python 3 writes bytes into protocol-2 pickles as _codecs.encode(latin-1 text, 'latin1').
  const [text, encoding] = args;
  if (typeof text !== 'string' || (encoding !== 'latin1' && encoding !== 'latin-1')) {
    fail(`_codecs.encode(${describe(text)}, ${describe(encoding)}): expected a string and 'latin1'`);
  }
  spend((text as string).length);
  return Buffer.from(text as string, 'latin1');
}

function defaultdict(args: unknown[]): Map<unknown, unknown> {
  if (args.length > 1 || (args.length === 1 && args[0] !== LIST && args[0] !== null)) fail(`defaultdict(${describe(args[0])}): expected list`);
  return new Map();
}

const GLOBALS = new Map<string, Global>([
  ['numpy.core.multiarray _reconstruct', new Global('numpy.core.multiarray._reconstruct', reconstruct)],
  ['numpy._core.multiarray _reconstruct', new Global('numpy._core.multiarray._reconstruct', reconstruct)],
  ['numpy ndarray', NDARRAY],
  ['numpy dtype', new Global('numpy.dtype', numpyDtype)],
  ...['scipy.sparse.csr', 'scipy.sparse._csr'].flatMap((module) =>
    ['csr_matrix', 'csr_array'].map((name): [string, Global] => [`${module} ${name}`, new Global(`${module}.${name}`, undefined, () => new CsrState())]),
  ),
  ['collections defaultdict', new Global('collections.defaultdict', defaultdict)],
  ['_codecs encode', new Global('_codecs.encode', codecsEncode)],
  ['__builtin__ list', LIST],
  ['builtins list', LIST],
]);

function lookupGlobal(module: string, name: string): Global {
  return GLOBALS.get(`${module} ${name}`) ?? fail(`global ${module.slice(0, 60)}.${name.slice(0, 60)} is not one a Planetoid file uses (refused)`);
}

/** Tuples are frozen arrays, so that APPEND/SETITEM on one is refused as Python refuses it. */
const tuple = (items: unknown[]): unknown[] => Object.freeze(items) as unknown[];
const MARK = Symbol('mark');

/** Executes the pickle's opcodes on an explicit stack: one loop, no recursion, every read bounds-checked. */
class Machine {
  private at = 0;
  private stack: unknown[] = [];
  private marks: number[] = [];
  private memo = new Map<number, unknown>();
  private containers = 0;
  /** Elements decoded, copied or checked so far: a real file does each once, so twice its size is plenty. */
  private work = 0;
  private readonly view: DataView;
  private readonly spend: Spend = (elements) => {
    this.work += elements;
    if (this.work > 2 * this.bytes.length + 1024) fail(`decodes more data than a ${this.bytes.length}-byte file holds (objects repeated through the memo)`);
  };

  constructor(private readonly bytes: Uint8Array) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get offset(): number {
    return this.at;
  }

  run(): unknown {
    for (;;) {
      const op = this.u8();
      switch (op) {
        case 0x80: // PROTO
          if (this.u8() > 5) fail('pickle protocol above 5');
          break;
        case 0x95: // FRAME: a length hint only
          this.take(8);
          break;
        case 0x2e: // STOP
          if (this.stack.length !== 1 || this.marks.length > 0) fail(`STOP with ${this.stack.length} values on the stack`);
          return this.stack[0];
        case 0x28: // MARK
          this.marks.push(this.stack.length);
          this.push(MARK);
          break;
        case 0x4e: // NONE
          this.push(null);
          break;
        case 0x88: // NEWTRUE
          this.push(true);
          break;
        case 0x89: // NEWFALSE
          this.push(false);
          break;
        case 0x4a: // BININT
          this.push(this.view.getInt32(this.advance(4), true));
          break;
        case 0x4b: // BININT1
          this.push(this.u8());
          break;
        case 0x4d: // BININT2
          this.push(this.view.getUint16(this.advance(2), true));
          break;
        case 0x8a: // LONG1
          this.push(this.long(this.u8()));
          break;
        case 0x47: // BINFLOAT
          this.push(this.view.getFloat64(this.advance(8), false));
          break;
        case 0x54: // BINSTRING (Python 2 str: raw bytes, kept one char per byte)
          this.push(this.text(this.length(this.view.getInt32(this.advance(4), true)), 'latin1'));
          break;
        case 0x55: // SHORT_BINSTRING
          this.push(this.text(this.u8(), 'latin1'));
          break;
        case 0x58: // BINUNICODE
          this.push(this.text(this.length(this.view.getUint32(this.advance(4), true)), 'utf8'));
          break;
        case 0x8c: // SHORT_BINUNICODE
          this.push(this.text(this.u8(), 'utf8'));
          break;
        case 0x42: // BINBYTES
          this.push(this.take(this.length(this.view.getUint32(this.advance(4), true))));
          break;
        case 0x43: // SHORT_BINBYTES
          this.push(this.take(this.u8()));
          break;
        case 0x8e: // BINBYTES8
          this.push(this.take(this.length(Number(this.view.getBigUint64(this.advance(8), true)))));
          break;
        case 0x29: // EMPTY_TUPLE
          this.push(this.container(tuple([])));
          break;
        case 0x85: // TUPLE1
        case 0x86: // TUPLE2
        case 0x87: // TUPLE3
          this.push(this.container(tuple(this.popN(op - 0x84))));
          break;
        case 0x74: // TUPLE
          this.push(this.container(tuple(this.popMark())));
          break;
        case 0x5d: // EMPTY_LIST
          this.push(this.container([]));
          break;
        case 0x6c: // LIST
          this.push(this.container(this.popMark()));
          break;
        case 0x61: // APPEND
          this.appendTo(this.popN(1));
          break;
        case 0x65: // APPENDS
          this.appendTo(this.popMark());
          break;
        case 0x7d: // EMPTY_DICT
          this.push(this.container(new Map()));
          break;
        case 0x64: // DICT
          this.push(this.setItems(this.container(new Map()), this.popMark()));
          break;
        case 0x73: // SETITEM
          this.setItems(this.dictOnTop(2), this.popN(2));
          break;
        case 0x75: // SETITEMS
          this.setItemsOnMark();
          break;
        case 0x71: // BINPUT
          this.put(this.u8());
          break;
        case 0x72: // LONG_BINPUT
          this.put(this.view.getUint32(this.advance(4), true));
          break;
        case 0x94: // MEMOIZE
          this.put(this.memo.size);
          break;
        case 0x68: // BINGET
          this.get(this.u8());
          break;
        case 0x6a: // LONG_BINGET
          this.get(this.view.getUint32(this.advance(4), true));
          break;
        case 0x63: // GLOBAL: "module\nname\n"
          this.push(lookupGlobal(this.line(), this.line()));
          break;
        case 0x93: {
          // STACK_GLOBAL
          const [module, name] = this.popN(2);
          if (typeof module !== 'string' || typeof name !== 'string') fail('STACK_GLOBAL of non-strings');
          this.push(lookupGlobal(module as string, name as string));
          break;
        }
        case 0x52: {
          // REDUCE: callable(*args)
          const [callable, args] = this.popN(2);
          if (!(callable instanceof Global) || !callable.call) return fail(`REDUCE calls ${describe(callable)}, which cannot be called here`);
          if (!Array.isArray(args)) fail(`REDUCE arguments are ${describe(args)}, expected a tuple`);
          this.push(this.container(callable.call(args as unknown[], this.spend)));
          break;
        }
        case 0x81: {
          // NEWOBJ: cls.__new__(cls, *args)
          const [cls, args] = this.popN(2);
          if (!(cls instanceof Global) || !cls.construct) return fail(`NEWOBJ of ${describe(cls)}, which cannot be created here`);
          if (!Array.isArray(args)) fail(`NEWOBJ arguments are ${describe(args)}, expected a tuple`);
          this.push(this.container(cls.construct()));
          break;
        }
        case 0x62: {
          // BUILD: obj.__setstate__(state)
          const [state] = this.popN(1);
          const target = this.top();
          if (!(target instanceof NumpyArray || target instanceof CsrState || target instanceof DType)) fail(`BUILD on ${describe(target)}`);
          (target as DType).__setstate__(state, this.spend);
          break;
        }
        default:
          fail(`opcode 0x${op.toString(16).padStart(2, '0')} is not one a Planetoid file uses`);
      }
    }
  }

  private u8(): number {
    if (this.at >= this.bytes.length) fail('the file ends before the pickle does (truncated)');
    return this.bytes[this.at++];
  }

  /** Moves past `n` bytes, failing if fewer are left; returns where they start. */
  private advance(n: number): number {
    if (n > this.bytes.length - this.at) fail(`needs ${n} more bytes but only ${this.bytes.length - this.at} are left (truncated or a bad length)`);
    const start = this.at;
    this.at += n;
    return start;
  }

  private take(n: number): Uint8Array {
    const start = this.advance(n);
    return this.bytes.subarray(start, start + n);
  }

  /** A declared length: never negative, never more than the bytes left. */
  private length(n: number): number {
    if (!(n >= 0)) fail(`negative length ${n}`);
    if (n > this.bytes.length - this.at) fail(`length ${n} runs past the end of the file (${this.bytes.length - this.at} bytes left)`);
    return n;
  }

  private text(n: number, encoding: 'latin1' | 'utf8'): string {
    const bytes = this.take(n);
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString(encoding);
  }

  private line(): string {
    const end = this.bytes.indexOf(0x0a, this.at);
    if (end < 0 || end - this.at > 200) fail('GLOBAL name is not a short newline-ended line');
    const text = this.text(end - this.at, 'latin1');
    this.at++;
    return text;
  }

  private long(n: number): number {
    const bytes = this.take(n);
    if (n === 0) return 0;
    if (n > 8) fail(`LONG1 of ${n} bytes is beyond the int64 these files use`);
    let value = 0n;
    for (let i = n - 1; i >= 0; i--) value = (value << 8n) | BigInt(bytes[i]);
    if (bytes[n - 1] & 0x80) value -= 1n << BigInt(8 * n);
    if (value > BigInt(Number.MAX_SAFE_INTEGER) || value < BigInt(Number.MIN_SAFE_INTEGER)) fail(`integer ${value} is too large`);
    return Number(value);
  }

  private push(value: unknown): void {
    if (this.stack.length >= MAX_STACK) fail(`more than ${MAX_STACK} values on the stack`);
    this.stack.push(value);
  }

  private container<T>(value: T): T {
    if (++this.containers > MAX_CONTAINERS) fail(`more than ${MAX_CONTAINERS} lists, dicts, tuples and objects`);
    return value;
  }

  private top(): unknown {
    const value = this.stack.length > 0 ? this.stack[this.stack.length - 1] : fail('the stack is empty');
    return value === MARK ? fail('a MARK where a value was expected') : value;
  }

  private popN(n: number): unknown[] {
    const mark = this.marks.length > 0 ? this.marks[this.marks.length - 1] : -1;
    if (this.stack.length - n <= mark || this.stack.length < n) fail(`needs ${n} values on the stack`);
    return this.stack.splice(this.stack.length - n, n);
  }

  private popMark(): unknown[] {
    const mark = this.marks.pop() ?? fail('no MARK to pop to');
    const items = this.stack.splice(mark);
    items.shift();
    return items;
  }

  private appendTo(items: unknown[]): void {
    const target = this.top();
    if (!Array.isArray(target) || Object.isFrozen(target)) fail(`APPEND to ${describe(target)}, expected a list`);
    for (const item of items) (target as unknown[]).push(item);
  }

  private dictOnTop(below: number): Map<unknown, unknown> {
    const target = this.stack.length > below ? this.stack[this.stack.length - 1 - below] : undefined;
    if (!(target instanceof Map)) return fail(`SETITEM on ${describe(target)}, expected a dict`);
    return target;
  }

  private setItemsOnMark(): void {
    const items = this.popMark();
    const target = this.top();
    if (!(target instanceof Map)) return fail(`SETITEMS on ${describe(target)}, expected a dict`);
    this.setItems(target, items);
  }

  private setItems(target: Map<unknown, unknown>, items: unknown[]): Map<unknown, unknown> {
    if (items.length % 2 !== 0) fail('SETITEMS with an odd number of values');
    for (let k = 0; k < items.length; k += 2) target.set(items[k], items[k + 1]);
    return target;
  }

  private put(index: number): void {
    // The memo holds references, one per PUT opcode, so it too stays within the file's size.
    this.memo.set(index, this.top());
  }

  private get(index: number): void {
    if (!this.memo.has(index)) fail(`memo entry ${index} was never stored`);
    this.push(this.memo.get(index));
  }
}

function describe(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (value === MARK) return 'a MARK';
  if (value instanceof NumpyArray) return `a numpy array of shape (${value.shape.join(', ')})`;
  if (value instanceof CsrState) return 'a scipy csr_matrix';
  if (value instanceof Global) return value.name;
  if (value instanceof DType) return 'a numpy dtype';
  if (value instanceof Map) return 'a dict';
  if (value instanceof Uint8Array) return `${value.byteLength} bytes`;
  if (typeof value === 'string') return `the string '${value.slice(0, 40)}'`;
  if (typeof value === 'number' || typeof value === 'boolean') return `the ${typeof value} ${value}`;
  return Array.isArray(value) ? (Object.isFrozen(value) ? `a ${value.length}-tuple` : 'a list') : `a ${typeof value}`;
}

/** Unpickles `bytes`; any failure is a DataFormatError naming `file` and the byte where reading stopped. */
export function unpickle(bytes: Uint8Array, file: string): unknown {
  const machine = new Machine(bytes);
  try {
    return machine.run();
  } catch (error) {
    if (!(error instanceof PickleError)) throw error;
    throw new DataFormatError(file, `not a readable pickle: at byte ${machine.offset}, ${error.message}`);
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

/**
 * A pickled dict of node id -> list of neighbour ids (the Planetoid `graph` file) read from `fileBytes` bytes. Each
 * neighbour takes at least one byte of the file unless lists are shared through the memo, which no real file does
 * and which could otherwise make a small file name billions of edges.
 */
export function expectAdjacencyList(value: unknown, file: string, fileBytes: number): Map<number, number[]> {
  if (!(value instanceof Map)) throw new DataFormatError(file, `expected a pickled dict of adjacency lists, found ${describe(value)}`);
  let total = 0;
  for (const neighbours of value.values()) total += Array.isArray(neighbours) ? neighbours.length : 0;
  if (total > fileBytes) throw new DataFormatError(file, `its lists hold ${total} neighbours, more than a ${fileBytes}-byte file can (lists repeated through the memo)`);
  for (const [node, neighbours] of value) {
    if (!Number.isInteger(node) || !Array.isArray(neighbours) || !neighbours.every(Number.isInteger)) {
      throw new DataFormatError(file, `entry ${describe(node)} is not an integer node with a list of integer neighbours`);
    }
  }
  return value as Map<number, number[]>;
}
