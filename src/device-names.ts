// The devices' names: at the bottom of the order, since events name devices and device/ publishes events.
export const DEVICE_NAMES = ['cpu', 'wasm', 'webgpu', 'tensorflow', 'cuda'] as const;
export type DeviceName = (typeof DEVICE_NAMES)[number];
