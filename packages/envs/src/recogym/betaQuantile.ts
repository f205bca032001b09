/**
 * The Beta distribution's CDF (the regularised incomplete beta function) and its inverse, for the
 * CTR credible interval. Plain double-precision numerics: a Lanczos log-gamma, a continued
 * fraction evaluated with the modified Lentz method, and bisection for the inverse (robust, and
 * fast enough: ~100 CDF evaluations per quantile).
 */

const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
  -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** ln Γ(x) for x > 0 (Lanczos approximation, ~15 significant digits). */
export function logGamma(x: number): number {
  if (!(x > 0)) throw new RangeError(`logGamma: x must be > 0, got ${x}`);
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let sum = LANCZOS[0] ?? 0;
  for (let i = 1; i < LANCZOS.length; i++) sum += (LANCZOS[i] ?? 0) / (z + i);
  const t = z + LANCZOS_G + 0.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

const TINY = 1e-300;
const EPSILON = 1e-15;

/** The continued fraction of I_x(a, b); converges fast for x < (a + 1) / (a + b + 2). */
function betaContinuedFraction(x: number, a: number, b: number): number {
  const maxIterations = 10_000 + Math.ceil(10 * Math.sqrt(Math.max(a, b)));
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= maxIterations; m++) {
    const m2 = 2 * m;
    // Even step of the fraction.
    let coefficient = (m * (b - m) * x) / ((a - 1 + m2) * (a + m2));
    d = 1 + coefficient * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + coefficient / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    // Odd step.
    coefficient = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + 1 + m2));
    d = 1 + coefficient * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + coefficient / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPSILON) return h;
  }
  return h;
}

function checkShape(name: string, a: number, b: number): void {
  if (!(a > 0 && b > 0 && Number.isFinite(a) && Number.isFinite(b))) {
    throw new RangeError(`${name}: shape parameters must be finite and > 0, got a = ${a}, b = ${b}`);
  }
}

/** The regularised incomplete beta function I_x(a, b), i.e. the CDF of Beta(a, b) at x. */
export function betaCdf(x: number, a: number, b: number): number {
  checkShape('betaCdf', a, b);
  if (Number.isNaN(x)) throw new RangeError('betaCdf: x is NaN');
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const logFront = a * Math.log(x) + b * Math.log1p(-x) - (logGamma(a) + logGamma(b) - logGamma(a + b));
  const front = Math.exp(logFront);
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(x, a, b)) / a;
  return 1 - (front * betaContinuedFraction(1 - x, b, a)) / b;
}

/** The q-quantile of Beta(a, b): the x with I_x(a, b) = q (SciPy's `beta.ppf`). */
export function betaQuantile(q: number, a: number, b: number): number {
  checkShape('betaQuantile', a, b);
  if (!(q >= 0 && q <= 1)) throw new RangeError(`betaQuantile: q must be in [0, 1], got ${q}`);
  if (q === 0) return 0;
  if (q === 1) return 1;
  let low = 0;
  let high = 1;
  for (let i = 0; i < 200; i++) {
    const mid = 0.5 * (low + high);
    if (mid === low || mid === high) break;
    if (betaCdf(mid, a, b) < q) low = mid;
    else high = mid;
  }
  return 0.5 * (low + high);
}

/** The posterior median and 95% equal-tailed credible interval of a CTR after `successes` clicks and `failures` non-clicks, under a uniform Beta(1, 1) prior. */
export function ctrCredibleInterval(successes: number, failures: number): { median: number; lower: number; upper: number } {
  const a = successes + 1;
  const b = failures + 1;
  return { median: betaQuantile(0.5, a, b), lower: betaQuantile(0.025, a, b), upper: betaQuantile(0.975, a, b) };
}
