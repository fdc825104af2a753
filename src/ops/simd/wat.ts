// The WebAssembly SIMD kernels as WAT text: generated here, assembled at build time (assemble.ts), never at run time.
//
// Every kernel works on byte addresses of one shared memory (tfjs-wasm's heap) and produces rows of a narrow output
// (a GCN's 16 hidden or 7 class columns) in registers: "strips" of 1, 2 or 4 f32x4 vectors, each at a byte offset
// in the row. A width that is not a multiple of 4 is covered by letting the last vector overlap the one before
// (7 columns: offsets 0 and 3), which needs no scalar tail: overlapping stores write equal values, and the kernel
// that adds into memory (gemm_tn) zeroes the overlapped lanes of its last vector.

export const STRIP_WIDTHS = [1, 2, 4] as const;
export type StripWidth = (typeof STRIP_WIDTHS)[number];

const range = (n: number) => Array.from({ length: n }, (_, j) => j);
const get = (name: string) => `(local.get $${name})`;
const add = (a: string, b: string) => `(i32.add ${a} ${b})`;
/** A strip's place in a row: its first vector's byte offset, and its last vector's offset from the first. */
const OFFSET_PARAMS = '(param $o0 i32) (param $olast i32)';
/**
 * Vector j of a strip of n at row address `row` (already moved to the strip's start): at 16 j bytes, an immediate
 * offset, except the last, which may overlap the one before it. Immediate offsets leave the registers to the
 * accumulators; with every offset a parameter the kernels ran 20% slower (width 16, 10^5 and 10^6 nodes).
 */
const vectorAt = (n: number, j: number, row: string) => (j < n - 1 ? `offset=${16 * j} ${row}` : add(row, get('olast')));
const load = (n: number, j: number, row: string) => `(v128.load ${vectorAt(n, j, row)})`;
const store = (n: number, j: number, row: string, value: string) => `(v128.store ${vectorAt(n, j, row)} ${value})`;
/** Moves the row pointers `names` (0 stays 0, for "no bias") to the strip's start. */
const toStrip = (...names: string[]) =>
  names.map((x) => (x === 'bias' ? `(if ${get(x)} (then (local.set $${x} ${add(get(x), get('o0'))})))` : `(local.set $${x} ${add(get(x), get('o0'))})`)).join(' ');
const vecLocals = (prefix: string, n: number) => range(n).map((j) => `(local $${prefix}${j} v128)`).join(' ');
/** The address of row `index` of a matrix at byte address `base` with a row stride of `stride` bytes. */
const rowAt = (base: string, index: string, stride: string) => add(get(base), `(i32.mul ${index} ${get(stride)})`);
/** Step i's row: the i-th int32 of the row list at byte address $list, or i itself where $list is 0. */
const LISTED_ROW = `(if (result i32) ${get('list')} (then (i32.load ${add(get('list'), `(i32.shl ${get('i')} (i32.const 2))`)})) (else ${get('i')}))`;
/** a_j = z_j: the accumulators start from the bias vectors. */
const fromBias = (n: number) => range(n).map((j) => `(local.set $a${j} ${get(`z${j}`)})`).join(' ');

/** Runs `body` for counter = 0, 1, ... while counter < `count` (the counter, a local, starts where it is). */
function countUp(counter: string, count: string, body: string): string {
  return `(block $${counter}Done (loop $${counter}Next
      (br_if $${counter}Done (i32.ge_u ${get(counter)} ${count}))
      ${body}
      (local.set $${counter} (i32.add ${get(counter)} (i32.const 1)))
      (br $${counter}Next)))`;
}

/** Bias vectors (or zeros) for one strip, loaded once: z_j = vector j of the bias (bias moved to the strip). */
function biasVectors(n: number): string {
  return `(if ${get('bias')} (then ${range(n).map((j) => `(local.set $z${j} ${load(n, j, get('bias'))})`).join(' ')}))`;
}

/** Stores the accumulators a_j as the vectors of the strip at row address `row`. */
function storeRow(n: number, row: string): string {
  return range(n).map((j) => store(n, j, row, get(`a${j}`))).join('\n      ');
}

/** a_j += v * (vector j of the strip at row address r). */
function accumulate(n: number): string {
  return range(n).map((j) => `(local.set $a${j} (f32x4.add ${get(`a${j}`)} (f32x4.mul ${get('v')} ${load(n, j, get('r'))})))`).join('\n        ');
}

/** (vector j of the strip at row address r) += v * a_j: a scatter's read-modify-write. */
function addInto(n: number): string {
  return range(n).map((j) => store(n, j, get('r'), `(f32x4.add ${load(n, j, get('r'))} (f32x4.mul ${get('v')} ${get(`a${j}`)}))`)).join('\n        ');
}

/** The locals the CSR loops use: step i, row, non-zero byte offset p and its row's end, an address r, the value v. */
const CSR_LOCALS = '(local $i i32) (local $row i32) (local $p i32) (local $end i32) (local $r i32) (local $v v128)';
/** In a CSR loop's non-zero body: the column of non-zero p. */
const COLUMN = `(i32.load ${add(get('col'), get('p'))})`;
/**
 * The loops every CSR kernel shares (params rows, ptr = rowPtr, col = colIndex, val = values): `atRow` runs at the
 * start of each row, `atNonZero` for each of its non-zeros with v = splat(values[p]), `afterRow` at its end. With
 * `listed`, the rows are the `rows` int32s at byte address $list (0: rows 0 to rows - 1, as without).
 */
function csrLoops(atRow: string, atNonZero: string, afterRow: string, listed = false): string {
  return countUp(
    'i',
    get('rows'),
    `(local.set $row ${listed ? LISTED_ROW : get('i')})
      ${atRow}
      (local.set $r ${add(get('ptr'), `(i32.shl ${get('row')} (i32.const 2))`)})
      (local.set $p (i32.shl (i32.load ${get('r')}) (i32.const 2)))
      (local.set $end (i32.shl (i32.load offset=4 ${get('r')}) (i32.const 2)))
      (block $rowDone (loop $nz
        (br_if $rowDone (i32.ge_u ${get('p')} ${get('end')}))
        (local.set $v (f32x4.splat (f32.load ${add(get('val'), get('p'))})))
        ${atNonZero}
        (local.set $p (i32.add ${get('p')} (i32.const 4)))
        (br $nz)))
      ${afterRow}`,
  );
}

/**
 * spmm_n: out[i, strip] = bias[strip] + sum over the non-zeros p of row i of values[p] * b[colIndex[p], strip].
 * rowPtr, colIndex (int32) and values (f32) are CSR; ldb and ldo are row strides in bytes.
 */
function spmm(n: number): string {
  return `
  (func (export "spmm${n}") (param $rows i32) (param $ptr i32) (param $col i32) (param $val i32) (param $b i32) (param $ldb i32)
      (param $bias i32) (param $out i32) (param $ldo i32) ${OFFSET_PARAMS}
    ${CSR_LOCALS} ${vecLocals('a', n)} ${vecLocals('z', n)}
    ${toStrip('b', 'bias', 'out')}
    ${biasVectors(n)}
    ${csrLoops(
      fromBias(n),
      `(local.set $r ${rowAt('b', COLUMN, 'ldb')})
        ${accumulate(n)}`,
      `(local.set $r ${rowAt('out', get('row'), 'ldo')})
      ${storeRow(n, get('r'))}`,
    )}
  )`;
}

/**
 * spmm_scatter_n: out[colIndex[p], strip] += values[p] * b[i, strip] for every non-zero p of every row i (or of the
 * rows listed at $list, when b is zero elsewhere): the product a^T @ b read in a's own row order, so b is read once,
 * front to back, and only the small output is written at random. For a^T @ b when a^T's rows are long and b is
 * larger than the cache (X^T @ dH on big graphs), or b non-zero on a few rows. Strips must not overlap (width a
 * multiple of 4), since it adds into memory; the caller zeroes `out`.
 */
function spmmScatter(n: number): string {
  return `
  (func (export "spmm_scatter${n}") (param $rows i32) (param $list i32) (param $ptr i32) (param $col i32) (param $val i32) (param $b i32)
      (param $ldb i32) (param $out i32) (param $ldo i32) ${OFFSET_PARAMS}
    ${CSR_LOCALS} ${vecLocals('a', n)}
    ${toStrip('b', 'out')}
    ${csrLoops(
      `(local.set $r ${rowAt('b', get('row'), 'ldb')})
      ${range(n).map((j) => `(local.set $a${j} ${load(n, j, get('r'))})`).join(' ')}`,
      `(local.set $r ${rowAt('out', COLUMN, 'ldo')})
        ${addInto(n)}`,
      '',
      true,
    )}
  )`;
}

/**
 * Visits the non-zeros of the `len` floats at byte address `base`, sixteen at a time (a block of sixteen zeros, most
 * of a dense adjacency, costs four loads and one test), running `body` with v = splat(a[p]) and p its byte offset.
 */
function nonZeros(base: string, len: string, body: string): string {
  const one = `
          (local.set $x (f32.load ${add(base, get('p'))}))
          (if (f32.ne ${get('x')} (f32.const 0)) (then
            (local.set $v (f32x4.splat ${get('x')}))
            ${body}))
          (local.set $p (i32.add ${get('p')} (i32.const 4)))`;
  const at = (offset: number) => `(v128.load offset=${offset} ${add(base, get('p'))})`;
  return `
      (local.set $p (i32.const 0))
      (local.set $end4 (i32.and ${len} (i32.const -64)))
      (block $blocksDone (loop $blocks
        (br_if $blocksDone (i32.ge_u ${get('p')} ${get('end4')}))
        (if (v128.any_true (v128.or (v128.or ${at(0)} ${at(16)}) (v128.or ${at(32)} ${at(48)})))
          (then
            (local.set $q (i32.add ${get('p')} (i32.const 64)))
            (block $inDone (loop $in
              (br_if $inDone (i32.ge_u ${get('p')} ${get('q')}))
              ${one}
              (br $in))))
          (else (local.set $p (i32.add ${get('p')} (i32.const 64)))))
        (br $blocks)))
      (block $tailDone (loop $tail
        (br_if $tailDone (i32.ge_u ${get('p')} ${len}))
        ${one}
        (br $tail)))`;
}

/**
 * gemm_nn_n: out[i, strip] = bias[strip] + sum_p a[i, p] * b[p, strip] for a dense m x k `a` (row stride lda bytes),
 * skipping a's zeros (relu and dropout leave most of a hidden layer at zero; a dense adjacency is 99.8% zeros).
 */
function gemmNN(n: number): string {
  return `
  (func (export "gemm_nn${n}") (param $m i32) (param $k i32) (param $a i32) (param $lda i32) (param $b i32) (param $ldb i32)
      (param $bias i32) (param $out i32) (param $ldo i32) ${OFFSET_PARAMS}
    (local $i i32) (local $p i32) (local $q i32) (local $end4 i32) (local $len i32) (local $row i32) (local $r i32) (local $x f32)
    (local $v v128) ${vecLocals('a', n)} ${vecLocals('z', n)}
    ${toStrip('b', 'bias', 'out')}
    ${biasVectors(n)}
    (local.set $len (i32.shl ${get('k')} (i32.const 2)))
    ${countUp(
      'i',
      get('m'),
      `${fromBias(n)}
      (local.set $row ${rowAt('a', get('i'), 'lda')})
      ${nonZeros(get('row'), get('len'), `(local.set $r ${rowAt('b', `(i32.shr_u ${get('p')} (i32.const 2))`, 'ldb')})
            ${accumulate(n)}`)}
      (local.set $r ${rowAt('out', get('i'), 'ldo')})
      ${storeRow(n, get('r'))}`,
    )}
  )`;
}

/**
 * gemm_tn_n: out = a^T @ b for a stored m x k (stride lda bytes), b m x width: every row q of a scatters row q of b
 * (held in registers) into the rows of out where a[q, p] is non-zero. out (k rows) is first set to bias or zero.
 * `skip` lanes at the start of the last vector are zeroed: they overlap the vector before it. With $list non-zero,
 * the rows q are the m int32s there (b zero on the others), else 0 to m - 1.
 */
function gemmTN(n: number): string {
  const last = n - 1;
  return `
  (func (export "gemm_tn${n}") (param $m i32) (param $k i32) (param $a i32) (param $lda i32) (param $b i32) (param $ldb i32)
      (param $bias i32) (param $out i32) (param $ldo i32) ${OFFSET_PARAMS} (param $skip i32) (param $list i32)
    (local $i i32) (local $p i32) (local $q i32) (local $end4 i32) (local $len i32) (local $row i32) (local $r i32) (local $x f32) (local $src i32)
    (local $v v128) (local $keep v128) ${vecLocals('a', n)} ${vecLocals('z', n)}
    ${toStrip('b', 'bias', 'out')}
    ${biasVectors(n)}
    ${countUp(
      'i',
      get('k'),
      `(local.set $r ${rowAt('out', get('i'), 'ldo')})
      ${range(n).map((j) => store(n, j, get('r'), get(`z${j}`))).join(' ')}`,
    )}
    (local.set $keep (i32x4.ge_u (v128.const i32x4 0 1 2 3) (i32x4.splat ${get('skip')})))
    (local.set $len (i32.shl ${get('k')} (i32.const 2)))
    (local.set $i (i32.const 0))
    ${countUp(
      'i',
      get('m'),
      `(local.set $src ${LISTED_ROW})
      (local.set $r ${rowAt('b', get('src'), 'ldb')})
      ${range(n).map((j) => `(local.set $a${j} ${load(n, j, get('r'))})`).join(' ')}
      (local.set $a${last} (v128.and ${get(`a${last}`)} ${get('keep')}))
      (local.set $row ${rowAt('a', get('src'), 'lda')})
      ${nonZeros(get('row'), get('len'), `(local.set $r ${rowAt('out', `(i32.shr_u ${get('p')} (i32.const 2))`, 'ldo')})
            ${addInto(n)}`)}`,
    )}
  )`;
}

/**
 * gemm_nn_all_n and gemm_tn_all_n: the same products as gemm_nn_n and gemm_tn_n for a dense-ish `a` (a hidden
 * layer after relu and dropout: a quarter non-zero, at random), multiplying every entry: a branch per entry there
 * is mispredicted half the time and costs more than the multiplications it saves. gemm_nn_all_n takes a row list
 * as gemm_tn_n does (rows of a and of out; 0: every row). gemm_tn_all_n keeps a row of
 * out (a column of a) in registers over all of a's rows, so it only stores (no skip lanes needed).
 */
function gemmNNAll(n: number): string {
  return `
  (func (export "gemm_nn_all${n}") (param $m i32) (param $k i32) (param $a i32) (param $lda i32) (param $b i32) (param $ldb i32)
      (param $bias i32) (param $out i32) (param $ldo i32) ${OFFSET_PARAMS} (param $list i32)
    (local $i i32) (local $p i32) (local $len i32) (local $row i32) (local $r i32) (local $v v128) (local $src i32) ${vecLocals('a', n)} ${vecLocals('z', n)}
    ${toStrip('b', 'bias', 'out')}
    ${biasVectors(n)}
    (local.set $len (i32.shl ${get('k')} (i32.const 2)))
    ${countUp(
      'i',
      get('m'),
      `${fromBias(n)}
      (local.set $src ${LISTED_ROW})
      (local.set $row ${rowAt('a', get('src'), 'lda')})
      (local.set $r ${get('b')})
      (local.set $p (i32.const 0))
      (block $rowDone (loop $inner
        (br_if $rowDone (i32.ge_u ${get('p')} ${get('len')}))
        (local.set $v (f32x4.splat (f32.load ${add(get('row'), get('p'))})))
        ${accumulate(n)}
        (local.set $r (i32.add ${get('r')} ${get('ldb')}))
        (local.set $p (i32.add ${get('p')} (i32.const 4)))
        (br $inner)))
      (local.set $r ${rowAt('out', get('src'), 'ldo')})
      ${storeRow(n, get('r'))}`,
    )}
  )`;
}

function gemmTNAll(n: number): string {
  return `
  (func (export "gemm_tn_all${n}") (param $m i32) (param $k i32) (param $a i32) (param $lda i32) (param $b i32) (param $ldb i32)
      (param $bias i32) (param $out i32) (param $ldo i32) ${OFFSET_PARAMS}
    (local $p i32) (local $q i32) (local $col i32) (local $r i32) (local $v v128) ${vecLocals('a', n)} ${vecLocals('z', n)}
    ${toStrip('b', 'bias', 'out')}
    ${biasVectors(n)}
    ${countUp(
      'p',
      get('k'),
      `${fromBias(n)}
      (local.set $col ${add(get('a'), `(i32.shl ${get('p')} (i32.const 2))`)})
      (local.set $r ${get('b')})
      (local.set $q (i32.const 0))
      ${countUp(
        'q',
        get('m'),
        `(local.set $v (f32x4.splat (f32.load ${get('col')})))
        ${accumulate(n)}
        (local.set $col (i32.add ${get('col')} ${get('lda')}))
        (local.set $r (i32.add ${get('r')} ${get('ldb')}))`,
      )}
      (local.set $r ${rowAt('out', get('p'), 'ldo')})
      ${storeRow(n, get('r'))}`,
    )}
  )`;
}

/** The counter-based hash of ops/random.ts, four indices at a time: keep lanes where (hash >>> 8) >= threshold. */
const HASH = `
      (local.set $h (v128.xor (i32x4.mul ${get('idx')} (i32x4.splat (i32.const 0x9e3779b1))) ${get('seedv')}))
      (local.set $h (v128.xor ${get('h')} (i32x4.shr_u ${get('h')} (i32.const 16))))
      (local.set $h (i32x4.mul ${get('h')} (i32x4.splat (i32.const 0x7feb352d))))
      (local.set $h (v128.xor ${get('h')} (i32x4.shr_u ${get('h')} (i32.const 15))))
      (local.set $h (i32x4.mul ${get('h')} (i32x4.splat (i32.const 0x846ca68b))))
      (local.set $h (v128.xor ${get('h')} (i32x4.shr_u ${get('h')} (i32.const 16))))
      (local.set $h (i32x4.ge_u (i32x4.shr_u ${get('h')} (i32.const 8)) ${get('tv')}))`;

/**
 * relu_dropout: out[i] = x[i] > 0 and kept ? x[i] * scale : 0 for i < n4 (a multiple of 4; the caller does the
 * tail), where the mask of element i is drawn for index first + i (x and out may start inside a larger array, as a
 * thread's share of it). relu_dropout_grad: out[i] = y[i] > 0 ? dy[i] * scale : 0.
 */
const RELU_DROPOUT = `
  (func (export "relu_dropout") (param $n4 i32) (param $x i32) (param $out i32) (param $seed i32) (param $threshold i32) (param $scale f32)
      (param $first i32)
    (local $p i32) (local $end i32) (local $idx v128) (local $h v128) (local $seedv v128) (local $tv v128) (local $xv v128) (local $s v128)
    (local.set $idx (i32x4.add (i32x4.splat ${get('first')}) (v128.const i32x4 0 1 2 3)))
    (local.set $seedv (i32x4.splat ${get('seed')}))
    (local.set $tv (i32x4.splat ${get('threshold')}))
    (local.set $s (f32x4.splat ${get('scale')}))
    (local.set $end (i32.shl ${get('n4')} (i32.const 2)))
    (block $done (loop $l
      (br_if $done (i32.ge_u ${get('p')} ${get('end')}))
      ${HASH}
      (local.set $xv (v128.load ${add(get('x'), get('p'))}))
      (v128.store ${add(get('out'), get('p'))}
        (v128.and (f32x4.mul ${get('xv')} ${get('s')}) (v128.and ${get('h')} (f32x4.gt ${get('xv')} (f32x4.splat (f32.const 0))))))
      (local.set $idx (i32x4.add ${get('idx')} (i32x4.splat (i32.const 4))))
      (local.set $p (i32.add ${get('p')} (i32.const 16)))
      (br $l)))
  )
  (func (export "relu_dropout_grad") (param $n4 i32) (param $dy i32) (param $y i32) (param $out i32) (param $scale f32)
    (local $p i32) (local $end i32) (local $s v128)
    (local.set $s (f32x4.splat ${get('scale')}))
    (local.set $end (i32.shl ${get('n4')} (i32.const 2)))
    (block $done (loop $l
      (br_if $done (i32.ge_u ${get('p')} ${get('end')}))
      (v128.store ${add(get('out'), get('p'))}
        (v128.and (f32x4.mul (v128.load ${add(get('dy'), get('p'))}) ${get('s')})
                  (f32x4.gt (v128.load ${add(get('y'), get('p'))}) (f32x4.splat (f32.const 0)))))
      (local.set $p (i32.add ${get('p')} (i32.const 16)))
      (br $l)))
  )`;

/**
 * adam: one Adam step over the first n4 (a multiple of 4) entries, in f32: g = grad + d * p (d: the L2 term's
 * factor), m and v updated in place, p -= lr * m * c1 / (sqrt(v * c2) + eps) (c1, c2: the bias corrections).
 */
const ADAM = `
  (func (export "adam") (param $n4 i32) (param $p i32) (param $g i32) (param $m i32) (param $v i32)
      (param $d f32) (param $lr f32) (param $b1 f32) (param $b2 f32) (param $c1 f32) (param $c2 f32) (param $eps f32)
    (local $i i32) (local $end i32) (local $pv v128) (local $gv v128) (local $mv v128) (local $vv v128)
    (local $dv v128) (local $lrc1 v128) (local $b1v v128) (local $b1c v128) (local $b2v v128) (local $b2c v128) (local $c2v v128) (local $epsv v128)
    (local.set $dv (f32x4.splat ${get('d')}))
    (local.set $lrc1 (f32x4.splat (f32.mul ${get('lr')} ${get('c1')})))
    (local.set $b1v (f32x4.splat ${get('b1')}))
    (local.set $b1c (f32x4.splat (f32.sub (f32.const 1) ${get('b1')})))
    (local.set $b2v (f32x4.splat ${get('b2')}))
    (local.set $b2c (f32x4.splat (f32.sub (f32.const 1) ${get('b2')})))
    (local.set $c2v (f32x4.splat ${get('c2')}))
    (local.set $epsv (f32x4.splat ${get('eps')}))
    (local.set $end (i32.shl ${get('n4')} (i32.const 2)))
    (block $done (loop $l
      (br_if $done (i32.ge_u ${get('i')} ${get('end')}))
      (local.set $pv (v128.load ${add(get('p'), get('i'))}))
      (local.set $gv (f32x4.add (v128.load ${add(get('g'), get('i'))}) (f32x4.mul ${get('dv')} ${get('pv')})))
      (local.set $mv (f32x4.add (f32x4.mul ${get('b1v')} (v128.load ${add(get('m'), get('i'))})) (f32x4.mul ${get('b1c')} ${get('gv')})))
      (local.set $vv (f32x4.add (f32x4.mul ${get('b2v')} (v128.load ${add(get('v'), get('i'))})) (f32x4.mul ${get('b2c')} (f32x4.mul ${get('gv')} ${get('gv')}))))
      (v128.store ${add(get('m'), get('i'))} ${get('mv')})
      (v128.store ${add(get('v'), get('i'))} ${get('vv')})
      (v128.store ${add(get('p'), get('i'))}
        (f32x4.sub ${get('pv')} (f32x4.div (f32x4.mul ${get('lrc1')} ${get('mv')}) (f32x4.add (f32x4.sqrt (f32x4.mul ${get('vv')} ${get('c2v')})) ${get('epsv')}))))
      (local.set $i (i32.add ${get('i')} (i32.const 16)))
      (br $l)))
  )`;

/**
 * The whole module: it imports the memory it works on and exports the kernels. `shared`: the memory is a shared one
 * (threads.ts: every thread runs this module on it), else tfjs-wasm's heap or a host epoch's own memory.
 */
export function simdWat(options: { shared?: boolean } = {}): string {
  return `(module
  (import "env" "memory" (memory 1${options.shared ? ' 65536 shared' : ''}))
${STRIP_WIDTHS.map((n) => spmm(n) + gemmNN(n) + gemmTN(n) + gemmNNAll(n) + gemmTNAll(n)).join('\n')}
${STRIP_WIDTHS.map(spmmScatter).join('\n')}
${RELU_DROPOUT}
${ADAM}
)
`;
}
