/** Mean, sample standard deviation and standard error of the mean of `values` (n − 1 in the variance). */
export function meanAndStandardError(values: readonly number[]): { mean: number; std: number; stdErr: number } {
  const n = values.length;
  if (n === 0) return { mean: Number.NaN, std: Number.NaN, stdErr: Number.NaN };
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / n;
  if (n === 1) return { mean, std: 0, stdErr: 0 };
  let squares = 0;
  for (const v of values) squares += (v - mean) ** 2;
  const std = Math.sqrt(squares / (n - 1));
  return { mean, std, stdErr: std / Math.sqrt(n) };
}
