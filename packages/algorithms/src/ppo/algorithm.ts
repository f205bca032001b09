import {
  ACTOR_CRITIC_KIND,
  Algorithm,
  ConfigError,
  createRng,
  DEFAULT_MODULE_ID,
  type EnvSpaces,
  type LearnerState,
  type ModuleId,
  type ModuleSpec,
  type ModuleTensors,
  type Rng,
  type RolloutColumns,
  SampleBatch,
  scheduledValue,
  type TrainingStepResult,
} from '@loomrl/core';
import { actorCriticNetwork, assertFiniteUpdate, initialWeights, weightLayout } from '@loomrl/core/internal';
import { WorkerSet } from '@loomrl/workers';
import { computeAdvantages } from '../connectors/gae.js';
import type { PPOConfig } from './config.js';
import type { PPOLearner } from './learner.js';

const now = (): number => performance.now();

/** Proximal Policy Optimization (RLlib's `PPO`); build it with `new PPOConfig()…build()`. */
export class PPO extends Algorithm<PPOConfig> {
  private learner: PPOLearner | null = null;
  /** The policy weights the workers act with: the learner's after each checked update (or load). */
  private weights: Float32Array = new Float32Array(0);
  private backendName = 'none';
  /** `@loomrl/core/tf`, imported when the learner is set up on TensorFlow.js. */
  private tfjs: typeof import('@loomrl/core/tf') | null = null;
  private readonly sgdRng: Rng;

  /** Prefer `config.build()`; the config is validated and frozen. */
  constructor(config: PPOConfig) {
    super(config, WorkerSet.factory);
    this.sgdRng = createRng(this.seed, 'sgd');
    this.prepareEarly();
  }

  protected moduleSpecs(spaces: EnvSpaces): Record<ModuleId, ModuleSpec> {
    const s = this.config.settings;
    const config = {
      hiddens: [...s.model.fcnetHiddens],
      activation: s.model.fcnetActivation,
      vfShareLayers: s.model.vfShareLayers,
      freeLogStd: s.model.freeLogStd,
      ...s.moduleConfig,
    };
    const spec = {
      kind: s.moduleKind ?? ACTOR_CRITIC_KIND,
      observationSpace: spaces.observationSpace.toJSON(),
      actionSpace: spaces.actionSpace.toJSON(),
      config,
    };
    return { [DEFAULT_MODULE_ID]: spec };
  }

  protected initialModuleState(specs: Readonly<Record<ModuleId, ModuleSpec>>): Record<ModuleId, ModuleTensors> {
    const layout = weightLayout(actorCriticNetwork(specs[DEFAULT_MODULE_ID] as ModuleSpec));
    this.weights = initialWeights(layout, createRng(this.seed, 'initialWeights'));
    return { [DEFAULT_MODULE_ID]: { policy: this.weights } };
  }

  protected async setup(_spaces: EnvSpaces, initial: Readonly<Record<ModuleId, ModuleTensors>>): Promise<void> {
    // The learner's engine loads here, not when the package is imported (TensorFlow.js only when chosen).
    const [{ chooseLearnerEngine }, { PPOLearner }] = await Promise.all([import('../learnerEngine.js'), import('./learner.js')]);
    const chosen = await chooseLearnerEngine(this.settings.backend);
    this.tfjs = chosen.tfjs;
    this.backendName = chosen.backend;
    this.useBackend();
    const network = actorCriticNetwork(this.moduleSpecsInUse[DEFAULT_MODULE_ID] as ModuleSpec);
    const weights = initial[DEFAULT_MODULE_ID]?.policy as Float32Array;
    this.learner = await PPOLearner.create(network, weights, this.config.settings, this.sgdRng, chosen.engine);
  }

  get backend(): string {
    return this.backendName;
  }

  /** Makes this learner's tfjs backend the active one (several algorithms may share the process). */
  private useBackend(): void {
    this.tfjs?.useBackend(this.backendName);
  }

  private requireLearner(): PPOLearner {
    if (this.learner === null) throw new ConfigError('The PPO learner is not set up yet; await algo.ready() first.');
    return this.learner;
  }

  protected async trainingStep(): Promise<TrainingStepResult> {
    const s = this.config.settings;
    const t0 = now();
    const round = await this.workers.sample(s.trainBatchSize);
    const rollouts = SampleBatch.concat(round.batches[DEFAULT_MODULE_ID] ?? []).requireColumns<RolloutColumns>(
      ['actionLogp', 'actionDistInputs'],
      'PPO',
    );
    const t1 = now();
    this.useBackend();
    const learner = this.requireLearner();
    const trainBatch = computeAdvantages(learner.withValues(rollouts), s);
    const lr = s.lrSchedule === null ? s.lr : scheduledValue(s.lrSchedule, this.lifetime.numEnvStepsSampled);
    const learnerStats = learner.update(trainBatch, lr);
    const weights = learner.getWeights();
    assertFiniteUpdate('PPO', learnerStats, weights);
    this.weights = weights;
    const t2 = now();
    await this.syncWorkers(round.envSteps);
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

  protected moduleState(): Record<ModuleId, ModuleTensors> {
    return { [DEFAULT_MODULE_ID]: { policy: new Float32Array(this.weights) } };
  }

  protected loadModuleState(_id: ModuleId, tensors: ModuleTensors): void {
    this.weights = new Float32Array(tensors.policy as Float32Array);
    if (this.learner === null) return;
    this.useBackend();
    this.learner.setWeights(this.weights);
  }

  protected async getLearnerState(): Promise<LearnerState> {
    const learner = this.requireLearner();
    this.useBackend();
    return {
      weights: { policy: new Float32Array(this.weights) },
      optimizers: { policy: await learner.getOptimizerState() },
      rngs: { sgd: this.sgdRng.getState() },
      extra: { klCoeff: learner.klCoeff },
      arrays: {},
    };
  }

  protected async setLearnerState(state: LearnerState): Promise<void> {
    const learner = this.requireLearner();
    this.loadModuleState(DEFAULT_MODULE_ID, { policy: state.weights.policy as Float32Array });
    const optimizer = state.optimizers.policy;
    if (optimizer !== undefined) await learner.setOptimizerState(optimizer);
    const sgd = state.rngs.sgd;
    if (sgd !== undefined) this.sgdRng.setState(sgd);
    if (typeof state.extra.klCoeff === 'number') learner.klCoeff = state.extra.klCoeff;
  }

  protected async disposeLearner(): Promise<void> {
    if (this.learner === null) return;
    this.useBackend();
    this.learner.dispose();
    this.learner = null;
  }
}
