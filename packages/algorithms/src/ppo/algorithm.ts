import {
  type ActionAdapter,
  ActorCriticInference,
  type ActorCriticSpec,
  Algorithm,
  actorCriticSpecFor,
  type ComputeActionOptions,
  createActionAdapter,
  createRng,
  describeValue,
  EnvError,
  entropySeed,
  initialWeights,
  type LearnerCheckpoint,
  type Rng,
  SampleBatch,
  type Space,
  type TrainingStepResult,
} from '@loomrl/core';
import { WorkerSet } from '@loomrl/workers';
import { computeAdvantages } from '../connectors/gae.js';
import { scheduledValue } from '../schedule.js';
import type { PPOConfig } from './config.js';
import type { PPOLearner } from './learner.js';

interface PolicyParts {
  readonly spec: ActorCriticSpec;
  readonly inference: ActorCriticInference;
  readonly adapter: ActionAdapter;
  readonly observationSpace: Space<unknown>;
}

const now = (): number => performance.now();

/** Proximal Policy Optimization (RLlib's `PPO`); build it with `new PPOConfig()…build()`. */
export class PPO extends Algorithm<PPOConfig> {
  private policy: PolicyParts | null = null;
  private learner: PPOLearner | null = null;
  private backendName = 'none';
  private readonly seed: number;
  private readonly actionRng: Rng;

  /** Prefer `config.build()`; the config is validated and frozen. */
  constructor(config: PPOConfig) {
    super(config, WorkerSet.factory);
    this.seed = this.settings.seed ?? entropySeed();
    this.actionRng = createRng(this.seed, 'computeSingleAction');
    const spaces = this.workers.spaces();
    if (spaces !== undefined) this.policy = this.createPolicy(spaces.observationSpace, spaces.actionSpace);
  }

  private createPolicy(observationSpace: Space<unknown>, actionSpace: Space<unknown>): PolicyParts {
    const spec = actorCriticSpecFor(observationSpace, actionSpace, this.settings.model);
    const inference = new ActorCriticInference(spec);
    inference.setWeights(initialWeights(inference.layout, createRng(this.seed, 'initialWeights')));
    return { spec, inference, adapter: createActionAdapter(actionSpace, this.settings), observationSpace };
  }

  protected async setup(spaces: { observationSpace: Space<unknown>; actionSpace: Space<unknown> }): Promise<void> {
    this.policy ??= this.createPolicy(spaces.observationSpace, spaces.actionSpace);
    // TensorFlow.js loads here, not when the package is imported (it costs most of the import time).
    const [{ selectBackend }, { PPOLearner }] = await Promise.all([import('@loomrl/core/tf'), import('./learner.js')]);
    this.backendName = await selectBackend(this.settings.backend);
    this.learner = new PPOLearner(this.policy.spec, this.policy.inference.getWeights(), this.config.settings, createRng(this.seed, 'sgd'));
  }

  get backend(): string {
    return this.backendName;
  }

  private requirePolicy(what: string): PolicyParts {
    if (this.policy === null) {
      throw new EnvError(
        `${what}: the env's spaces are not known yet (its module is imported in the background); await algo.ready() first.`,
      );
    }
    return this.policy;
  }

  private requireLearner(): PPOLearner {
    if (this.learner === null) throw new Error('PPO learner is not set up; await algo.ready() first.');
    return this.learner;
  }

  protected async trainingStep(): Promise<TrainingStepResult> {
    const s = this.config.settings;
    const t0 = now();
    const round = await this.workers.sample(s.trainBatchSize);
    const rollouts = SampleBatch.concat(round.batches);
    const t1 = now();
    const learner = this.requireLearner();
    const vfPreds = learner.values(rollouts.columns.obs, rollouts.count);
    const trainBatch = computeAdvantages(rollouts.withColumns({ vfPreds: 1 }, { vfPreds }), s);
    const lr = s.lrSchedule === null ? s.lr : scheduledValue(s.lrSchedule, this.lifetime.numEnvStepsSampled);
    const learnerStats = learner.update(trainBatch, lr);
    const weights = learner.model.getWeights();
    this.requirePolicy('trainingStep').inference.setWeights(weights);
    const t2 = now();
    await this.workers.syncWeights(weights, this.nextWeightsVersion());
    const t3 = now();
    return {
      learnerStats,
      envStepsSampled: round.envSteps,
      envStepsTrained: trainBatch.count,
      episodes: round.episodes,
      samplerPerf: round.perf,
      weightVersionLag: round.weightVersionLag,
      sampleTimeMs: t1 - t0,
      learnTimeMs: t2 - t1,
      synchWeightsTimeMs: t3 - t2,
    };
  }

  getWeights(): Float32Array {
    return this.requirePolicy('getWeights').inference.getWeights();
  }

  setWeights(weights: Float32Array): void {
    const policy = this.requirePolicy('setWeights');
    policy.inference.setWeights(weights);
    this.learner?.model.setWeights(weights);
  }

  /**
   * The action for one observation: sampled when `explore` (default: the config's `explore`),
   * else the most likely one. Throws an `EnvError` naming the observation when it is not in the space.
   */
  computeSingleAction(obs: unknown, options: ComputeActionOptions = {}): unknown {
    const policy = this.requirePolicy('computeSingleAction');
    if (!policy.observationSpace.contains(obs)) {
      throw new EnvError(
        `computeSingleAction: observation ${describeValue(obs)} is not in the observation space ${policy.observationSpace.toString()}.`,
      );
    }
    const flat = policy.observationSpace.flatten(obs);
    const explore = options.explore ?? this.settings.explore;
    const { actions } = policy.inference.computeActions(flat, 1, explore, this.actionRng);
    return policy.adapter(actions, 0);
  }

  protected async getLearnerState(): Promise<LearnerCheckpoint> {
    const learner = this.requireLearner();
    return { weights: this.getWeights(), optimizer: await learner.getOptimizerState(), extra: { klCoeff: learner.klCoeff } };
  }

  protected async setLearnerState(state: LearnerCheckpoint): Promise<void> {
    const learner = this.requireLearner();
    this.setWeights(state.weights);
    if (state.optimizer !== null) await learner.setOptimizerState(state.optimizer);
    if (typeof state.extra.klCoeff === 'number') learner.klCoeff = state.extra.klCoeff;
  }

  protected async disposeLearner(): Promise<void> {
    this.learner?.dispose();
    this.learner = null;
  }
}
