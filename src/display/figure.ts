// The plotly figure type gcnlab builds: plain JSON, so it crosses the kernel wire unchanged.

export interface PlotlyTrace {
  type: 'bar' | 'scatter' | 'scattergl';
  name?: string;
  x: (number | string)[];
  y: (number | string)[];
  [key: string]: unknown;
}

export interface PlotlyFigure {
  data: PlotlyTrace[];
  layout: Record<string, unknown>;
  config?: Record<string, unknown>;
}

/** One colour per device everywhere (charts here, the JupyterLab panel reads the same palette). */
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
};

export function isPlotlyFigure(value: unknown): value is PlotlyFigure {
  const v = value as PlotlyFigure;
  return typeof v === 'object' && v !== null && Array.isArray(v.data) && typeof v.layout === 'object' && v.layout !== null;
}
