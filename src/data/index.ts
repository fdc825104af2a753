// data: Cora and its kin (Planetoid and LINQS files, downloaded and verified), synthetic graphs, dense views.
export { DATASET_NAMES, type DatasetName, type Graph } from './types.js';
export { loadDataset, loadCora, type LoadOptions } from './load.js';
export { DATA_DIR_ENV, CACHE_DIR_ENV, DATA_URL_ENV, type SourceOptions, type DownloadProgress } from './sources.js';
export { syntheticGraph, type SyntheticOptions } from './synthetic.js';
export { denseFeatures, denseAdjacency, defaultDenseLimitBytes, type DenseOptions } from './dense.js';
export { memoryLimit, type MemoryLimit } from './memory-limit.js';
export { normalizeAdjacency } from './adjacency.js';
export { countMask } from './masks.js';
