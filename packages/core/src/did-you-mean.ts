/**
 * "Did you mean" suggestions for mistyped keys, options and commands. The distance is optimal string
 * alignment (Levenshtein plus swapping two neighbours), so `wrokers` is one edit from `workers`, the
 * most common typo; case is ignored, so `learningrate` finds `learningRate`.
 */

/** The candidate closest to `input`, or null when none is close enough to be a plausible typo. */
export function closestMatch(input: string, candidates: readonly string[]): string | null {
  const typed = input.toLowerCase();
  // About one edit per three characters: `layer` -> `layers`, but `lr` suggests nothing.
  const allowed = Math.max(1, Math.floor(typed.length / 3));
  let best: string | null = null;
  let bestDistance = allowed + 1;
  for (const candidate of candidates) {
    const distance = editDistance(typed, candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** ` (did you mean "x"?)`, or '' when nothing is close. */
export function didYouMean(input: string, candidates: readonly string[], quote = '"'): string {
  const match = closestMatch(input, candidates);
  return match === null ? '' : ` (did you mean ${quote}${match}${quote}?)`;
}

/** Optimal string alignment distance: insertions, deletions, substitutions and adjacent swaps. */
function editDistance(a: string, b: string): number {
  const rows = a.length + 1;
  const cols = b.length + 1;
  const d: number[] = new Array(rows * cols).fill(0);
  for (let i = 0; i < rows; i++) d[i * cols] = i;
  for (let j = 0; j < cols; j++) d[j] = j;
  for (let i = 1; i < rows; i++) {
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(
        d[(i - 1) * cols + j]! + 1,
        d[i * cols + j - 1]! + 1,
        d[(i - 1) * cols + j - 1]! + cost,
      );
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        value = Math.min(value, d[(i - 2) * cols + j - 2]! + 1);
      d[i * cols + j] = value;
    }
  }
  return d[rows * cols - 1]!;
}
