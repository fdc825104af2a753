// nn: the article's GCN (GCNLayer, GCN) and its training functions (lossFn, evalFn, forwardFn).
export { GCN, GCNLayer, MAX_NB_LAYERS, propagate, type Adjacency, type ApplyOptions, type GCNOptions } from './gcn.js';
export { Linear, type Features } from './linear.js';
export { layerChain } from './layer-chain.js';
export { lossFn, evalFn, forwardFn } from './loss.js';
export { glorotUniform } from './init.js';
