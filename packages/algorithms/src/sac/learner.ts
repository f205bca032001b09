import type { LearnerStats, Rng, SampleBatch } from '@loomrl/core';
import type { OptimizerState } from '@loomrl/core/internal';
import type { DQNTrainColumns } from '../dqn/learner.js';
import type { LearnerEngineName } from '../learnerEngine.js';
import type { SACTrainingSettings } from './config.js';
import type { SacNetworkSpec } from './networkSpec.js';
import type { SacWeights } from './networks.js';

/** The SAC settings the learner reads. */
export type SACLearnerSettings = Pick<SACTrainingSettings, 'optimization' | 'gradClip'>;

/** What one SAC update returns: the stats and each row's TD error (for priority updates). */
export interface SACUpdate {
  readonly stats: LearnerStats;
  readonly tdErrors: Float32Array;
}

/**
 * What SAC's algorithm needs of a learner's networks, on either engine: the shapes, the soft target
 * update, and the weight sets (the actor's alone for acting, all of them for checkpoints).
 */
export interface SacNetworkState {
  readonly spec: SacNetworkSpec;
  /** target ← τ·online + (1 − τ)·target for every Q network. */
  updateTargets(tau: number): void;
  getActorWeights(): Float32Array;
  setActorWeights(weights: Float32Array): void;
  getWeights(): SacWeights;
  setWeights(weights: SacWeights): void;
  dispose(): void;
}

/** Where SAC's updates run (`KernelSACEngine`, WebAssembly kernels; `TfSACEngine`, TensorFlow.js). */
export interface SACEngine {
  readonly nets: SacNetworkState;
  update(batch: SampleBatch<DQNTrainColumns>): SACUpdate;
  getOptimizerStates(): Promise<Record<string, OptimizerState>>;
  setOptimizerStates(states: Readonly<Record<string, OptimizerState>>): Promise<void>;
  /** Frees the optimizers (the networks are freed by `nets.dispose()`). */
  dispose(): void;
}

/** Everything an engine starts from: the shapes, the weights (targets = copies of the Q networks), H̄, the noise stream. */
export interface SACEngineInit {
  readonly spec: SacNetworkSpec;
  readonly weights: Omit<SacWeights, 'qTarget'>;
  readonly settings: SACLearnerSettings;
  readonly targetEntropy: number;
  readonly rng: Rng;
}

/**
 * SAC's learner: the losses and the update (RLlib's SAC torch loss, old API stack). Continuous:
 *
 * y     = r + γⁿ (1 − terminated) · (min_i Q_i,target(s′, ã′) − α log π(ã′|s′)),  ã′ ~ π(·|s′)   (no gradient)
 * L_Q   = Σ_i mean(w · huber(Q_i(s, a) − y))                          w = prioritized-replay weights
 * L_π   = mean(α · log π(ã|s) − min_i Q_i(s, ã)),  ã ~ π(·|s) reparameterised
 * L_α   = −mean(log α · (log π(ã|s) + H̄))
 *
 * Discrete: expectations over π(·|s) instead of samples, L_π against Q₁ only (RLlib's). Every term
 * is computed from the weights before the update (RLlib's simultaneous step): y and log π(ã|s) are
 * precomputed, then the actor, α and critic steps apply. Three Adam optimizers (actor, both critics
 * together, log α) with ε = 1e-7 (RLlib's, to match TF) and global-norm clipping at `gradClip`. The
 * noise ε (for ã then ã′, `rows × dim` standard normals each) is drawn in JS from the seeded stream,
 * so both engines take the same samples. The updates run on an engine: LoomRL's WebAssembly kernels
 * (`'loomrl'`) or TensorFlow.js (`'tfjs'`).
 */
export class SACLearner {
  /** A learner on `engine` (tfjs on its active backend). */
  static async create(init: SACEngineInit, engine: LearnerEngineName): Promise<SACLearner> {
    if (engine === 'tfjs') {
      const { TfSACEngine } = await import('./tfEngine.js');
      return new SACLearner(new TfSACEngine(init));
    }
    const { KernelSACEngine } = await import('./kernelEngine.js');
    return new SACLearner(new KernelSACEngine(init));
  }

  /** A learner running on `engine`. */
  constructor(private readonly engine: SACEngine) {}

  /** The networks (online, targets, log α). */
  get nets(): SacNetworkState {
    return this.engine.nets;
  }

  /** One update on a replayed batch. */
  update(batch: SampleBatch<DQNTrainColumns>): SACUpdate {
    return this.engine.update(batch);
  }

  /** The three optimizers' state for a checkpoint (`actor`, `critic`, `alpha`). */
  getOptimizerStates(): Promise<Record<string, OptimizerState>> {
    return this.engine.getOptimizerStates();
  }

  /** Restores the optimizers from a checkpoint. */
  setOptimizerStates(states: Readonly<Record<string, OptimizerState>>): Promise<void> {
    return this.engine.setOptimizerStates(states);
  }

  /** Frees the optimizers (the networks are freed by `nets.dispose()`). */
  dispose(): void {
    this.engine.dispose();
  }
}
