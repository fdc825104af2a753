// One colour per device everywhere (live chart, comparison, table), and quiet greys for the article's machines.
import type { DeviceName } from '../protocol';

const DEVICE_COLORS: Record<DeviceName, string> = {
  cpu: '#4c78a8',
  wasm: '#b279a2',
  webgpu: '#54a24b',
  tensorflow: '#f58518',
  cuda: '#e45756',
};

export function deviceColor(device: string): string {
  return DEVICE_COLORS[device as DeviceName] ?? '#72b7b2';
}

/** The article's frameworks, from lightest (CPU) to darkest (CUDA), as its bar charts group them. */
export const REFERENCE_COLORS: Record<string, string> = {
  'PyTorch CPU': '#c9c9c9',
  'PyTorch MPS': '#a6a6a6',
  MLX: '#7f7f7f',
  'PyTorch CUDA': '#595959',
};
