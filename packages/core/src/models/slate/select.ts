import { maximizeSlate, type SlateProblem, slateValue } from './maximize.js';

/**
 * How a slate is chosen from item values and click weights (RecSim's SlateDecompQ
 * `select_slate_*`, the SlateQ paper's OS / GS / TS): `'optimal'` = the exact maximiser of V(A)
 * (`maximizeSlate`); `'greedy'` = adaptive greedy, S rounds each adding the candidate that
 * maximises the slate value so far; `'topK'` = the S largest w_i·q_i, ignoring the no-click term.
 */
export type SlateSelection = 'optimal' | 'greedy' | 'topK';

/** The slate selections, for config checks. */
export const SLATE_SELECTIONS: readonly SlateSelection[] = ['optimal', 'greedy', 'topK'];

function weightAt(problem: SlateProblem, position: number, candidate: number): number {
  return problem.weights[(problem.positionDependent ? position * problem.numCandidates : 0) + candidate] as number;
}

/**
 * Adaptive greedy (RecSim's `select_slate_greedy`): S rounds; round p adds the unpicked candidate i
 * maximising (N + w_p(i)·q_i)/(D + w_p(i)), where N = w₀·q⊥ + Σ picked w·q and D = w₀ + Σ picked w
 * (ties: the lower index). The slate is in pick order (RecSim sorts it by candidate index, which
 * changes nothing when the weights do not depend on the position).
 */
function greedySlate(problem: SlateProblem, out: Int32Array, offset: number): void {
  const { numCandidates: C, slateSize: S } = problem;
  const taken = new Uint8Array(C);
  let numerator = problem.noClickWeight * (problem.noClickValue ?? 0);
  let denominator = problem.noClickWeight;
  for (let p = 0; p < S; p++) {
    let best = -1;
    let bestValue = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < C; i++) {
      if (taken[i] === 1) continue;
      const w = weightAt(problem, p, i);
      const d = denominator + w;
      const value = d > 0 ? (numerator + w * (problem.q[i] as number)) / d : 0;
      if (value > bestValue) {
        bestValue = value;
        best = i;
      }
    }
    taken[best] = 1;
    out[offset + p] = best;
    const w = weightAt(problem, p, best);
    numerator += w * (problem.q[best] as number);
    denominator += w;
  }
}

/** Top-K (RecSim's `select_slate_topk`): the S largest w_p(i)·q_i, best first (ties: the lower index). */
function topKSlate(problem: SlateProblem, out: Int32Array, offset: number): void {
  const { numCandidates: C, slateSize: S } = problem;
  const taken = new Uint8Array(C);
  for (let p = 0; p < S; p++) {
    let best = -1;
    for (let i = 0; i < C; i++) {
      if (taken[i] === 1) continue;
      const score = weightAt(problem, p, i) * (problem.q[i] as number);
      if (best < 0 || score > weightAt(problem, p, best) * (problem.q[best] as number)) best = i;
    }
    taken[best] = 1;
    out[offset + p] = best;
  }
}

/** Writes the slate `selection` picks into `out[offset … offset + S)` and returns its value V(A). */
export function selectSlate(problem: SlateProblem, selection: SlateSelection, out: Int32Array, offset = 0): number {
  if (selection === 'optimal') return maximizeSlate(problem, out, offset);
  if (selection === 'greedy') greedySlate(problem, out, offset);
  else topKSlate(problem, out, offset);
  return slateValue(problem, out, offset);
}
