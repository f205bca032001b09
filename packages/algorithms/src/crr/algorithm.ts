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
import { actorLayout, actorOf, assertFiniteUpdate, initialWeights } from '@loomrl/core/internal';
import { WorkerSet } from '@loomrl/workers';
import { LearnerBackend } from '../learnerEngine.js';
import { criticLayout } from '../sac/networkSpec.js';
import type { CRRConfig } from './config.js';
import type { CRRLearner } from './learner.js';

const now = (): number => performance.now();

/**
 * Critic Regularized Regression (RLlib's `CRR`): each training step reads one round of offline
 * batches on the rollout workers, takes one actor and one critic step per `trainBatchSize` rows,
 * and soft-updates the targets every `targetNetworkUpdateFreq` trained steps. Acts with the `actor`
 * module (categorical, or a Gaussian for Box actions). Build it with `new CRRConfig()…build()`.
 */
export class CRR extends Algorithm<CRRConfig> {
  private learner: CRRLearner | null = null;
  private learnerBackend: LearnerBackend | null = null;
  private weights: Float32Array = new Float32Array(0);
  private readonly learnerRng: Rng;
  private trainedSteps = 0;
  private lastTargetUpdate = 0;
  private numTargetUpdates = 0;

  /** Prefer `config.build()`; the config is validated and frozen. */
  constructor(config: CRRConfig) {
    super(config, WorkerSet.factory);
    this.learnerRng = createRng(this.seed, 'learner');
    this.prepareEarly();
  }

  protected moduleSpecs(spaces: EnvSpaces): Record<ModuleId, ModuleSpec> {
    const s = this.config.settings;
    const config = {
      hiddens: [...s.actorHiddens],
      activation: s.actorHiddenActivation,
      boxDistribution: 'diagGaussian',
      temperature: s.categoricalDistributionTemperature,
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

  protected async setup(_spaces: EnvSpaces, initial: Readonly<Record<ModuleId, ModuleTensors>>): Promise<void> {
    // The learner's backend loads here, not when the package is imported (TensorFlow.js only when chosen).
    const [backend, { CRRLearner }] = await Promise.all([LearnerBackend.load(this.settings.backend), import('./learner.js')]);
    this.learnerBackend = backend;
    backend.use();
    const s = this.config.settings;
    const actor = actorOf(this.moduleSpecsInUse[DEFAULT_MODULE_ID] as ModuleSpec);
    const critic = criticLayout(actor, s.criticHiddens);
    const rng = createRng(this.seed, 'criticWeights');
    const q = Array.from({ length: s.twinQ ? 2 : 1 }, () => initialWeights(critic, rng));
    const weights = { policy: initial[DEFAULT_MODULE_ID]?.policy as Float32Array, q };
    this.learner = await CRRLearner.create(
      { spec: actor, critic, weights, settings: s, rng: this.learnerRng, maxRows: s.trainBatchSize },
      backend.engine,
    );
  }

  get backend(): string {
    return this.learnerBackend?.name ?? 'none';
  }

  /** Makes this learner's tfjs backend the active one (several algorithms may share the process; a no-op for 'loomrl'). */
  private useBackend(): void {
    this.learnerBackend?.use();
  }

  private requireLearner(): CRRLearner {
    if (this.learner === null) throw new ConfigError('The CRR learner is not set up yet; await algo.ready() first.');
    return this.learner;
  }

  protected async trainingStep(): Promise<TrainingStepResult> {
    const s = this.config.settings;
    const t0 = now();
    const round = await this.workers.sample(s.trainBatchSize);
    const batch = SampleBatch.concat(round.batches[DEFAULT_MODULE_ID] ?? []);
    const t1 = now();
    this.useBackend();
    const learner = this.requireLearner();
    const order = this.learnerRng.shuffle(Int32Array.from({ length: batch.count }, (_, i) => i));
    const size = Math.min(batch.count, s.trainBatchSize);
    const freq = s.targetNetworkUpdateFreq ?? 100 * s.trainBatchSize;
    let learnerStats: LearnerStats = {};
    let trained = 0;
    for (let start = 0; size > 0 && start + size <= batch.count; start += size) {
      learnerStats = learner.update(batch.gather(order.subarray(start, start + size)));
      trained += size;
      this.trainedSteps += size;
      if (this.trainedSteps - this.lastTargetUpdate >= freq) {
        learner.updateTargets(s.tau);
        this.lastTargetUpdate = this.trainedSteps;
        this.numTargetUpdates += 1;
      }
    }
    const weights = learner.getActorWeights();
    assertFiniteUpdate('CRR', learnerStats, weights);
    this.weights = weights;
    const t2 = now();
    await this.syncWorkers(round.envSteps);
    const t3 = now();
    return trainingStepResult(round, { ...learnerStats, numTargetUpdates: this.numTargetUpdates }, trained, [t0, t1, t2, t3]);
  }

  protected moduleState(): Record<ModuleId, ModuleTensors> {
    return { [DEFAULT_MODULE_ID]: { policy: new Float32Array(this.weights) } };
  }

  protected loadModuleState(_id: ModuleId, tensors: ModuleTensors): void {
    this.weights = new Float32Array(tensors.policy as Float32Array);
    if (this.learner === null) return;
    this.useBackend();
    this.learner.setActorWeights(this.weights);
  }

  protected async getLearnerState(): Promise<LearnerState> {
    const learner = this.requireLearner();
    this.useBackend();
    const w = learner.getWeights();
    const weights: Record<string, Float32Array> = { policy: w.policy, policyTarget: w.policyTarget };
    w.q.forEach((q, i) => {
      weights[`q${i + 1}`] = q;
      weights[`q${i + 1}Target`] = w.qTarget[i] as Float32Array;
    });
    return {
      weights,
      optimizers: await learner.getOptimizerStates(),
      rngs: { learner: this.learnerRng.getState() },
      extra: { trainedSteps: this.trainedSteps, lastTargetUpdate: this.lastTargetUpdate, numTargetUpdates: this.numTargetUpdates },
      arrays: {},
    };
  }

  protected async setLearnerState(state: LearnerState): Promise<void> {
    const learner = this.requireLearner();
    this.useBackend();
    const ids = Array.from({ length: learner.criticCount }, (_, i) => i + 1);
    const w = state.weights;
    learner.setWeights({
      policy: w.policy as Float32Array,
      policyTarget: (w.policyTarget ?? w.policy) as Float32Array,
      q: ids.map((i) => w[`q${i}`] as Float32Array),
      qTarget: ids.map((i) => (w[`q${i}Target`] ?? w[`q${i}`]) as Float32Array),
    });
    this.weights = new Float32Array(w.policy as Float32Array);
    await learner.setOptimizerStates(state.optimizers);
    if (state.rngs.learner !== undefined) this.learnerRng.setState(state.rngs.learner);
    const e = state.extra;
    if (typeof e.trainedSteps === 'number') this.trainedSteps = e.trainedSteps;
    if (typeof e.lastTargetUpdate === 'number') this.lastTargetUpdate = e.lastTargetUpdate;
    if (typeof e.numTargetUpdates === 'number') this.numTargetUpdates = e.numTargetUpdates;
  }

  protected async disposeLearner(): Promise<void> {
    if (this.learner === null) return;
    this.useBackend();
    this.learner.dispose();
    this.learner = null;
  }
}
