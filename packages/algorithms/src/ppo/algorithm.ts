import {
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
  trainingStepResult,
} from '@loomrl/core';
import { actorCriticNetwork, assertFiniteUpdate, initialWeights, weightLayout } from '@loomrl/core/internal';
import { WorkerSet } from '@loomrl/workers';
import { actorCriticModuleSpecs } from '../actorCriticModuleSpecs.js';
import { computeAdvantages } from '../connectors/gae.js';
import { LearnerBackend } from '../learnerEngine.js';
import type { PPOConfig } from './config.js';
import type { PPOLearner, PPOLearnerStats } from './learner.js';

const now = (): number => performance.now();

/** Proximal Policy Optimization (RLlib's `PPO`); build it with `new PPOConfig()…build()`. */
export class PPO extends Algorithm<PPOConfig, PPOLearnerStats> {
  private learner: PPOLearner | null = null;
  /** The policy weights the workers act with: the learner's after each checked update (or load). */
  private weights: Float32Array = new Float32Array(0);
  private learnerBackend: LearnerBackend | null = null;
  private readonly sgdRng: Rng;

  /** Prefer `config.build()`; the config is validated and frozen. */
  constructor(config: PPOConfig) {
    super(config, WorkerSet.factory);
    this.sgdRng = createRng(this.seed, 'sgd');
    this.prepareEarly();
  }

  protected moduleSpecs(spaces: EnvSpaces): Record<ModuleId, ModuleSpec> {
    return actorCriticModuleSpecs(this.config.settings, spaces);
  }

  protected initialModuleState(specs: Readonly<Record<ModuleId, ModuleSpec>>): Record<ModuleId, ModuleTensors> {
    const layout = weightLayout(actorCriticNetwork(specs[DEFAULT_MODULE_ID] as ModuleSpec));
    this.weights = initialWeights(layout, createRng(this.seed, 'initialWeights'));
    return { [DEFAULT_MODULE_ID]: { policy: this.weights } };
  }

  protected async setup(_spaces: EnvSpaces, initial: Readonly<Record<ModuleId, ModuleTensors>>): Promise<void> {
    // The learner's backend loads here, not when the package is imported (TensorFlow.js only when chosen).
    const [backend, { PPOLearner }] = await Promise.all([LearnerBackend.load(this.settings.backend), import('./learner.js')]);
    this.learnerBackend = backend;
    backend.use();
    const network = actorCriticNetwork(this.moduleSpecsInUse[DEFAULT_MODULE_ID] as ModuleSpec);
    const weights = initial[DEFAULT_MODULE_ID]?.policy as Float32Array;
    const s = this.config.settings;
    this.learner = await PPOLearner.create(network, weights, s, this.sgdRng, backend.engine, s.numLearnerWorkers);
  }

  get backend(): string {
    return this.learnerBackend?.name ?? 'none';
  }

  /** Makes this learner's tfjs backend the active one (several algorithms may share the process; a no-op for 'loomrl'). */
  private useBackend(): void {
    this.learnerBackend?.use();
  }

  private requireLearner(): PPOLearner {
    if (this.learner === null) throw new ConfigError('The PPO learner is not set up yet; await algo.ready() first.');
    return this.learner;
  }

  protected async trainingStep(): Promise<TrainingStepResult<PPOLearnerStats>> {
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
    return trainingStepResult(round, learnerStats, trainBatch.count, [t0, t1, t2, now()]);
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
    const learner = this.learner;
    this.learner = null;
    await learner.dispose();
  }
}
