// shaders: the WGSL of one whole training epoch of any GCN, a compute shader per dispatch, and what the runner sizes by.
export { epochShaders } from './epoch.js';
export { lossPartsOf } from './fusion.js';
export { moduleCode } from './header.js';
export { LANES_MAX_ROW } from './rows.js';
export { FLAT_GROUP, MAX_X_GROUPS, quadsOf, seedVectors, slicesOf, squareSlicesOf, type Shader, type WebGpuEpochShape } from './shape.js';
export { TILED_GRADS_SLICES } from './tiled-grads.js';
