// Train/validation/test masks: one byte per node, 1 where the node belongs to the set.

export function rangeMask(numNodes: number, start: number, end: number): Uint8Array {
  return new Uint8Array(numNodes).fill(1, Math.min(start, numNodes), Math.min(end, numNodes));
}

export function indexMask(numNodes: number, ids: ArrayLike<number>): Uint8Array {
  const mask = new Uint8Array(numNodes);
  for (let k = 0; k < ids.length; k++) mask[ids[k]] = 1;
  return mask;
}

export function countMask(mask: Uint8Array): number {
  let count = 0;
  for (let i = 0; i < mask.length; i++) count += mask[i];
  return count;
}
