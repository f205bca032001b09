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
  SampleBatch,
  scheduledValue,
  type TrainingStepResult,
  trainingStepResult,
} from '@loomrl/core';
import { actorCriticNetwork, assertFiniteUpdate, initialWeights, weightLayout } from '@loomrl/core/internal';
import { WorkerSet } from '@loomrl/workers';
import { actorCriticModuleSpecs } from '../actorCriticModuleSpecs.js';
import { LearnerBackend } from '../learnerEngine.js';
import type { MARWILConfig } from './config.js';
import type { MARWILLearner } from './learner.js';

const now = (): number => performance.now();

/**
 * MARWIL and BC (RLlib's `MARWIL`, `BC`): an actor-critic (`actorCritic` module) trained to imitate
 * logged actions, weighted by exp(β·A/c). Reads `offlineData({ input })` on the rollout workers (or
 * samples the env); build it with `new MARWILConfig()…build()` or `new BCConfig()…build()`.
 */
export class MARWIL extends Algorithm<MARWILConfig> {
  private learner: MARWILLearner | null = null;
  private learnerBackend: LearnerBackend | null = null;
  private weights: Float32Array = new Float32Array(0);
  private readonly sgdRng: Rng;

  /** Prefer `config.build()`; the config is validated and frozen. */
  constructor(config: MARWILConfig) {
    super(config, WorkerSet.factory);
    this.sgdRng = createRng(this.seed, 'sgd');
    this.prepareEarly();
  }

  protected moduleSpecs(spaces: EnvSpaces): Record<ModuleId, ModuleSpec> {
    return actorCriticModuleSpecs(this.config.settings, spaces);
  }

  protected initialModuleState(specs: Readonly<Record<ModuleId, ModuleSpec>>): Record<ModuleId, ModuleTensors> {
    this.weights = initialWeights(
      weightLayout(actorCriticNetwork(specs[DEFAULT_MODULE_ID] as ModuleSpec)),
      createRng(this.seed, 'initialWeights'),
    );
    return { [DEFAULT_MODULE_ID]: { policy: this.weights } };
  }

  protected async setup(_spaces: EnvSpaces, initial: Readonly<Record<ModuleId, ModuleTensors>>): Promise<void> {
    // The learner's backend loads here, not when the package is imported (TensorFlow.js only when chosen).
    const [backend, { MARWILLearner }] = await Promise.all([LearnerBackend.load(this.settings.backend), import('./learner.js')]);
    this.learnerBackend = backend;
    backend.use();
    const network = actorCriticNetwork(this.moduleSpecsInUse[DEFAULT_MODULE_ID] as ModuleSpec);
    const weights = initial[DEFAULT_MODULE_ID]?.policy as Float32Array;
    this.learner = await MARWILLearner.create(network, weights, this.config.settings, backend.engine);
  }

  get backend(): string {
    return this.learnerBackend?.name ?? 'none';
  }

  /** Makes this learner's tfjs backend the active one (several algorithms may share the process; a no-op for 'loomrl'). */
  private useBackend(): void {
    this.learnerBackend?.use();
  }

  private requireLearner(): MARWILLearner {
    if (this.learner === null) throw new ConfigError(`The ${this.config.algorithm} learner is not set up yet; await algo.ready() first.`);
    return this.learner;
  }

  protected async trainingStep(): Promise<TrainingStepResult> {
    const s = this.config.settings;
    const t0 = now();
    // One round: each worker reads (or samples) its share of trainBatchSize rows.
    const round = await this.workers.sample(s.trainBatchSize);
    const batch = SampleBatch.concat(round.batches[DEFAULT_MODULE_ID] ?? []);
    const t1 = now();
    this.useBackend();
    const learner = this.requireLearner();
    // Returns from the current value function (RLlib's postprocessing of read batches); BC needs none.
    const trainBatch = s.beta === 0 ? batch : learner.withReturns(batch, s.gamma);
    const lr = s.lrSchedule === null ? s.lr : scheduledValue(s.lrSchedule, this.lifetime.numEnvStepsSampled);
    const learnerStats = learner.update(trainBatch, lr, this.sgdRng);
    const weights = learner.getWeights();
    assertFiniteUpdate(this.config.algorithm, learnerStats, weights);
    this.weights = weights;
    const t2 = now();
    await this.syncWorkers(round.envSteps);
    const t3 = now();
    return trainingStepResult(round, learnerStats, trainBatch.count, [t0, t1, t2, t3]);
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
      extra: { movingAverageSqdAdvNorm: learner.movingAverageSqdAdvNorm },
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
    if (typeof state.extra.movingAverageSqdAdvNorm === 'number') learner.movingAverageSqdAdvNorm = state.extra.movingAverageSqdAdvNorm;
  }

  protected async disposeLearner(): Promise<void> {
    if (this.learner === null) return;
    this.useBackend();
    this.learner.dispose();
    this.learner = null;
  }
}
