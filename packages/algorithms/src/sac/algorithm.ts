import {
  ACTOR_KIND,
  Algorithm,
  ConfigError,
  createRng,
  DEFAULT_MODULE_ID,
  type EnvSpaces,
  type LearnerState,
  type LearnerStats,
  type ModuleId,
  type ModuleSpec,
  type ModuleTensors,
  type Rng,
  SampleBatch,
  type TrainingStepResult,
  trainingStepResult,
} from '@loomrl/core';
import { actorLayout, actorOf, assertFiniteUpdate, initialWeights, joinStateArrays, splitStateArrays } from '@loomrl/core/internal';
import type { OptimizerState } from '@loomrl/core/tf';
import { WorkerSet } from '@loomrl/workers';
import { computeNStepTransitions } from '../connectors/nStep.js';
import type { DQNTrainColumns } from '../dqn/learner.js';
import { LearnerBackend } from '../learnerEngine.js';
import { type AnyReplayBuffer, createReplayBuffer, PrioritizedReplayBuffer } from '../replay/index.js';
import { owedReplayUpdates } from '../replay/trainingIntensity.js';
import type { SACConfig } from './config.js';
import type { SACLearner, SacNetworkState } from './learner.js';
import { criticLayout, initialCriticWeights, type SacNetworkSpec } from './networkSpec.js';
import type { SacWeights } from './networks.js';
import { sacWeightsFromState, sacWeightsToState } from './state.js';

const now = (): number => performance.now();

/** What SAC's algorithm needs of a learner over SAC's networks (SAC's on either engine, or CQL's). */
export interface SacFamilyLearner {
  readonly nets: SacNetworkState;
  getOptimizerStates(): Promise<Record<string, OptimizerState>>;
  setOptimizerStates(states: Readonly<Record<string, OptimizerState>>): Promise<void>;
  dispose(): void;
}

/**
 * Soft Actor-Critic (RLlib's `SAC`): workers act with the `actor` module (squashed Gaussian or
 * categorical), samples go to a (prioritized) replay buffer, the learner updates twin Q networks,
 * the actor and α, and soft-updates the targets. Build it with `new SACConfig()…build()`.
 */
export class SAC extends Algorithm<SACConfig> {
  protected learner: SacFamilyLearner | null = null;
  protected learnerBackend: LearnerBackend | null = null;
  protected weights: Float32Array = new Float32Array(0);
  protected readonly buffer: AnyReplayBuffer<DQNTrainColumns>;
  private readonly replayRng: Rng;
  protected readonly noiseRng: Rng;
  protected lastTargetUpdate = 0;
  private updateDebt = 0;

  /** Prefer `config.build()`; the config is validated and frozen. */
  constructor(config: SACConfig) {
    super(config, WorkerSet.factory);
    this.buffer = createReplayBuffer<DQNTrainColumns>(this.config.settings.replayBufferConfig, 'training({ replayBufferConfig })');
    this.replayRng = createRng(this.seed, 'replay');
    this.noiseRng = createRng(this.seed, 'noise');
    this.prepareEarly();
  }

  protected moduleSpecs(spaces: EnvSpaces): Record<ModuleId, ModuleSpec> {
    const s = this.config.settings;
    const config = {
      hiddens: [...s.policyModelConfig.fcnetHiddens],
      activation: s.policyModelConfig.fcnetActivation,
      boxDistribution: 'squashedGaussian',
      ...s.moduleConfig,
    };
    const spec = {
      kind: s.moduleKind ?? ACTOR_KIND,
      observationSpace: spaces.observationSpace.toJSON(),
      actionSpace: spaces.actionSpace.toJSON(),
      config,
    };
    actorOf(spec);
    return { [DEFAULT_MODULE_ID]: spec };
  }

  protected initialModuleState(specs: Readonly<Record<ModuleId, ModuleSpec>>): Record<ModuleId, ModuleTensors> {
    this.weights = initialWeights(actorLayout(actorOf(specs[DEFAULT_MODULE_ID] as ModuleSpec)), createRng(this.seed, 'initialWeights'));
    return { [DEFAULT_MODULE_ID]: { policy: this.weights } };
  }

  /** The networks' shapes for the acting module's spec. */
  protected networkSpec(): SacNetworkSpec {
    const s = this.config.settings;
    const actor = actorOf(this.moduleSpecsInUse[DEFAULT_MODULE_ID] as ModuleSpec);
    return {
      actor,
      critic: criticLayout(actor, s.qModelConfig.fcnetHiddens),
      criticActivation: s.qModelConfig.fcnetActivation,
      twinQ: s.twinQ,
      discrete: actor.distribution === 'categorical',
    };
  }

  /** H̄: `targetEntropy`, or 'auto' = −dim(A) (Box) / 0.98·log|A| (Discrete). */
  protected targetEntropy(spec: SacNetworkSpec): number {
    const t = this.config.settings.targetEntropy;
    if (t !== 'auto') return t;
    return spec.discrete ? 0.98 * Math.log(spec.actor.actionSize) : -spec.actor.actionSize;
  }

  /** The networks' starting weights: the acting module's actor, critics drawn from the seed, log α. */
  protected initialNetworkWeights(spec: SacNetworkSpec, initial: Readonly<Record<ModuleId, ModuleTensors>>): Omit<SacWeights, 'qTarget'> {
    return {
      policy: initial[DEFAULT_MODULE_ID]?.policy as Float32Array,
      q: initialCriticWeights(spec, createRng(this.seed, 'criticWeights')),
      logAlpha: Math.log(this.config.settings.initialAlpha),
    };
  }

  protected async setup(_spaces: EnvSpaces, initial: Readonly<Record<ModuleId, ModuleTensors>>): Promise<void> {
    // The learner's backend loads here, not when the package is imported (TensorFlow.js only when chosen).
    const [backend, { SACLearner }] = await Promise.all([LearnerBackend.load(this.settings.backend), import('./learner.js')]);
    this.learnerBackend = backend;
    backend.use();
    const spec = this.networkSpec();
    const init = {
      spec,
      weights: this.initialNetworkWeights(spec, initial),
      settings: this.config.settings,
      targetEntropy: this.targetEntropy(spec),
      rng: this.noiseRng,
    };
    this.learner = await SACLearner.create(init, backend.engine);
  }

  get backend(): string {
    return this.learnerBackend?.name ?? 'none';
  }

  protected useBackend(): void {
    this.learnerBackend?.use();
  }

  protected requireLearner<L extends SacFamilyLearner = SACLearner>(): L {
    if (this.learner === null) throw new ConfigError(`The ${this.config.algorithm} learner is not set up yet; await algo.ready() first.`);
    return this.learner as L;
  }

  private updatesFor(envSteps: number): number {
    const owed = owedReplayUpdates(this.updateDebt, envSteps, this.config.settings);
    this.updateDebt = owed.debt;
    return owed.updates;
  }

  protected async trainingStep(): Promise<TrainingStepResult> {
    const s = this.config.settings;
    const t0 = now();
    const round = await this.workers.sample(1);
    const rollouts = SampleBatch.concat(round.batches[DEFAULT_MODULE_ID] ?? []);
    this.buffer.add(computeNStepTransitions(rollouts, { nStep: s.nStep, gamma: s.gamma }) as unknown as SampleBatch<DQNTrainColumns>);
    const sampled = this.lifetime.numEnvStepsSampled + round.envSteps;
    const t1 = now();
    let learnerStats: LearnerStats = {};
    let trained = 0;
    if (sampled > s.numStepsSampledBeforeLearningStarts && this.buffer.size > 0) {
      this.useBackend();
      const learner = this.requireLearner<SACLearner>();
      for (let k = this.updatesFor(round.envSteps); k > 0; k--) {
        const replayed = this.buffer.sample(s.trainBatchSize, this.replayRng, { timestep: sampled });
        const update = learner.update(replayed);
        if (this.buffer instanceof PrioritizedReplayBuffer) this.buffer.updatePriorities(replayed.columns.batchIndexes, update.tdErrors);
        learnerStats = update.stats;
        trained += replayed.count;
        if (sampled - this.lastTargetUpdate >= s.targetNetworkUpdateFreq) {
          learner.nets.updateTargets(s.tau);
          this.lastTargetUpdate = sampled;
        }
      }
      const weights = learner.nets.getActorWeights();
      assertFiniteUpdate(this.config.algorithm, learnerStats, weights);
      this.weights = weights;
    }
    const t2 = now();
    await this.syncWorkers(round.envSteps);
    const t3 = now();
    return trainingStepResult(round, { ...learnerStats, replayBufferSize: this.buffer.size }, trained, [t0, t1, t2, t3]);
  }

  protected moduleState(): Record<ModuleId, ModuleTensors> {
    return { [DEFAULT_MODULE_ID]: { policy: new Float32Array(this.weights) } };
  }

  protected loadModuleState(_id: ModuleId, tensors: ModuleTensors): void {
    this.weights = new Float32Array(tensors.policy as Float32Array);
    if (this.learner === null) return;
    this.useBackend();
    this.learner.nets.setActorWeights(this.weights);
  }

  protected async getLearnerState(): Promise<LearnerState> {
    const learner = this.requireLearner<SacFamilyLearner>();
    this.useBackend();
    const buffer = this.config.settings.storeBufferInCheckpoints ? splitStateArrays('replay', this.buffer.getState()) : null;
    return {
      weights: sacWeightsToState(learner.nets.getWeights()),
      optimizers: await learner.getOptimizerStates(),
      rngs: { replay: this.replayRng.getState(), noise: this.noiseRng.getState() },
      extra: { lastTargetUpdate: this.lastTargetUpdate, updateDebt: this.updateDebt, replayBuffer: buffer?.json ?? null },
      arrays: buffer?.arrays ?? {},
    };
  }

  protected async setLearnerState(state: LearnerState): Promise<void> {
    const learner = this.requireLearner<SacFamilyLearner>();
    this.useBackend();
    learner.nets.setWeights(sacWeightsFromState(state.weights, learner.nets.spec.twinQ));
    this.weights = new Float32Array(state.weights.policy as Float32Array);
    await learner.setOptimizerStates(state.optimizers);
    if (state.rngs.replay !== undefined) this.replayRng.setState(state.rngs.replay);
    if (state.rngs.noise !== undefined) this.noiseRng.setState(state.rngs.noise);
    if (typeof state.extra.lastTargetUpdate === 'number') this.lastTargetUpdate = state.extra.lastTargetUpdate;
    if (typeof state.extra.updateDebt === 'number') this.updateDebt = state.extra.updateDebt;
    const buffer = state.extra.replayBuffer;
    if (buffer !== null && buffer !== undefined) this.buffer.setState(joinStateArrays(buffer, state.arrays) as never);
  }

  protected async disposeLearner(): Promise<void> {
    if (this.learner === null) return;
    this.useBackend();
    this.learner.nets.dispose();
    this.learner.dispose();
    this.learner = null;
  }
}
