// The op names under their old file name, for ops/webgpu's kernels until they import op-names.ts (issue 16).
export * from './op-names.js';
