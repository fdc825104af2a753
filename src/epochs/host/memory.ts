// The one WebAssembly.Memory of a run of host epochs: a layout is measured first, then laid out in a memory of that
// size, so the size is never written down apart from the regions it holds.
import type { Region } from './products.js';

/** What a region starts as: a copy of these values, or this many zeros. */
export type RegionContent = Float32Array | Int32Array | number;

/** Makes a region (16-byte aligned) in the layout being built. */
export type Place = (content: RegionContent) => Region;

/**
 * Runs `build` twice: once to measure (its regions are empty views, not to be read), then on a memory of the size
 * measured (`shared`: a shared memory that threads work on). Throws RangeError where that exceeds 4 GiB.
 */
export function layOut<T>(build: (place: Place) => T, shared: boolean): { memory: WebAssembly.Memory; layout: T } {
  let end = 16;
  const measure: Place = (content) => {
    const ptr = end;
    end += Math.ceil((4 * lengthOf(content)) / 16) * 16;
    return { ptr, f32: new Float32Array(0), i32: new Int32Array(0) };
  };
  build(measure);
  const pages = Math.ceil(end / 65536) + 1;
  const memory = new WebAssembly.Memory(shared ? { initial: pages, maximum: pages, shared: true } : { initial: pages });
  let next = 16;
  const place: Place = (content) => {
    const length = lengthOf(content);
    const ptr = next;
    next += Math.ceil((4 * length) / 16) * 16;
    const region = { ptr, f32: new Float32Array(memory.buffer, ptr, length), i32: new Int32Array(memory.buffer, ptr, length) };
    if (content instanceof Float32Array) region.f32.set(content);
    else if (content instanceof Int32Array) region.i32.set(content);
    return region;
  };
  return { memory, layout: build(place) };
}

/** The view of `length` floats at `at` inside `region`. */
export function subRegion(region: Region, at: number, length: number): Region {
  return { ptr: region.ptr + 4 * at, f32: region.f32.subarray(at, at + length), i32: region.i32.subarray(at, at + length) };
}

function lengthOf(content: RegionContent): number {
  return typeof content === 'number' ? content : content.length;
}
