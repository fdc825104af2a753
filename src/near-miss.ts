// "Did you mean ...?" for a mistyped value (a dataset, a device, an adjacency mode), by the rule commander uses for
// commands and options: the closest words within 3 edits that keep more than 40% of the longer word.

/** Edits (insert, delete, substitute, swap two neighbours) that turn `a` into `b`. */
function edits(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** ' (did you mean X?)' or ' (did you mean one of X, Y?)' for the nearest of `choices`, else ''. */
export function nearMiss(word: string, choices: readonly string[]): string {
  let best = 3;
  let near: string[] = [];
  for (const choice of new Set(choices)) {
    const distance = edits(word.toLowerCase(), choice.toLowerCase());
    const length = Math.max(word.length, choice.length);
    if (choice.length <= 1 || (length - distance) / length <= 0.4) continue;
    if (distance < best) [best, near] = [distance, [choice]];
    else if (distance === best) near.push(choice);
  }
  if (near.length === 0) return '';
  return near.length === 1 ? ` (did you mean ${near[0]}?)` : ` (did you mean one of ${near.sort().join(', ')}?)`;
}
