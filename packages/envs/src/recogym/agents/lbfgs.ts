/** The objective of `minimizeLbfgs`: returns f(x) and writes ∇f(x) into `gradient`. */
export type LbfgsObjective = (x: Float64Array, gradient: Float64Array) => number;

/** Settings of `minimizeLbfgs`. */
export interface LbfgsOptions {
  /** Iteration limit. Default 200. */
  readonly maxIterations?: number;
  /** How many correction pairs to remember. Default 10. */
  readonly memory?: number;
  /** Stop when ‖∇f‖∞ falls below this. Default 1e-6. */
  readonly gradientTolerance?: number;
}

/** What `minimizeLbfgs` ends with. */
export interface LbfgsResult {
  readonly value: number;
  readonly iterations: number;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] ?? 0) * (b[i] ?? 0);
  return s;
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] ?? 0));
  return m;
}

/**
 * Minimises a smooth function with limited-memory BFGS (two-loop recursion) and a backtracking
 * Armijo line search, in place on `x`. Deterministic; meant for small convex problems such as
 * regularised logistic regression.
 */
export function minimizeLbfgs(objective: LbfgsObjective, x: Float64Array, options: LbfgsOptions = {}): LbfgsResult {
  const n = x.length;
  const maxIterations = options.maxIterations ?? 200;
  const memory = options.memory ?? 10;
  const tolerance = options.gradientTolerance ?? 1e-6;
  const g = new Float64Array(n);
  const gNew = new Float64Array(n);
  const xNew = new Float64Array(n);
  const direction = new Float64Array(n);
  const sList: Float64Array[] = [];
  const yList: Float64Array[] = [];
  const rhoList: number[] = [];
  const alpha = new Float64Array(memory);
  let value = objective(x, g);
  let iteration = 0;
  for (; iteration < maxIterations; iteration++) {
    if (maxAbs(g) < tolerance) break;
    // Two-loop recursion: direction = −H·g.
    for (let i = 0; i < n; i++) direction[i] = -(g[i] ?? 0);
    for (let k = sList.length - 1; k >= 0; k--) {
      const a = (rhoList[k] ?? 0) * dot(sList[k] as Float64Array, direction);
      alpha[k] = a;
      const y = yList[k] as Float64Array;
      for (let i = 0; i < n; i++) direction[i] = (direction[i] ?? 0) - a * (y[i] ?? 0);
    }
    if (sList.length > 0) {
      const last = sList.length - 1;
      const y = yList[last] as Float64Array;
      const scale = dot(sList[last] as Float64Array, y) / dot(y, y);
      for (let i = 0; i < n; i++) direction[i] = (direction[i] ?? 0) * scale;
    } else {
      const scale = 1 / Math.max(1, maxAbs(g));
      for (let i = 0; i < n; i++) direction[i] = (direction[i] ?? 0) * scale;
    }
    for (let k = 0; k < sList.length; k++) {
      const b = (rhoList[k] ?? 0) * dot(yList[k] as Float64Array, direction);
      const s = sList[k] as Float64Array;
      const a = alpha[k] ?? 0;
      for (let i = 0; i < n; i++) direction[i] = (direction[i] ?? 0) + (a - b) * (s[i] ?? 0);
    }
    let slope = dot(g, direction);
    if (!(slope < 0)) {
      // Not a descent direction: restart from steepest descent.
      sList.length = 0;
      yList.length = 0;
      rhoList.length = 0;
      for (let i = 0; i < n; i++) direction[i] = -(g[i] ?? 0);
      slope = dot(g, direction);
    }
    let step = 1;
    let newValue = Number.POSITIVE_INFINITY;
    for (let tries = 0; tries < 40; tries++) {
      for (let i = 0; i < n; i++) xNew[i] = (x[i] ?? 0) + step * (direction[i] ?? 0);
      newValue = objective(xNew, gNew);
      if (newValue <= value + 1e-4 * step * slope) break;
      step *= 0.5;
    }
    if (!(newValue < value)) break;
    const s = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      s[i] = (xNew[i] ?? 0) - (x[i] ?? 0);
      y[i] = (gNew[i] ?? 0) - (g[i] ?? 0);
    }
    const sy = dot(s, y);
    if (sy > 1e-12) {
      if (sList.length === memory) {
        sList.shift();
        yList.shift();
        rhoList.shift();
      }
      sList.push(s);
      yList.push(y);
      rhoList.push(1 / sy);
    }
    x.set(xNew);
    g.set(gNew);
    const improvement = value - newValue;
    value = newValue;
    if (improvement < 1e-10 * Math.max(1, Math.abs(value))) break;
  }
  return { value, iterations: iteration };
}
