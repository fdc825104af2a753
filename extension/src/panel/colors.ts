// Device and reference colours: the constants file the runtime's charts read too (import-free, bundled in at build time).
import { DEVICE_COLORS, REFERENCE_COLORS } from '../../../src/bench/references';

export { REFERENCE_COLORS };

export function deviceColor(device: string): string {
  return DEVICE_COLORS[device] ?? '#72b7b2';
}
