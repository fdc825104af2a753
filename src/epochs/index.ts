// epochs: what the whole-epoch engines share (the epoch shape: layers, layouts, parameter order; the epoch's arrays).
export {
  checkEpochShape,
  classesOf,
  hiddenLayerCount,
  parameterSlots,
  type DropoutSeeds,
  type EpochGraph,
  type EpochLayer,
  type EpochMetrics,
  type EpochShape,
  type MatrixLayout,
  type ParameterSlot,
} from './shape.js';
export { backwardBuffers, epochBuffers, gradientOf, layerBuffer, type EpochBuffer } from './buffers.js';
export { HostEpochs, type HostEpochOptions, type HostCodePath } from './host/index.js';
export { WebGpuEpochs, type EpochProfile, type WebGpuEpochShape } from './webgpu/index.js';
