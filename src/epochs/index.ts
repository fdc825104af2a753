// epochs: what the whole-epoch engines share (the epoch shape: layers, layouts, parameter order).
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
