// How a product's rows are shared out among a team's threads: in contiguous ranges of about equal work.

/** A half-open range of rows [start, end). */
export type RowRange = [start: number, end: number];

/**
 * `parts` ranges of a CSR matrix's rows (rowPtr has rows + 1 entries), balanced on non-zeros plus one per row, so
 * that a graph whose degrees vary (a power law) still splits evenly. Empty ranges are left out.
 */
export function splitCsrRows(rowPtr: Int32Array, parts: number): RowRange[] {
  const rows = rowPtr.length - 1;
  const work = (i: number) => rowPtr[i] - rowPtr[0] + i;
  const total = work(rows);
  const ranges: RowRange[] = [];
  let start = 0;
  for (let p = 1; p <= parts && start < rows; p++) {
    let end = rows;
    if (p < parts) {
      // The first row boundary at or past p / parts of the work.
      const target = (total * p) / parts;
      let [lo, hi] = [start, rows];
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (work(mid) < target) lo = mid + 1;
        else hi = mid;
      }
      end = lo;
    }
    if (end > start) ranges.push([start, end]);
    start = end;
  }
  return ranges;
}

/** `parts` ranges of `count` items of equal work, each starting at a multiple of `multiple`. */
export function splitEven(count: number, parts: number, multiple = 1): RowRange[] {
  const ranges: RowRange[] = [];
  let start = 0;
  for (let p = 1; p <= parts && start < count; p++) {
    const end = p === parts ? count : Math.min(count, Math.ceil((count * p) / parts / multiple) * multiple);
    if (end > start) ranges.push([start, end]);
    start = end;
  }
  return ranges;
}
