// Whether the rows kernels sum through subgroups on this device, and of what size.
import { ROW_GROUP } from './shaders/index.js';

/** GCNLAB_WEBGPU_SUBGROUPS=off sums through workgroup memory where subgroups are offered (to compare the two). */
export const SUBGROUPS_SWITCH = 'GCNLAB_WEBGPU_SUBGROUPS';

interface SubgroupInfo {
  subgroupMinSize?: number;
  subgroupMaxSize?: number;
}

/**
 * The subgroup size the rows kernels are written for: the device's, where it has the `subgroups` feature and one
 * fixed size (its adapter's minimum and maximum agree: 32 on NVIDIA, 4 on SwiftShader) that divides ROW_GROUP;
 * 0 otherwise, or where GCNLAB_WEBGPU_SUBGROUPS is off.
 */
export function subgroupSizeOf(device: GPUDevice): number {
  if (process.env[SUBGROUPS_SWITCH] === 'off') return 0;
  if (!device.features.has('subgroups')) return 0;
  const info = (device as unknown as { adapterInfo?: SubgroupInfo }).adapterInfo ?? {};
  const size = info.subgroupMaxSize;
  if (!size || info.subgroupMinSize !== size || size > ROW_GROUP || ROW_GROUP % size !== 0) return 0;
  return size;
}
