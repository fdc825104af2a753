// Device and reference colours: the runtime's palette (its notebook charts use the same), bundled in at build time.
import { DEVICE_COLORS, REFERENCE_COLORS } from '../../../src/display/figure';

export { REFERENCE_COLORS };

export function deviceColor(device: string): string {
  return DEVICE_COLORS[device] ?? '#72b7b2';
}
