/** Row-wise softmax of `rows × n` values divided by `temperature`, into a new array (a categorical's probabilities). */
export function softmaxRows(values: Float32Array, rows: number, n: number, temperature = 1): Float32Array {
  const out = new Float32Array(rows * n);
  for (let r = 0; r < rows; r++) {
    let max = Number.NEGATIVE_INFINITY;
    for (let a = 0; a < n; a++) max = Math.max(max, (values[r * n + a] as number) / temperature);
    let sum = 0;
    for (let a = 0; a < n; a++) {
      const e = Math.exp((values[r * n + a] as number) / temperature - max);
      out[r * n + a] = e;
      sum += e;
    }
    for (let a = 0; a < n; a++) out[r * n + a] = (out[r * n + a] as number) / sum;
  }
  return out;
}

/** Log of the probability each row's action (`actions[r]`, an index) has under `probs` (`rows × n`). */
export function logProbsOfActions(probs: Float32Array, actions: Float32Array, rows: number, n: number): Float32Array {
  return Float32Array.from({ length: rows }, (_, r) => Math.log(probs[r * n + (actions[r] as number)] as number));
}
