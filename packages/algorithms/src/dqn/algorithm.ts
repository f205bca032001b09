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
  Q_NETWORK_KIND,
  type Rng,
  SampleBatch,
  scheduledValue,
  type TrainingStepResult,
  trainingStepResult,
} from '@loomrl/core';
import {
  assertFiniteUpdate,
  epsilonAt,
  initialWeights,
  joinStateArrays,
  qNetworkLayout,
  qNetworkOf,
  splitStateArrays,
} from '@loomrl/core/internal';
import { WorkerSet } from '@loomrl/workers';
import { computeNStepTransitions } from '../connectors/nStep.js';
import { LearnerBackend } from '../learnerEngine.js';
import { type AnyReplayBuffer, createReplayBuffer, PrioritizedReplayBuffer } from '../replay/index.js';
import { owedReplayUpdates } from '../replay/trainingIntensity.js';
import type { DQNConfig } from './config.js';
import type { DQNLearner, DQNTrainColumns, DQNUpdateStats } from './learner.js';

const now = (): number => performance.now();

/** DQN's learner stats: the last update's (NaN before learning starts), the exploration ε and the buffer size. */
export type DQNLearnerStats = DQNUpdateStats & {
  readonly curEpsilon: number;
  readonly replayBufferSize: number;
};

const NOT_YET: DQNUpdateStats = {
  loss: Number.NaN,
  meanQ: Number.NaN,
  minQ: Number.NaN,
  maxQ: Number.NaN,
  meanTdError: Number.NaN,
  curLr: Number.NaN,
  gradGnorm: Number.NaN,
};

/**
 * DQN (RLlib's `DQN`): epsilon-greedy workers fill a replay buffer with n-step transitions; the
 * learner replays batches of it with double Q-learning and a target network. Build it with
 * `new DQNConfig()…build()`.
 */
export class DQN extends Algorithm<DQNConfig, DQNLearnerStats> {
  private learner: DQNLearner | null = null;
  private learnerBackend: LearnerBackend | null = null;
  /** The online weights the workers act with (the learner's after each checked update). */
  private weights: Float32Array = new Float32Array(0);
  private readonly buffer: AnyReplayBuffer<DQNTrainColumns>;
  private readonly replayRng: Rng;
  /** The global env step of the last target-network update. */
  private lastTargetUpdate = 0;
  /** Fractional updates owed under `trainingIntensity`, carried between sample rounds. */
  private updateDebt = 0;

  /** Prefer `config.build()`; the config is validated and frozen. */
  constructor(config: DQNConfig) {
    super(config, WorkerSet.factory);
    this.buffer = createReplayBuffer<DQNTrainColumns>(this.config.settings.replayBufferConfig, 'training({ replayBufferConfig })');
    this.replayRng = createRng(this.seed, 'replay');
    this.prepareEarly();
  }

  protected moduleSpecs(spaces: EnvSpaces): Record<ModuleId, ModuleSpec> {
    const s = this.config.settings;
    const config = {
      hiddens: [...s.model.fcnetHiddens],
      activation: s.model.fcnetActivation,
      headHiddens: [...s.hiddens],
      dueling: s.dueling,
      exploration: this.config.epsilonGreedy(),
      ...s.moduleConfig,
    };
    const spec = {
      kind: s.moduleKind ?? Q_NETWORK_KIND,
      observationSpace: spaces.observationSpace.toJSON(),
      actionSpace: spaces.actionSpace.toJSON(),
      config,
    };
    // Fails early, naming the action space, when it is not Discrete.
    qNetworkOf(spec);
    return { [DEFAULT_MODULE_ID]: spec };
  }

  protected initialModuleState(specs: Readonly<Record<ModuleId, ModuleSpec>>): Record<ModuleId, ModuleTensors> {
    const layout = qNetworkLayout(qNetworkOf(specs[DEFAULT_MODULE_ID] as ModuleSpec));
    this.weights = initialWeights(layout, createRng(this.seed, 'initialWeights'));
    return { [DEFAULT_MODULE_ID]: { policy: this.weights } };
  }

  protected async setup(_spaces: EnvSpaces, initial: Readonly<Record<ModuleId, ModuleTensors>>): Promise<void> {
    // The learner's backend loads here, not when the package is imported (TensorFlow.js only when chosen).
    const [backend, { DQNLearner }] = await Promise.all([LearnerBackend.load(this.settings.backend), import('./learner.js')]);
    this.learnerBackend = backend;
    backend.use();
    const spec = qNetworkOf(this.moduleSpecsInUse[DEFAULT_MODULE_ID] as ModuleSpec);
    this.learner = await DQNLearner.create(spec, initial[DEFAULT_MODULE_ID]?.policy as Float32Array, this.config.settings, backend.engine);
  }

  get backend(): string {
    return this.learnerBackend?.name ?? 'none';
  }

  private useBackend(): void {
    this.learnerBackend?.use();
  }

  private requireLearner(): DQNLearner {
    if (this.learner === null) throw new ConfigError('The DQN learner is not set up yet; await algo.ready() first.');
    return this.learner;
  }

  /** Replay updates owed for `envSteps` new env steps: one per sample round, or `trainingIntensity` replayed rows per env step. */
  private updatesFor(envSteps: number): number {
    const owed = owedReplayUpdates(this.updateDebt, envSteps, this.config.settings);
    this.updateDebt = owed.debt;
    return owed.updates;
  }

  protected async trainingStep(): Promise<TrainingStepResult<DQNLearnerStats>> {
    const s = this.config.settings;
    const t0 = now();
    // One sample round: a fragment from every worker, stored as n-step transitions.
    const round = await this.workers.sample(1);
    const rollouts = SampleBatch.concat(round.batches[DEFAULT_MODULE_ID] ?? []);
    this.buffer.add(computeNStepTransitions(rollouts, { nStep: s.nStep, gamma: s.gamma }) as unknown as SampleBatch<DQNTrainColumns>);
    const sampled = this.lifetime.numEnvStepsSampled + round.envSteps;
    const t1 = now();
    let learnerStats: DQNUpdateStats = NOT_YET;
    let trained = 0;
    if (sampled >= s.numStepsSampledBeforeLearningStarts && this.buffer.size > 0) {
      this.useBackend();
      const learner = this.requireLearner();
      const lr = s.lrSchedule === null ? s.lr : scheduledValue(s.lrSchedule, sampled);
      for (let k = this.updatesFor(round.envSteps); k > 0; k--) {
        const replayed = this.buffer.sample(s.trainBatchSize, this.replayRng, { timestep: sampled });
        const update = learner.update(replayed, lr);
        if (this.buffer instanceof PrioritizedReplayBuffer) this.buffer.updatePriorities(replayed.columns.batchIndexes, update.tdErrors);
        learnerStats = update.stats;
        trained += replayed.count;
      }
      if (sampled - this.lastTargetUpdate >= s.targetNetworkUpdateFreq) {
        learner.updateTarget(s.tau);
        this.lastTargetUpdate = sampled;
      }
      const weights = learner.getWeights();
      assertFiniteUpdate('DQN', trained > 0 ? learnerStats : {}, weights);
      this.weights = weights;
    }
    const t2 = now();
    await this.syncWorkers(round.envSteps);
    const stats = { ...learnerStats, curEpsilon: epsilonAt(this.config.epsilonGreedy(), sampled), replayBufferSize: this.buffer.size };
    return trainingStepResult(round, stats, trained, [t0, t1, t2, now()]);
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
    const buffer = this.config.settings.storeBufferInCheckpoints ? splitStateArrays('replay', this.buffer.getState()) : null;
    return {
      weights: { policy: new Float32Array(this.weights), target: learner.getTargetWeights() },
      optimizers: { policy: await learner.getOptimizerState() },
      rngs: { replay: this.replayRng.getState() },
      extra: { lastTargetUpdate: this.lastTargetUpdate, updateDebt: this.updateDebt, replayBuffer: buffer?.json ?? null },
      arrays: buffer?.arrays ?? {},
    };
  }

  protected async setLearnerState(state: LearnerState): Promise<void> {
    const learner = this.requireLearner();
    this.loadModuleState(DEFAULT_MODULE_ID, { policy: state.weights.policy as Float32Array });
    const target = state.weights.target;
    learner.setTargetWeights((target ?? state.weights.policy) as Float32Array);
    const optimizer = state.optimizers.policy;
    if (optimizer !== undefined) await learner.setOptimizerState(optimizer);
    const replay = state.rngs.replay;
    if (replay !== undefined) this.replayRng.setState(replay);
    if (typeof state.extra.lastTargetUpdate === 'number') this.lastTargetUpdate = state.extra.lastTargetUpdate;
    if (typeof state.extra.updateDebt === 'number') this.updateDebt = state.extra.updateDebt;
    const buffer = state.extra.replayBuffer;
    if (buffer !== null && buffer !== undefined) this.buffer.setState(joinStateArrays(buffer, state.arrays) as never);
  }

  protected async disposeLearner(): Promise<void> {
    if (this.learner === null) return;
    this.useBackend();
    this.learner.dispose();
    this.learner = null;
  }
}
