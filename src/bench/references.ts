// The seed article's published ms/epoch, as data with their provenance, to plot beside our own numbers.

export interface ReferenceTiming {
  /** The machine the article measured on. */
  machine: 'M1 Pro' | 'M2 Ultra' | 'M3 Max' | 'Tesla V100 PCIe' | 'Tesla V100 NVLink';
  /** The framework and device as the article names them. */
  backend: 'PyTorch CPU' | 'PyTorch MPS' | 'MLX' | 'PyTorch CUDA';
  msPerEpoch: number;
}

export const REFERENCE_PROVENANCE = {
  source: 'Tristan Bilot, "MLX vs MPS vs CUDA: a Benchmark" (Towards Data Science), its figure of ms per epoch; code: github.com/TristanBilot/mlx-GCN',
  protocol: 'GCN on Cora, dense adjacency, hidden 16, dropout 0.5, Adam lr 0.01, weight decay 5e-3; mean ms per epoch over 5 runs x 50 epochs',
  split: 'LINQS file order: first 140 nodes train, 200..499 validation, 500..1499 test',
} as const;

export const REFERENCE_TIMINGS: readonly ReferenceTiming[] = [
  { machine: 'M1 Pro', backend: 'PyTorch CPU', msPerEpoch: 45.58 },
  { machine: 'M1 Pro', backend: 'PyTorch MPS', msPerEpoch: 21.1 },
  { machine: 'M1 Pro', backend: 'MLX', msPerEpoch: 9.02 },
  { machine: 'M2 Ultra', backend: 'PyTorch CPU', msPerEpoch: 9.31 },
  { machine: 'M2 Ultra', backend: 'PyTorch MPS', msPerEpoch: 7.19 },
  { machine: 'M2 Ultra', backend: 'MLX', msPerEpoch: 5.8 },
  { machine: 'M3 Max', backend: 'PyTorch CPU', msPerEpoch: 7.07 },
  { machine: 'M3 Max', backend: 'PyTorch MPS', msPerEpoch: 4.8 },
  { machine: 'M3 Max', backend: 'MLX', msPerEpoch: 4.72 },
  { machine: 'Tesla V100 PCIe', backend: 'PyTorch CUDA', msPerEpoch: 3.83 },
  { machine: 'Tesla V100 NVLink', backend: 'PyTorch CUDA', msPerEpoch: 3.51 },
];
