// How many of an array's values are not zero, counted only as far as a caller needs to know.

/** The values that are not zero, counting stopped once `stopAt` is reached (so at most stopAt). */
export function countNonZeros(values: ArrayLike<number>, stopAt = Infinity): number {
  let count = 0;
  for (let i = 0; i < values.length && count < stopAt; i++) if (values[i] !== 0) count++;
  return count;
}
