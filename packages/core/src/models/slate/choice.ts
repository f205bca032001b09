import type { SlateObservationLayout } from './layout.js';

/**
 * How a slate recommender models the user's click, per candidate and slate position.
 *
 * - `fixedProportional`: RLlib SlateQ's hard-coded scores (RecSim's Interest Evolution choice model):
 *   weight `max(0, user·doc_i − minNormalizer)` for every position, no-click weight
 *   `noClickMass − minNormalizer`. Needs user and document features of the same length.
 * - `learnedLogit`: a multinomial logit learned from the observed clicks: logit of candidate i at
 *   position p = `userᵀ·W·doc_i + w·doc_i + positionBias_p`, no-click logit `noClickLogit`. It
 *   generalises RLlib's learned model (`β·user·doc` and a no-click logit) to envs whose user and
 *   document features differ (Interest Exploration) or whose clicks depend on the position (Long
 *   Term Satisfaction always consumes position 0). Its parameters are the `choiceModel` tensor.
 */
export type SlateChoiceModelConfig =
  | { readonly type: 'fixedProportional'; readonly minNormalizer: number; readonly noClickMass: number }
  | { readonly type: 'learnedLogit' };

/** Where the learned choice model's parameters sit in its flat `choiceModel` tensor. */
export interface ChoiceParameterLayout {
  /** `W`, `userDim × docDim`, row-major. */
  readonly bilinear: number;
  /** `w`, `docDim` numbers. */
  readonly linear: number;
  /** `positionBias`, `slateSize` numbers. */
  readonly positionBias: number;
  /** The no-click logit, one number. */
  readonly noClick: number;
  readonly size: number;
}

/** The flat layout of a learned choice model's parameters for `layout`. */
export function choiceParameterLayout(layout: SlateObservationLayout): ChoiceParameterLayout {
  const bilinear = 0;
  const linear = layout.userDim * layout.docDim;
  const positionBias = linear + layout.docDim;
  const noClick = positionBias + layout.slateSize;
  return { bilinear, linear, positionBias, noClick, size: noClick + 1 };
}

/** Whether a candidate's click weight depends on its slate position under `model` (then slates are maximised by enumeration). */
export function isPositionDependent(model: SlateChoiceModelConfig, layout: SlateObservationLayout): boolean {
  return model.type === 'learnedLogit' && layout.slateSize > 1;
}

/**
 * The click weights of every candidate at every slate position for row `row` of `obs`:
 * `weights[p·C + i]` for candidate i at position p (position-independent models fill only p = 0),
 * and the no-click weight as the return value. Weights are unnormalised (a slate's click
 * probabilities are its weights over their sum plus the no-click weight). `params` is the learned
 * model's tensor (unused by the fixed model).
 */
export function slateChoiceWeights(
  model: SlateChoiceModelConfig,
  layout: SlateObservationLayout,
  params: Float32Array | null,
  obs: ArrayLike<number>,
  row: number,
  weights: Float64Array,
): number {
  const { numCandidates: C, docDim: D, userDim: U } = layout;
  const base = row * layout.obsDim;
  const user = base + layout.userOffset;
  if (model.type === 'fixedProportional') {
    for (let i = 0; i < C; i++) {
      const doc = base + layout.docOffset + i * D;
      let dot = 0;
      for (let j = 0; j < D; j++) dot += (obs[user + j] as number) * (obs[doc + j] as number);
      weights[i] = Math.max(0, dot - model.minNormalizer);
    }
    return Math.max(0, model.noClickMass - model.minNormalizer);
  }
  const p = params as Float32Array;
  const at = choiceParameterLayout(layout);
  let maxBias = Number.NEGATIVE_INFINITY;
  for (let s = 0; s < layout.slateSize; s++) maxBias = Math.max(maxBias, p[at.positionBias + s] as number);
  const noClick = p[at.noClick] as number;
  let shift = noClick;
  // Unshifted logits without the position bias, per candidate, first in weights[0..C).
  for (let i = 0; i < C; i++) {
    const doc = base + layout.docOffset + i * D;
    let logit = 0;
    for (let j = 0; j < D; j++) {
      const d = obs[doc + j] as number;
      if (d === 0) continue;
      let coefficient = p[at.linear + j] as number;
      for (let a = 0; a < U; a++) coefficient += (obs[user + a] as number) * (p[at.bilinear + a * D + j] as number);
      logit += coefficient * d;
    }
    weights[i] = logit;
    shift = Math.max(shift, logit + maxBias);
  }
  for (let s = layout.slateSize - 1; s >= 0; s--) {
    const bias = (p[at.positionBias + s] as number) - shift;
    for (let i = 0; i < C; i++) weights[s * C + i] = Math.exp((weights[i] as number) + bias);
  }
  return Math.exp(noClick - shift);
}
