// The seed article's published ms/epoch with their provenance, and the colours that tell devices and the article's
// backends apart wherever they are drawn side by side. The runtime's charts and the JupyterLab panel both read this
// file (the extension bundles it alone), so it imports nothing and holds only constants.

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

/** One colour per device everywhere: the runtime's charts and the JupyterLab panel. */
export const DEVICE_COLORS: Record<string, string> = {
  cpu: '#4c78a8',
  wasm: '#f58518',
  webgpu: '#54a24b',
  tensorflow: '#b279a2',
  cuda: '#e45756',
  pytorch: '#9d755d',
};

/** The article's backends, in muted tones so our bars stand out beside them. */
export const REFERENCE_COLORS: Record<string, string> = {
  'PyTorch CPU': '#bab0ac',
  'PyTorch MPS': '#9ecae9',
  MLX: '#ffbf79',
  'PyTorch CUDA': '#ff9d98',
} satisfies Record<ReferenceTiming['backend'], string>;
