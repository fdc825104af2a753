// Devices: which TensorFlow.js backends work on this machine, and switching between them.
export { listDevices, availableDevices, useDevice, defaultDevice, useDefaultDevice, currentDevice, withDevice, synchronize } from './select.js';
export { DEVICE_NAMES, isDeviceName, type DeviceName, type DeviceInfo } from './types.js';
export { cachedDevices } from './cache.js';
export { tensorMemory, type TensorMemory, type DeviceMemory } from './memory.js';
