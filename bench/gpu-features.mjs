// What the GPU's adapter offers through Dawn (features, subgroup sizes, limits): one JSON line. Packed by
// bench/pack-gpu.sh; on the device: GCNLAB_BUNDLE=gpu-features.mjs bash .device-carry/go.sh
import { create, globals } from 'webgpu';
Object.assign(globalThis, globals);
const flags = (process.env.GCNLAB_DAWN_FLAGS ?? '').split(/\s+/).filter(Boolean);
const adapter = await create(flags).requestAdapter({ powerPreference: 'high-performance' });
const info = adapter.info ?? {};
const limits = {};
for (const key in adapter.limits) limits[key] = adapter.limits[key];
console.log(JSON.stringify({ features: [...adapter.features].sort(), info: { vendor: info.vendor, architecture: info.architecture, device: info.device, description: info.description, subgroupMinSize: info.subgroupMinSize, subgroupMaxSize: info.subgroupMaxSize }, limits }));
process.exit(0);
