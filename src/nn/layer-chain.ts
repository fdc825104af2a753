// A GCN's layer sizes as one short line for messages: "1433 -> 16 -> 7", and a run of equal sizes counted,
// "1433 -> 16 (x2000) -> 7", so that a deep model's error stays readable.

/** Runs of at least this many equal sizes are written once, with their count. */
const RUN = 4;

export function layerChain(sizes: readonly number[]): string {
  const parts: string[] = [];
  for (let i = 0; i < sizes.length; ) {
    let end = i + 1;
    while (end < sizes.length && sizes[end] === sizes[i]) end++;
    const count = end - i;
    if (count >= RUN) parts.push(`${sizes[i]} (x${count})`);
    else for (let k = 0; k < count; k++) parts.push(String(sizes[i]));
    i = end;
  }
  return parts.join(' -> ');
}
