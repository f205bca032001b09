/**
 * For each of `rows` rows, the column in [0, width) with the highest `score(row, column)` (the first
 * on a tie) into `out[row]`, and every score into `scores[row·width + column]` when given. Scores are
 * asked row by row, columns in order; `beginRow` runs before a row's first score.
 */
export function argmaxRows(
  rows: number,
  width: number,
  score: (row: number, column: number) => number,
  out: Float32Array,
  scores?: Float32Array,
  beginRow?: (row: number) => void,
): Float32Array {
  for (let row = 0; row < rows; row++) {
    beginRow?.(row);
    let best = 0;
    let bestScore = Number.NEGATIVE_INFINITY;
    for (let column = 0; column < width; column++) {
      const value = score(row, column);
      if (scores !== undefined) scores[row * width + column] = value;
      if (value > bestScore) {
        bestScore = value;
        best = column;
      }
    }
    out[row] = best;
  }
  return out;
}
