import type { Rng } from '../../rng.js';

/**
 * A slate-value problem for one observation: C candidates with item values `q[i]`, click weights
 * `weights[p·C + i]` (candidate i at position p; only p = 0 when `positionDependent` is false), a
 * no-click weight w₀ and the value q⊥ of no click. The value of an ordered, duplicate-free slate A
 * is SlateQ's `V(A) = (Σ_p w_p(A_p)·q(A_p) + w₀·q⊥) / (w₀ + Σ_p w_p(A_p))` (0 when the denominator
 * is 0); RLlib's and RecSim's SlateQ take q⊥ = 0.
 */
export interface SlateProblem {
  readonly numCandidates: number;
  readonly slateSize: number;
  readonly weights: Float64Array;
  readonly noClickWeight: number;
  readonly q: ArrayLike<number>;
  /** q⊥, the value of the user clicking nothing (the SlateQ paper's null item); default 0. */
  readonly noClickValue?: number;
  readonly positionDependent: boolean;
}

/** The number of ordered slates of S distinct candidates out of C: C!/(C−S)!. */
export function orderedSlateCount(numCandidates: number, slateSize: number): number {
  let count = 1;
  for (let p = 0; p < slateSize; p++) count *= numCandidates - p;
  return count;
}

function weightAt(problem: SlateProblem, position: number, candidate: number): number {
  return problem.weights[(problem.positionDependent ? position * problem.numCandidates : 0) + candidate] as number;
}

/** `V(slate)` for the ordered slate `slate[offset … offset + S)`. */
export function slateValue(problem: SlateProblem, slate: ArrayLike<number>, offset = 0): number {
  let numerator = problem.noClickWeight * (problem.noClickValue ?? 0);
  let denominator = problem.noClickWeight;
  for (let p = 0; p < problem.slateSize; p++) {
    const i = slate[offset + p] as number;
    const w = weightAt(problem, p, i);
    numerator += w * (problem.q[i] as number);
    denominator += w;
  }
  return denominator > 0 ? numerator / denominator : 0;
}

/** Exhaustive search over every ordered duplicate-free slate (position 0 outermost; the first maximiser wins). */
function enumerateBest(problem: SlateProblem, out: Int32Array, offset: number): number {
  const { numCandidates: C, slateSize: S } = problem;
  const used = new Uint8Array(C);
  const current = new Int32Array(S);
  let best = Number.NEGATIVE_INFINITY;
  const visit = (p: number, numerator: number, denominator: number): void => {
    if (p === S) {
      const value = denominator > 0 ? numerator / denominator : 0;
      if (value > best) {
        best = value;
        out.set(current, offset);
      }
      return;
    }
    for (let i = 0; i < C; i++) {
      if (used[i] === 1) continue;
      const w = weightAt(problem, p, i);
      used[i] = 1;
      current[p] = i;
      visit(p + 1, numerator + w * (problem.q[i] as number), denominator + w);
      used[i] = 0;
    }
  };
  visit(0, problem.noClickWeight * (problem.noClickValue ?? 0), problem.noClickWeight);
  return best;
}

/** Writes the S indices with the largest `scores` into `out` (best first; ties: lower index first). */
function topByScore(scores: Float64Array, slateSize: number, out: Int32Array, offset: number): void {
  const C = scores.length;
  const taken = new Uint8Array(C);
  for (let p = 0; p < slateSize; p++) {
    let best = -1;
    for (let i = 0; i < C; i++) if (taken[i] === 0 && (best < 0 || (scores[i] as number) > (scores[best] as number))) best = i;
    taken[best] = 1;
    out[offset + p] = best;
  }
}

/**
 * Dinkelbach's method for position-independent weights: the best slate for value λ maximises
 * Σ_{i∈A} w_i·(q_i − λ) + w₀·(q⊥ − λ), i.e. it is the top S by w_i·(q_i − λ); iterating λ ← V(A) rises
 * to the optimum in a few rounds. Exact (the same maximum as enumeration) in O(rounds·C·S).
 */
function dinkelbachBest(problem: SlateProblem, out: Int32Array, offset: number): number {
  const { numCandidates: C, slateSize: S } = problem;
  const scores = new Float64Array(C);
  const candidate = new Int32Array(S);
  for (let p = 0; p < S; p++) out[offset + p] = p;
  let lambda = slateValue(problem, out, offset);
  for (let round = 0; round < 4 * C + 8; round++) {
    for (let i = 0; i < C; i++) scores[i] = (problem.weights[i] as number) * ((problem.q[i] as number) - lambda);
    topByScore(scores, S, candidate, 0);
    const value = slateValue(problem, candidate, 0);
    if (!(value > lambda + 1e-12 * Math.max(1, Math.abs(lambda)))) break;
    lambda = value;
    out.set(candidate, offset);
  }
  return lambda;
}

/**
 * The exact maximiser of `V(A)` over ordered duplicate-free slates, written into
 * `out[offset … offset + S)`, and its value: Dinkelbach's method when the weights do not depend on
 * the position (any order of the best set is optimal; it comes back best `w·(q − V)` first),
 * exhaustive enumeration (C!/(C−S)! slates) when they do.
 */
export function maximizeSlate(problem: SlateProblem, out: Int32Array, offset = 0): number {
  return problem.positionDependent ? enumerateBest(problem, out, offset) : dinkelbachBest(problem, out, offset);
}

/** The best slate by exhaustive enumeration whatever the weights (the reference `maximizeSlate` is tested against). */
export function maximizeSlateByEnumeration(problem: SlateProblem, out: Int32Array, offset = 0): number {
  return enumerateBest(problem, out, offset);
}

/** A uniformly random ordered slate of S distinct candidates out of C (partial Fisher–Yates) into `out[offset…)`. */
export function randomSlate(
  numCandidates: number,
  slateSize: number,
  rng: Rng,
  out: ArrayLike<number> & { [i: number]: number },
  offset = 0,
): void {
  const pool = new Int32Array(numCandidates);
  for (let i = 0; i < numCandidates; i++) pool[i] = i;
  for (let p = 0; p < slateSize; p++) {
    const j = p + rng.int(numCandidates - p);
    const chosen = pool[j] as number;
    pool[j] = pool[p] as number;
    pool[p] = chosen;
    out[offset + p] = chosen;
  }
}
