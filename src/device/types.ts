// The vocabulary of devices: their names and what a probe learns about each.

import { DEVICE_NAMES, type DeviceName } from '../device-names.js';

export { DEVICE_NAMES, type DeviceName };

export function isDeviceName(name: string): name is DeviceName {
  return (DEVICE_NAMES as readonly string[]).includes(name);
}

/** What `listDevices()` reports for one device. */
export interface DeviceInfo {
  name: DeviceName;
  /** The TensorFlow.js backend that runs it. */
  backend: string;
  /** The npm package that provides it. */
  packageName: string;
  available: boolean;
  /** Why not, when unavailable: what is missing and how to get it. */
  reason?: string;
  /** One line on what it runs on ("JavaScript, 1 thread", "NVIDIA H100 (Vulkan)"). */
  runsOn?: string;
  /** Facts behind runsOn: threads, SIMD, adapter vendor and name, ... */
  details: Record<string, string | number | boolean>;
}

export type ProbeResult =
  | { available: true; runsOn: string; details: DeviceInfo['details'] }
  | { available: false; reason: string; details?: DeviceInfo['details'] };

/** One device: how to find out whether it works here, loading its backend if it does. */
export interface DeviceProbe {
  name: DeviceName;
  backend: string;
  packageName: string;
  probe(): Promise<ProbeResult>;
}
