/** max(−1, 1 − Var(R − V) / Var(R)) (RLlib's `explained_variance`). */
export function explainedVariance(targets: Float32Array, predictions: Float32Array): number {
  const n = targets.length;
  let meanT = 0;
  let meanD = 0;
  for (let i = 0; i < n; i++) {
    meanT += targets[i] as number;
    meanD += (targets[i] as number) - (predictions[i] as number);
  }
  meanT /= n;
  meanD /= n;
  let varT = 0;
  let varD = 0;
  for (let i = 0; i < n; i++) {
    varT += ((targets[i] as number) - meanT) ** 2;
    varD += ((targets[i] as number) - (predictions[i] as number) - meanD) ** 2;
  }
  return varT === 0 ? 0 : Math.max(-1, 1 - varD / varT);
}
