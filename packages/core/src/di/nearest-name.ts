/**
 * The candidate closest to `word` by edit distance, if it is close enough to
 * be a likely typo (at most a third of the word's length, at least 1), else
 * `undefined`. Used to say "did you mean `namespace`?".
 *
 * @example
 * ```ts
 * nearestName('namespce', ['url', 'namespace', 'shards']); // 'namespace'
 * nearestName('colour', ['url', 'namespace']);            // undefined
 * ```
 */
export function nearestName(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Math.max(1, Math.floor(word.length / 3));
  for (const candidate of candidates) {
    // Case differences are the most common slip ("tableprefix"): count them as one edit.
    const distance =
      candidate.toLowerCase() === word.toLowerCase() ? 1 : editDistance(word, candidate);
    if (distance <= bestDistance && (best === undefined || distance < bestDistance)) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** Levenshtein distance with adjacent transpositions (optimal string alignment). */
function editDistance(a: string, b: string): number {
  const rows: number[][] = [];
  for (let i = 0; i <= a.length; i++) {
    rows.push([i]);
    for (let j = 1; j <= b.length; j++) {
      if (i === 0) {
        rows[0]!.push(j);
        continue;
      }
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, rows[i - 2]![j - 2]! + 1);
      }
      rows[i]!.push(value);
    }
  }
  return rows[a.length]![b.length]!;
}
