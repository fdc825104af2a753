// The names and attributes of gcnlab's ops: the contract between the op functions (ops/*.ts) and every backend's
// implementation of them (registered as tfjs kernels: host/ for cpu and wasm, webgpu/).

/** Sparse (CSR) x dense, plus an optional bias row: out = A @ b (+ bias). */
export const SPMM = 'GcnSpmm';
export interface SpmmAttrs {
  /** Rows and columns of the sparse operand A. */
  rows: number;
  cols: number;
  /** Identifies A (see operands.ts), so the gradient can multiply by A^T without saving anything. */
  matrixId: number;
}

/** Dense x dense with optional transposes and bias; on host backends it skips the zeros of `a`. */
export const MAT_MUL = 'GcnMatMul';
export interface MatMulAttrs {
  transposeA: boolean;
  transposeB: boolean;
}

/**
 * a @ b for a constant dense a (the article's dense adjacency): gradients flow to b only, and refer to a by id.
 * Host backends skip its zeros, scanning all of it every time (that scan is the dense format's cost).
 */
export const CONSTANT_MAT_MUL = 'GcnConstantMatMul';
export interface ConstantMatMulAttrs {
  transposeA: boolean;
  transposeB: false;
  constantId: number;
}

/** Sums the rows of a matrix: the gradient of a bias. */
export const COLUMN_SUM = 'GcnColumnSum';

/** relu, then inverted dropout with a counter-based random mask (the same on every backend for one seed). */
export const RELU_DROPOUT = 'GcnReluDropout';
export const RELU_DROPOUT_GRAD = 'GcnReluDropoutGrad';
export interface ReluDropoutAttrs {
  /** Probability of dropping an entry; 0 means relu alone. */
  rate: number;
  /** 32-bit seed of the mask. */
  seed: number;
}

/** Mean softmax cross-entropy over the rows where mask is non-zero (y_hat[mask] in the article). */
export const SOFTMAX_CROSS_ENTROPY = 'GcnSoftmaxCrossEntropy';
export const SOFTMAX_CROSS_ENTROPY_GRAD = 'GcnSoftmaxCrossEntropyGrad';

/** Fraction of masked rows whose argmax equals the label. */
export const ACCURACY = 'GcnAccuracy';

/** Sum of the squares of every entry of every input: one scalar. */
export const SUM_SQUARES = 'GcnSumSquares';

/** out = x * s[0] * factor, with s a one-element tensor: keeps scalars on the device. */
export const SCALE = 'GcnScale';
export interface ScaleAttrs {
  factor: number;
}

/**
 * One Adam step for one parameter, fused with the gradient of the article's L2 term:
 * g = grad + weightDecay * param / sqrt(sumSquares[0]), then the moment updates (state = [m; v], flat) and the
 * bias-corrected step. Outputs the new parameter and the new state.
 */
export const ADAM = 'GcnAdam';
export interface AdamAttrs {
  lr: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  /** 1-based step number, for the bias correction. */
  step: number;
  /** The article's weight decay: its term's gradient is added here, scaled by 1 / ||parameters||. */
  weightDecay: number;
}

/**
 * What a training epoch reports, in one kernel: [train loss (cross-entropy + weightDecay * sqrt(sumSquares)),
 * validation cross-entropy, validation accuracy]. Differentiable in the logits through the train entry.
 */
export const EPOCH_METRICS = 'GcnEpochMetrics';
export interface EpochMetricsAttrs {
  weightDecay: number;
}
