import {
  Algorithm,
  ConfigError,
  DEFAULT_MODULE_ID,
  type EnvSpaces,
  type LearnerState,
  LINEAR_BANDIT_KIND,
  type ModuleId,
  type ModuleSpec,
  type ModuleTensors,
  SampleBatch,
  spaceFromJSON,
  type TrainingStepResult,
  trainingStepResult,
} from '@loomrl/core';
import { banditShape } from '@loomrl/core/internal';
import { WorkerSet } from '@loomrl/workers';
import type { BanditConfig } from './config.js';
import { BanditLearner, type BanditLearnerStats } from './learner.js';

const now = (): number => performance.now();

/**
 * The linear contextual bandits (RLlib's `BanditLinUCB` and `BanditLinTS`): workers act on the
 * regression's UCB or Thompson scores; every sampled step updates the regression exactly; the new
 * tensors go to the workers after each sample round. No tfjs: the learner is plain float64 math.
 */
export class Bandit extends Algorithm<BanditConfig, BanditLearnerStats> {
  private learner: BanditLearner | null = null;

  /** Prefer `config.build()`; the config is validated and frozen. */
  constructor(config: BanditConfig) {
    super(config, WorkerSet.factory);
    this.prepareEarly();
  }

  private lambdaFor(spec: ModuleSpec): number {
    const shape = banditShape(spaceFromJSON(spec.observationSpace), spaceFromJSON(spec.actionSpace));
    return this.config.settings.lambda ?? (shape.model === 'perArm' ? 1 : 0.1);
  }

  protected moduleSpecs(spaces: EnvSpaces): Record<ModuleId, ModuleSpec> {
    const s = this.config.settings;
    // Fails early, naming the space, for a non-Discrete action space or an unusable observation.
    const shape = banditShape(spaces.observationSpace, spaces.actionSpace);
    const config = {
      exploration: this.config.explorationType,
      lambda: s.lambda ?? (shape.model === 'perArm' ? 1 : 0.1),
      alpha: s.alpha,
      ...s.moduleConfig,
    };
    return {
      [DEFAULT_MODULE_ID]: {
        kind: s.moduleKind ?? LINEAR_BANDIT_KIND,
        observationSpace: spaces.observationSpace.toJSON(),
        actionSpace: spaces.actionSpace.toJSON(),
        config,
      },
    };
  }

  protected initialModuleState(specs: Readonly<Record<ModuleId, ModuleSpec>>): Record<ModuleId, ModuleTensors> {
    const spec = specs[DEFAULT_MODULE_ID] as ModuleSpec;
    const shape = banditShape(spaceFromJSON(spec.observationSpace), spaceFromJSON(spec.actionSpace));
    this.learner = new BanditLearner(shape, { lambda: this.lambdaFor(spec), alpha: this.config.settings.alpha });
    return { [DEFAULT_MODULE_ID]: this.learner.tensors() };
  }

  protected async setup(): Promise<void> {}

  get backend(): string {
    return 'none';
  }

  private requireLearner(): BanditLearner {
    if (this.learner === null) throw new ConfigError(`The ${this.config.algorithm} learner is not set up yet; await algo.ready() first.`);
    return this.learner;
  }

  protected async trainingStep(): Promise<TrainingStepResult<BanditLearnerStats>> {
    const s = this.config.settings;
    const t0 = now();
    const round = await this.workers.sample(s.trainBatchSize);
    const batch = SampleBatch.concat(round.batches[DEFAULT_MODULE_ID] ?? []);
    const t1 = now();
    const learnerStats = this.requireLearner().update(batch);
    const t2 = now();
    await this.syncWorkers(round.envSteps);
    return trainingStepResult(round, learnerStats, batch.count, [t0, t1, t2, now()]);
  }

  protected moduleState(): Record<ModuleId, ModuleTensors> {
    return { [DEFAULT_MODULE_ID]: this.requireLearner().tensors() };
  }

  protected loadModuleState(_id: ModuleId, tensors: ModuleTensors): void {
    this.requireLearner().load(tensors);
  }

  protected async getLearnerState(): Promise<LearnerState> {
    return { weights: { ...this.requireLearner().tensors() }, optimizers: {}, rngs: {}, extra: {}, arrays: {} };
  }

  protected async setLearnerState(state: LearnerState): Promise<void> {
    this.requireLearner().load(state.weights);
  }

  protected async disposeLearner(): Promise<void> {}
}
