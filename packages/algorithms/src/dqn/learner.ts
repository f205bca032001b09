import type { ColumnSet, SampleBatch } from '@loomrl/core';
import type { OptimizerState, QNetworkSpec } from '@loomrl/core/internal';
import type { LearnerEngineName } from '../learnerEngine.js';
import type { NStepColumns, ReplayColumns } from '../replay/index.js';
import type { DQNTrainingSettings } from './config.js';

/** The DQN settings the learner reads. */
export type DQNLearnerSettings = Pick<DQNTrainingSettings, 'lr' | 'gradClip' | 'adamEpsilon' | 'doubleQ' | 'tdErrorLossFn'>;

/** The columns of a replayed transition batch the loss reads. */
export interface DQNTrainColumns extends ColumnSet, NStepColumns, ReplayColumns {
  readonly obs: Float32Array;
  readonly actions: Float32Array;
  readonly rewards: Float32Array;
  readonly nextObs: Float32Array;
  readonly terminateds: Uint8Array;
}

/** The stats of one DQN update (RLlib's DQN `learner_stats`, camelCased). */
export type DQNUpdateStats = {
  readonly loss: number;
  readonly meanQ: number;
  readonly minQ: number;
  readonly maxQ: number;
  readonly meanTdError: number;
  readonly curLr: number;
  readonly gradGnorm: number;
};

/** What one DQN update returns: the stats and the TD error of every row (for priority updates). */
export interface DQNUpdate {
  readonly stats: DQNUpdateStats;
  readonly tdErrors: Float32Array;
}

/**
 * Where DQN's updates run: the loss, its gradients and Adam over the online network, and the target
 * network (`KernelDQNEngine`, WebAssembly kernels; `TfDQNEngine`, TensorFlow.js).
 */
export interface DQNEngine {
  update(batch: SampleBatch<DQNTrainColumns>, lr: number): DQNUpdate;
  updateTarget(tau: number): void;
  getWeights(): Float32Array;
  setWeights(weights: Float32Array): void;
  getTargetWeights(): Float32Array;
  setTargetWeights(weights: Float32Array): void;
  getOptimizerState(): Promise<OptimizerState>;
  setOptimizerState(state: OptimizerState): Promise<void>;
  dispose(): void;
}

/**
 * DQN's learner: the loss and the update (RLlib's DQN loss, old API stack).
 *
 * target = R + γᵏ · (1 − terminated) · Q_target(s′, a′)          (R, γᵏ from the n-step connector)
 *          a′ = argmax_a Q_online(s′, a)  with doubleQ, else argmax_a Q_target(s′, a)
 * TD     = Q_online(s, a) − target            (no gradient through the target)
 * loss   = mean(w · huber(TD))  (or mean(w · ½TD²) with tdErrorLossFn 'mse'), w = prioritized-replay importance weights
 *
 * Adam with `adamEpsilon`, global-norm gradient clipping at `gradClip`; the target network is
 * updated by `updateTarget(tau)`. The updates run on an engine: LoomRL's WebAssembly kernels
 * (`'loomrl'`) or TensorFlow.js (`'tfjs'`).
 */
export class DQNLearner {
  private readonly engine: DQNEngine;

  /** A learner for `spec` whose online and target networks start from `weights`, on `engine` (tfjs on its active backend). */
  static async create(
    spec: QNetworkSpec,
    weights: Float32Array,
    settings: DQNLearnerSettings,
    engine: LearnerEngineName,
  ): Promise<DQNLearner> {
    if (engine === 'tfjs') {
      const { TfDQNEngine } = await import('./tfEngine.js');
      return new DQNLearner(new TfDQNEngine(spec, weights, settings));
    }
    const { KernelDQNEngine } = await import('./kernelEngine.js');
    return new DQNLearner(new KernelDQNEngine(spec, weights, settings));
  }

  /** A learner running on `engine`. */
  constructor(engine: DQNEngine) {
    this.engine = engine;
  }

  /** One gradient step on a replayed batch at learning rate `lr`. */
  update(batch: SampleBatch<DQNTrainColumns>, lr: number): DQNUpdate {
    return this.engine.update(batch, lr);
  }

  /** Moves the target network toward the online one: a copy when `tau` = 1 (RLlib's `update_target`). */
  updateTarget(tau: number): void {
    this.engine.updateTarget(tau);
  }

  /** The online network's weights as one flat array. */
  getWeights(): Float32Array {
    return this.engine.getWeights();
  }

  /** Sets the online network's weights from one flat array. */
  setWeights(weights: Float32Array): void {
    this.engine.setWeights(weights);
  }

  /** The target network's weights as one flat array. */
  getTargetWeights(): Float32Array {
    return this.engine.getTargetWeights();
  }

  /** Sets the target network's weights from one flat array. */
  setTargetWeights(weights: Float32Array): void {
    this.engine.setTargetWeights(weights);
  }

  /** Optimizer moments and step count for a checkpoint. */
  getOptimizerState(): Promise<OptimizerState> {
    return this.engine.getOptimizerState();
  }

  /** Restores optimizer state from a checkpoint. */
  setOptimizerState(state: OptimizerState): Promise<void> {
    return this.engine.setOptimizerState(state);
  }

  /** Frees what the learner holds. */
  dispose(): void {
    this.engine.dispose();
  }
}
