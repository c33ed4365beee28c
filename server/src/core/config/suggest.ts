// "Did you mean …?" for a misspelt config key or value: the closest known word, if it is close.

/** The known word `input` most likely stands for, or undefined when none is close enough. */
export function closest(input: string, known: readonly string[]): string | undefined {
  const squash = (s: string): string => s.toLowerCase().replace(/[-_\s]/g, '');
  // Same word in another case or separator style (max_file_size, MaxFileSize).
  const same = known.find((k) => squash(k) === squash(input));
  if (same !== undefined) return same;
  // The start of exactly one known word ("warn" for "warning").
  const extended = input.length >= 3 ? known.filter((k) => k.toLowerCase().startsWith(input.toLowerCase())) : [];
  if (extended.length === 1) return extended[0];
  let best: { word: string; distance: number } | undefined;
  for (const word of known) {
    const distance = editDistance(input.toLowerCase(), word.toLowerCase());
    if (!best || distance < best.distance) best = { word, distance };
  }
  // One edit in a short word, two in a longer one: further than that is another word.
  if (!best || best.distance > (best.word.length <= 4 ? 1 : 2)) return undefined;
  return best.word;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
export function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[][] = Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, d[i - 2]![j - 2]! + 1);
      d[i]![j] = v;
    }
  }
  return d[a.length]![b.length]!;
}
