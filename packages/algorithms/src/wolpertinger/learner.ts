import type { ColumnSet, SampleBatch } from '@loomrl/core';
import type { OptimizerState, WolpertingerInference, WolpertingerSpec } from '@loomrl/core/internal';
import type { LearnerEngineName } from '../learnerEngine.js';
import type { ReplayColumns } from '../replay/index.js';
import type { WolpertingerTrainingSettings } from './config.js';

/** The Wolpertinger settings the learner reads. */
export type WolpertingerLearnerSettings = Pick<WolpertingerTrainingSettings, 'actorLr' | 'criticLr' | 'gamma' | 'gradClip' | 'k'>;

/** The columns of a replayed batch. */
export interface WolpertingerTrainColumns extends ColumnSet, ReplayColumns {
  readonly obs: Float32Array;
  /** The item shown (one number per row). */
  readonly actions: Float32Array;
  readonly rewards: Float32Array;
  readonly nextObs: Float32Array;
  readonly terminateds: Uint8Array;
}

/** The statistics of one update. */
export type WolpertingerUpdateStats = {
  readonly criticLoss: number;
  readonly actorLoss: number;
  readonly meanQ: number;
  readonly meanTarget: number;
  readonly curLr: number;
};

/** The three weight sets the workers act with: actor, critic, raw item embeddings (N × E). */
export interface WolpertingerWeights {
  readonly actor: Float32Array;
  readonly critic: Float32Array;
  readonly embeddings: Float32Array;
}

/** A set of the three weight sets, read and written together. */
export interface WolpertingerWeightSet {
  get(): WolpertingerWeights;
  set(weights: WolpertingerWeights): void;
}

/**
 * Wolpertinger's learner: DDPG over item embeddings (the RecSim catalogue notebook's update).
 *
 *   target  = r + γ·(1 − terminated)·max_{i ∈ kNN_k(π′(s′))} Q′(s′, ê′_i)   (target actor, critic and embeddings)
 *   critic  = mean (Q(s, ê_a) − target)²   (gradients into the critic and the item embeddings)
 *   actor   = −mean Q(s, π(s))             (the normalised proto-action goes to the critic directly)
 * ê = L2-normalised embeddings. One Adam step for the critic (`criticLr`), then one for the actor
 * (`actorLr`), then soft target updates of all three with τ (`updateTargets`). Adam with ε = 1e-7
 * and global-norm clipping at `gradClip` (the critic's norm over the critic and the embeddings).
 * The updates run on an engine: LoomRL's WebAssembly kernels (`KernelWolpertingerEngine`) or
 * TensorFlow.js (`TfWolpertingerEngine`); the targets come from the target networks' plain-JS policy.
 */
export interface WolpertingerLearner {
  readonly spec: WolpertingerSpec;
  /** The online networks (what the workers act with). */
  readonly online: WolpertingerWeightSet;
  /** The target networks. */
  readonly target: WolpertingerWeightSet;
  /** The TD targets of every row. */
  tdTargets(batch: SampleBatch<WolpertingerTrainColumns>): Float32Array;
  /** One critic step and one actor step on a replayed batch. */
  update(batch: SampleBatch<WolpertingerTrainColumns>): WolpertingerUpdateStats;
  /** Soft-updates the target networks (and the plain-JS target policy the targets come from). */
  updateTargets(tau: number): void;
  /** Sets the target networks to `weights`. */
  setTargets(weights: WolpertingerWeights): void;
  /** Optimizer states for a checkpoint (`critic`: critic then embeddings; `actor`). */
  getOptimizerStates(): Promise<Record<string, OptimizerState>>;
  /** Restores optimizer states (of either engine). */
  setOptimizerStates(states: Readonly<Record<string, OptimizerState>>): Promise<void>;
  /** Frees what the learner holds. */
  dispose(): void;
}

/** A Wolpertinger learner on `engine` (tfjs on its active backend) whose online and target networks start from `weights`. */
export async function createWolpertingerLearner(
  spec: WolpertingerSpec,
  weights: WolpertingerWeights,
  settings: WolpertingerLearnerSettings,
  engine: LearnerEngineName,
): Promise<WolpertingerLearner> {
  if (engine === 'tfjs') {
    const { TfWolpertingerEngine } = await import('./tfEngine.js');
    return new TfWolpertingerEngine(spec, weights, settings);
  }
  const { KernelWolpertingerEngine } = await import('./kernelEngine.js');
  return new KernelWolpertingerEngine(spec, weights, settings);
}

/** The TD targets `r + γ(1 − terminated)·Q′(s′, ê′_i)` of every row, i the target policy's kNN choice (plain JS). */
export function wolpertingerTdTargets(
  policy: WolpertingerInference,
  settings: WolpertingerLearnerSettings,
  batch: SampleBatch<WolpertingerTrainColumns>,
): Float32Array {
  const c = batch.columns;
  const out = new Float32Array(batch.count);
  for (let r = 0; r < batch.count; r++) {
    let bootstrap = 0;
    if (c.terminateds[r] !== 1) {
      const item = policy.act(c.nextObs, r, settings.k);
      bootstrap = policy.criticValues(c.nextObs, r, [item])[0] as number;
    }
    out[r] = (c.rewards[r] as number) + settings.gamma * bootstrap;
  }
  return out;
}

/** The state features (`rows × stateDim`) of `rows` observations. */
export function wolpertingerStates(spec: WolpertingerSpec, obs: Float32Array, rows: number): Float32Array {
  const { obsDim, stateOffset, stateDim } = spec;
  const out = new Float32Array(rows * stateDim);
  for (let r = 0; r < rows; r++) out.set(obs.subarray(r * obsDim + stateOffset, r * obsDim + stateOffset + stateDim), r * stateDim);
  return out;
}
