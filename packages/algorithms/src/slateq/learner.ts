import type { ColumnSet, SampleBatch } from '@loomrl/core';
import {
  clickedPosition,
  isPositionDependent,
  type OptimizerState,
  type SlateChoiceModelConfig,
  type SlateQNetworkSpec,
  selectSlate,
  slateChoiceWeights,
  slateValue,
} from '@loomrl/core/internal';
import type { LearnerEngineName } from '../learnerEngine.js';
import type { ReplayColumns } from '../replay/index.js';
import type { SlateQTrainingSettings } from './config.js';

/** The SlateQ settings the learner reads. */
export type SlateQLearnerSettings = Pick<
  SlateQTrainingSettings,
  | 'lr'
  | 'gradClip'
  | 'adamEpsilon'
  | 'gamma'
  | 'useHuber'
  | 'huberThreshold'
  | 'lrChoiceModel'
  | 'targetQFromCurrentObs'
  | 'targetSlateSelection'
>;

/** The columns of a replayed SlateQ batch. */
export interface SlateQTrainColumns extends ColumnSet, ReplayColumns {
  readonly obs: Float32Array;
  /** The slate: S candidate positions per row. */
  readonly actions: Float32Array;
  readonly rewards: Float32Array;
  readonly nextObs: Float32Array;
  readonly terminateds: Uint8Array;
}

/** Replayed columns for `targetSlateSelection: 'sarsa'`: also the slate shown at the next step (S positions, −1 when not sampled). */
export interface SlateQSarsaColumns extends SlateQTrainColumns {
  readonly nextActions: Float32Array;
}

/** The statistics of one SlateQ update (Q, TD and target over the batch's clicked rows; 0 when none clicked). */
export type SlateQUpdateStats = {
  readonly loss: number;
  readonly meanQ: number;
  readonly minQ: number;
  readonly maxQ: number;
  readonly meanTdError: number;
  readonly meanTarget: number;
  readonly curLr: number;
  readonly gradGnorm: number;
  /** The share of replayed rows with a click (only they carry a TD error). */
  readonly clickFraction: number;
  /** The learned choice model's cross-entropy (only with `useLearnedChoiceModel`). */
  readonly choiceModelLoss?: number;
};

/** What one SlateQ update returns: the stats and every row's TD error (0 for rows without a click), for priorities. */
export interface SlateQUpdate {
  readonly stats: SlateQUpdateStats;
  readonly tdErrors: Float32Array;
}

/** Everything a SlateQ engine starts from: the towers' shapes and weights (the target towers copy them), the choice model. */
export interface SlateQEngineInit {
  readonly spec: SlateQNetworkSpec;
  readonly choiceModel: SlateChoiceModelConfig;
  readonly weights: Float32Array;
  /** The learned choice model's flat parameters (`null` with RLlib's fixed click scores). */
  readonly choiceParams: Float32Array | null;
  readonly settings: SlateQLearnerSettings;
}

/** A set of tower weights read and written as one flat array. */
export interface FlatWeights {
  getWeights(): Float32Array;
  setWeights(weights: Float32Array): void;
}

/**
 * SlateQ's learner: the loss and the update (RLlib's SlateQ, with its quirks fixed by default).
 *
 * For a replayed (s, A, r, s′) with clicked position p (read from s′'s responses):
 *   Q(s, A_p)   = the online tower's value of the clicked document (no click: Q(s, ⊥), the
 *                 no-click tower's value, when it is learned)
 *   target      = r + γ · (1 − terminated) · max_{A′} Σ_{i∈A′∪⊥} P(i | s′, A′) · Q_target(s′, i)
 *                 (exact maximisation over ordered duplicate-free slates; P from the choice model on s′;
 *                 Q_target(s′, ⊥) = 0 unless learned; Q_target on s with `targetQFromCurrentObs`, RLlib's quirk)
 *   TD          = Q(s, A_p) − target (0 for rows without a click when Q(s, ⊥) is not learned)
 *   loss        = mean over the batch of w · TD² (or Huber with `useHuber`), w = importance weights
 * Adam with `adamEpsilon` and global-norm clipping at `gradClip`; without a no-click value, a
 * batch without clicks changes nothing. With a learned choice model, its logit model first takes
 * one Adam step (`lrChoiceModel`, ε = 1e-7, no clipping) per batch on the cross-entropy of the
 * observed choices, and the targets use the stepped model. The updates run on an engine: LoomRL's
 * WebAssembly kernels (`KernelSlateQEngine`) or TensorFlow.js (`TfSlateQEngine`).
 */
export interface SlateQLearner {
  readonly spec: SlateQNetworkSpec;
  /** The TD targets `r + γ(1 − terminated)·V(A′)` of every row (see `slateTdTargets`). */
  tdTargets(batch: SampleBatch<SlateQTrainColumns>): Float32Array;
  /** One gradient step on a replayed batch at learning rate `lr` (and one choice-model step when it is learned). */
  update(batch: SampleBatch<SlateQTrainColumns>, lr: number): SlateQUpdate;
  /** Moves the target towers toward the online ones: a copy when `tau` = 1. */
  updateTarget(tau: number): void;
  /** The online towers' weights (one flat array in `slateQNetworkLayout` order). */
  readonly online: FlatWeights;
  /** The target towers' weights. */
  readonly target: FlatWeights;
  /** The online towers' weights as one flat array. */
  getWeights(): Float32Array;
  /** The learned choice model's flat parameters (`null` with RLlib's fixed click scores). */
  getChoiceParams(): Float32Array | null;
  /** Replaces the learned choice model's parameters. */
  setChoiceParams(params: Float32Array): void;
  /** Optimizer states for a checkpoint: the Q towers' (`policy`) and, when learned, the choice model's (`choiceModel`). */
  getOptimizerStates(): Promise<Record<string, OptimizerState>>;
  /** Restores optimizer states from a checkpoint (of either engine). */
  setOptimizerStates(states: Readonly<Record<string, OptimizerState>>): Promise<void>;
  /** Frees what the learner holds. */
  dispose(): void;
}

/** A SlateQ learner on `engine` (tfjs on its active backend). */
export async function createSlateQLearner(init: SlateQEngineInit, engine: LearnerEngineName): Promise<SlateQLearner> {
  if (engine === 'tfjs') {
    const { TfSlateQEngine } = await import('./tfEngine.js');
    return new TfSlateQEngine(init);
  }
  const { KernelSlateQEngine } = await import('./kernelEngine.js');
  return new KernelSlateQEngine(init);
}

/** Each row's clicked candidate (−1 without a click) and its choice label (the clicked position, or S for no click). */
export function clickLabels(spec: SlateQNetworkSpec, batch: SampleBatch<SlateQTrainColumns>) {
  const { layout } = spec;
  const S = layout.slateSize;
  const c = batch.columns;
  const clickedCandidate = new Int32Array(batch.count).fill(-1);
  const labels = new Int32Array(batch.count);
  for (let r = 0; r < batch.count; r++) {
    const p = clickedPosition(layout, c.nextObs, r);
    labels[r] = p < 0 ? S : p;
    if (p >= 0) clickedCandidate[r] = c.actions[r * S + p] as number;
  }
  // The rows with a click, and the rows without one, in batch order.
  const clicked = Int32Array.from(Array.from(clickedCandidate).flatMap((k, r) => (k >= 0 ? [r] : [])));
  const idle = Int32Array.from(Array.from(clickedCandidate).flatMap((k, r) => (k < 0 ? [r] : [])));
  return { clickedCandidate, labels, clicked, idle };
}

/** The choice model's inputs of a batch: the users (`rows × U`) and the shown documents (`rows × S × D`). */
export function choiceModelInputs(spec: SlateQNetworkSpec, batch: SampleBatch<SlateQTrainColumns>) {
  const { layout } = spec;
  const { userDim: U, docDim: D, slateSize: S, obsDim } = layout;
  const c = batch.columns;
  const rows = batch.count;
  const users = new Float32Array(rows * U);
  const shown = new Float32Array(rows * S * D);
  for (let r = 0; r < rows; r++) {
    users.set(c.obs.subarray(r * obsDim + layout.userOffset, r * obsDim + layout.userOffset + U), r * U);
    for (let p = 0; p < S; p++) {
      const doc = r * obsDim + layout.docOffset + (c.actions[r * S + p] as number) * D;
      shown.set(c.obs.subarray(doc, doc + D), (r * S + p) * D);
    }
  }
  return { users, shown };
}

/**
 * The TD targets `r + γ(1 − terminated)·V(A′)` of every row from the target net's item values `q`
 * (`rows × C`) and no-click values (`rows`) on the observations `targetQFromCurrentObs` names: A′
 * the best next slate (or the greedy / top-K one of `targetSlateSelection`, or with `'sarsa'` the
 * slate shown next when the row knows it), in plain JS.
 */
export function slateTdTargets(
  init: Omit<SlateQEngineInit, 'weights'>,
  batch: SampleBatch<SlateQTrainColumns>,
  q: Float32Array,
  noClick: Float32Array,
): Float32Array {
  const { spec, choiceModel, choiceParams, settings } = init;
  const c = batch.columns;
  const rows = batch.count;
  const { layout } = spec;
  const C = layout.numCandidates;
  const weights = new Float64Array(layout.slateSize * C);
  const slate = new Int32Array(layout.slateSize);
  const positionDependent = isPositionDependent(choiceModel, layout);
  const out = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    let bootstrap = 0;
    if (c.terminateds[r] !== 1) {
      const noClickWeight = slateChoiceWeights(choiceModel, layout, choiceParams, c.nextObs, r, weights);
      const problem = { numCandidates: C, slateSize: layout.slateSize, weights, noClickWeight, positionDependent };
      const next = { ...problem, q: q.subarray(r * C, (r + 1) * C), noClickValue: noClick[r] as number };
      const shown = settings.targetSlateSelection === 'sarsa' ? (c as Partial<SlateQSarsaColumns>).nextActions : undefined;
      if (shown !== undefined && (shown[r * layout.slateSize] as number) >= 0) bootstrap = slateValue(next, shown, r * layout.slateSize);
      else bootstrap = selectSlate(next, settings.targetSlateSelection === 'sarsa' ? 'optimal' : settings.targetSlateSelection, slate, 0);
    }
    out[r] = (c.rewards[r] as number) + settings.gamma * bootstrap;
  }
  return out;
}

/** An update's stats from the loss, the clicked rows' Q values and targets, and every row's TD error. */
export function slateQUpdateStats(
  base: Pick<SlateQUpdateStats, 'curLr' | 'clickFraction' | 'choiceModelLoss'>,
  loss: number,
  qClicked: readonly number[],
  targetsClicked: readonly number[],
  tdErrors: Float32Array,
  gradGnorm: number,
): SlateQUpdateStats {
  const mean = (xs: ArrayLike<number>) => (xs.length === 0 ? 0 : Array.from(xs).reduce((a, b) => a + b, 0) / xs.length);
  return {
    ...base,
    loss,
    meanQ: mean(qClicked),
    minQ: qClicked.length === 0 ? 0 : Math.min(...qClicked),
    maxQ: qClicked.length === 0 ? 0 : Math.max(...qClicked),
    meanTdError: mean(tdErrors),
    meanTarget: mean(targetsClicked),
    gradGnorm,
  };
}

/** The stats of an update that changes nothing (no click and no no-click value). */
export function idleUpdate(base: Pick<SlateQUpdateStats, 'curLr' | 'clickFraction' | 'choiceModelLoss'>, rows: number): SlateQUpdate {
  const zero = { loss: 0, meanQ: 0, minQ: 0, maxQ: 0, meanTdError: 0, meanTarget: 0, gradGnorm: 0 };
  return { stats: { ...base, ...zero }, tdErrors: new Float32Array(rows) };
}
