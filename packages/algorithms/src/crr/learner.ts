import { ConfigError, type LearnerStats, type Rng, type SampleBatch, type TransitionColumns } from '@loomrl/core';
import type { ActorSpec, OptimizerState, PlainMlpLayout } from '@loomrl/core/internal';
import type { LearnerEngineName } from '../learnerEngine.js';
import type { CRRTrainingSettings } from './config.js';

/** The CRR settings the learner reads. */
export type CRRLearnerSettings = Pick<
  CRRTrainingSettings,
  | 'weightType'
  | 'temperature'
  | 'maxWeight'
  | 'advantageType'
  | 'nActionSample'
  | 'actorLr'
  | 'criticLr'
  | 'tdErrorLossFn'
  | 'gamma'
  | 'gradClip'
  | 'criticHiddenActivation'
>;

/** CRR's weight sets (the target copies of actor and critics included). */
export interface CRRWeights {
  readonly policy: Float32Array;
  readonly q: readonly Float32Array[];
  readonly policyTarget: Float32Array;
  readonly qTarget: readonly Float32Array[];
}

/** What a CRR engine starts from: the actor `spec`, the critic layout, the online weights (targets start as copies). */
export interface CRREngineInit {
  readonly spec: ActorSpec;
  readonly critic: PlainMlpLayout;
  readonly weights: Omit<CRRWeights, 'policyTarget' | 'qTarget'>;
  readonly settings: CRRLearnerSettings;
  /** Draws the sampled actions (V's samples, the target's a′), in the same order on either engine. */
  readonly rng: Rng;
  /** The most rows one update takes (the train batch size). */
  readonly maxRows: number;
}

/** Refuses settings the actor's action space cannot take (`'expectation'` sums over Discrete actions). */
export function checkCrrEngineInit(init: CRREngineInit): void {
  if (init.spec.distribution !== 'categorical' && init.settings.advantageType === 'expectation') {
    throw new ConfigError(`training({ advantageType: 'expectation' }) needs Discrete actions; use 'mean' or 'max' for Box actions.`);
  }
}

/**
 * Where CRR's updates run (`KernelCRREngine`, WebAssembly kernels; `TfCRREngine`, TensorFlow.js):
 * the same losses, noise draws and Adam steps, so a state moves between them.
 */
export interface CRREngine {
  /** The number of Q networks (2 with `twinQ`). */
  readonly criticCount: number;
  /** One actor step and one critic step on `batch`; returns RLlib's CRR stats. */
  update(batch: SampleBatch<TransitionColumns>): LearnerStats;
  /** target ← τ·online + (1 − τ)·target for the actor and every critic. */
  updateTargets(tau: number): void;
  getActorWeights(): Float32Array;
  setActorWeights(weights: Float32Array): void;
  getWeights(): CRRWeights;
  setWeights(weights: CRRWeights): void;
  getOptimizerStates(): Promise<Record<string, OptimizerState>>;
  setOptimizerStates(states: Readonly<Record<string, OptimizerState>>): Promise<void>;
  dispose(): void;
}

/**
 * CRR's learner: the losses and the update (RLlib's CRR torch loss), for Discrete and Box actions.
 *
 * Q̃     = min(Q₁, Q₂)
 * A     = Q̃(s, a) − V(s),  V = mean_j / max_j Q̃(s, aʲ), aʲ ~ π(·|s)   (or Σₐ π(a|s) Q̃(s, a), Discrete 'expectation')
 * w     = 1[A > 0] ('bin')  or  min(exp(A / T), maxWeight) ('exp')                       (no gradient)
 * L_π   = −mean(w · log π(a|s))          log-probabilities summed over action dimensions
 * y     = r + γ (1 − terminated) Q̃_target(s′, a′),  a′ ~ π_target(·|s′)               (no gradient)
 * L_Q   = ½ Σ over both critics and rows of δ² ('mse', RLlib's sum)  or  mean huber(δ)
 *
 * Differences from RLlib (its known bugs, see the spec): the targets start as copies (RLlib leaves
 * them independently initialised), weights carry no gradient, sampled Box actions are clamped to
 * [-1, 1], `twinQ: false` works. Actor and critic step from the same weights (simultaneous).
 * The updates run on an engine: LoomRL's WebAssembly kernels (`'loomrl'`) or TensorFlow.js (`'tfjs'`).
 */
export class CRRLearner {
  /** A learner from `init` on `engine` (tfjs on its active backend). */
  static async create(init: CRREngineInit, engine: LearnerEngineName): Promise<CRRLearner> {
    if (engine === 'tfjs') {
      const { TfCRREngine } = await import('./tfEngine.js');
      return new CRRLearner(new TfCRREngine(init));
    }
    const { KernelCRREngine } = await import('./kernelEngine.js');
    return new CRRLearner(new KernelCRREngine(init));
  }

  /** A learner running on `engine`. */
  constructor(private readonly engine: CRREngine) {}

  /** The number of Q networks. */
  get criticCount(): number {
    return this.engine.criticCount;
  }

  /** One actor step and one critic step on `batch`. */
  update(batch: SampleBatch<TransitionColumns>): LearnerStats {
    return this.engine.update(batch);
  }

  /** target ← τ·online + (1 − τ)·target for the actor and every critic. */
  updateTargets(tau: number): void {
    this.engine.updateTargets(tau);
  }

  /** The actor's weights (what the workers act with). */
  getActorWeights(): Float32Array {
    return this.engine.getActorWeights();
  }

  /** Sets the actor's weights. */
  setActorWeights(weights: Float32Array): void {
    this.engine.setActorWeights(weights);
  }

  /** Every weight set as flat arrays. */
  getWeights(): CRRWeights {
    return this.engine.getWeights();
  }

  /** Restores every weight set. */
  setWeights(weights: CRRWeights): void {
    this.engine.setWeights(weights);
  }

  /** Both optimizers' state (`actor`, `critic`) for a checkpoint. */
  getOptimizerStates(): Promise<Record<string, OptimizerState>> {
    return this.engine.getOptimizerStates();
  }

  /** Restores the optimizers. */
  setOptimizerStates(states: Readonly<Record<string, OptimizerState>>): Promise<void> {
    return this.engine.setOptimizerStates(states);
  }

  /** Frees what the learner holds. */
  dispose(): void {
    this.engine.dispose();
  }
}
