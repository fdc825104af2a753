// GcnEpochMetrics on WebGPU: one 256-thread workgroup computes train loss, validation loss and accuracy.
import type { KernelConfig, TensorInfo } from '@tensorflow/tfjs-core';
import { EPOCH_METRICS, type EpochMetricsAttrs } from '../op-names.js';
import { runProgram, workgroupSum, type WebGPUBackendLike } from './program.js';

export const epochMetricsConfig: KernelConfig = {
  kernelName: EPOCH_METRICS,
  backendName: 'webgpu',
  kernelFunc: ({ inputs, attrs, backend }) => {
    const { weightDecay } = attrs as unknown as EpochMetricsAttrs;
    const { logits, labels, trainMask, valMask, sumSquares } = inputs as Record<string, TensorInfo>;
    const [n, c] = logits.shape;
    return runProgram(
      backend as unknown as WebGPUBackendLike,
      {
        key: 'epochMetrics',
        inputs: ['logits', 'labels', 'trainMask', 'valMask', 'sumSquares'],
        outputShape: [3],
        uniforms: 'n : i32, c : i32, weightDecay : f32,',
        threads: 256,
        workgroupSize: 256,
        code: `${workgroupSum(['pTrain', 'pTrainW', 'pVal', 'pValW', 'pHits'])}
          fn main(index : i32) {
            let t = localIndex;
            var train = 0.0; var trainW = 0.0; var val = 0.0; var valW = 0.0; var hits = 0.0;
            for (var i = i32(t); i < uniforms.n; i = i + 256) {
              let tw = trainMask[i];
              let vw = valMask[i];
              if (tw != 0.0 || vw != 0.0) {
                let row = i * uniforms.c;
                var best = 0;
                for (var j = 1; j < uniforms.c; j = j + 1) { if (logits[row + j] > logits[row + best]) { best = j; } }
                let m = logits[row + best];
                var s = 0.0;
                for (var j = 0; j < uniforms.c; j = j + 1) { s = s + exp(logits[row + j] - m); }
                let ce = log(s) + m - logits[row + labels[i]];
                train = train + tw * ce; trainW = trainW + tw;
                val = val + vw * ce; valW = valW + vw;
                if (best == labels[i]) { hits = hits + vw; }
              }
            }
            pTrain[t] = train; pTrainW[t] = trainW; pVal[t] = val; pValW[t] = valW; pHits[t] = hits;
            workgroupBarrier();
            reduceAll(t);
            if (t == 0u) {
              result[0] = select(0.0, pTrain[0] / pTrainW[0], pTrainW[0] != 0.0) + uniforms.weightDecay * sqrt(sumSquares[0]);
              result[1] = select(0.0, pVal[0] / pValW[0], pValW[0] != 0.0);
              result[2] = select(0.0, pHits[0] / pValW[0], pValW[0] != 0.0);
            }
          }`,
      },
      [logits, labels, trainMask, valMask, sumSquares],
      'float32',
      [{ type: 'int32', data: [n, c] }, { type: 'float32', data: [weightDecay] }],
    );
  },
};
