/**
 * Flat-array kernels of online ridge regression. A d×d matrix is stored row-major at `offset` in a
 * Float64Array that holds one matrix per arm; vectors likewise. No checks here: callers validate.
 * Every argument is a Float64Array so that V8 keeps the loops monomorphic: callers copy float32
 * context rows into a float64 row first (with the half-matrix quadratic form below, this took UCB
 * selection over 20 arms × 20 features from 10k to 44k rows/s in bench/bandits.bench.ts).
 */

/** aᵀb over `d` entries. */
export function dot(a: Float64Array, aOffset: number, b: Float64Array, bOffset: number, d: number): number {
  let sum = 0;
  for (let i = 0; i < d; i++) sum += (a[aOffset + i] as number) * (b[bOffset + i] as number);
  return sum;
}

/**
 * xᵀMx for the symmetric matrix M at `mOffset`, from its lower triangle (Σᵢ xᵢ(Mᵢᵢxᵢ + 2Σⱼ₍ⱼ<ᵢ₎ Mᵢⱼxⱼ),
 * half the multiplications); clamped at 0 so rounding never yields a negative variance (NaN stays NaN).
 */
export function quadraticForm(m: Float64Array, mOffset: number, x: Float64Array, xOffset: number, d: number): number {
  let sum = 0;
  for (let i = 0; i < d; i++) {
    const row = mOffset + i * d;
    const xi = x[xOffset + i] as number;
    let inner = 0;
    for (let j = 0; j < i; j++) inner += (m[row + j] as number) * (x[xOffset + j] as number);
    sum += xi * (2 * inner + (m[row + i] as number) * xi);
  }
  return Math.max(sum, 0);
}

/** out = Mv for the matrix M at `mOffset`, writing `d` entries at `outOffset`. */
export function matVec(
  m: Float64Array,
  mOffset: number,
  v: Float64Array,
  vOffset: number,
  d: number,
  out: Float64Array,
  outOffset: number,
): void {
  for (let i = 0; i < d; i++) out[outOffset + i] = dot(m, mOffset + i * d, v, vOffset, d);
}

/**
 * One observation (x, r) folded into an arm's statistics: A ← A + xxᵀ, b ← b + r·x, and
 * A⁻¹ ← A⁻¹ − (A⁻¹x)(A⁻¹x)ᵀ / (1 + xᵀA⁻¹x) (Sherman–Morrison; A⁻¹ stays exactly symmetric because
 * entries (i, j) and (j, i) subtract the same rounded product (uᵢuⱼ)·s), then θ ← A⁻¹b. `u` is d
 * entries of scratch.
 */
export function shermanMorrisonUpdate(
  precision: Float64Array,
  covariance: Float64Array,
  b: Float64Array,
  theta: Float64Array,
  arm: number,
  x: Float64Array,
  xOffset: number,
  reward: number,
  d: number,
  u: Float64Array,
): void {
  const m = arm * d * d;
  const v = arm * d;
  matVec(covariance, m, x, xOffset, d, u, 0);
  const scale = 1 / (1 + dot(x, xOffset, u, 0, d));
  for (let i = 0; i < d; i++) {
    const xi = x[xOffset + i] as number;
    const ui = u[i] as number;
    const row = m + i * d;
    for (let j = 0; j < d; j++) {
      precision[row + j] = (precision[row + j] as number) + xi * (x[xOffset + j] as number);
      covariance[row + j] = (covariance[row + j] as number) - ui * (u[j] as number) * scale;
    }
    b[v + i] = (b[v + i] as number) + reward * xi;
  }
  matVec(covariance, m, b, v, d, theta, v);
}

/**
 * The lower Cholesky factor L of the symmetric positive-definite matrix A at `aOffset` (A = LLᵀ),
 * written at `outOffset` with zeros above the diagonal. Returns false when A is not positive definite.
 */
export function choleskyLower(a: Float64Array, aOffset: number, d: number, out: Float64Array, outOffset: number): boolean {
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = a[aOffset + i * d + j] as number;
      for (let k = 0; k < j; k++) sum -= (out[outOffset + i * d + k] as number) * (out[outOffset + j * d + k] as number);
      if (i === j) {
        if (!(sum > 0)) return false;
        out[outOffset + i * d + i] = Math.sqrt(sum);
      } else out[outOffset + i * d + j] = sum / (out[outOffset + j * d + j] as number);
    }
    for (let j = i + 1; j < d; j++) out[outOffset + i * d + j] = 0;
  }
  return true;
}

/** Solves Lᵀv = z in place (`z` becomes v) by back substitution, for the lower-triangular L at `lOffset`. */
export function solveTransposedLower(l: Float64Array, lOffset: number, z: Float64Array, d: number): void {
  for (let i = d - 1; i >= 0; i--) {
    let sum = z[i] as number;
    for (let k = i + 1; k < d; k++) sum -= (l[lOffset + k * d + i] as number) * (z[k] as number);
    z[i] = sum / (l[lOffset + i * d + i] as number);
  }
}
