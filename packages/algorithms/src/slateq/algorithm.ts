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
  SLATE_Q_KIND,
  type SlateQModuleConfig,
  scheduledValue,
  type TrainingStepResult,
  type TransitionColumns,
  trainingStepResult,
} from '@loomrl/core';
import {
  assertFiniteUpdate,
  choiceParameterLayout,
  initialWeights,
  type SlateChoiceModelConfig,
  slateEpsilonAt,
  slateObservationLayout,
  slateQNetworkLayout,
  slateQNetworkOf,
} from '@loomrl/core/internal';
import { WorkerSet } from '@loomrl/workers';
import { LearnerBackend } from '../learnerEngine.js';
import { replayCheckpoint, restoreReplayCheckpoint } from '../replay/checkpointState.js';
import { type AnyReplayBuffer, createReplayBuffer, PrioritizedReplayBuffer } from '../replay/index.js';
import { owedReplayUpdates } from '../replay/trainingIntensity.js';
import type { SlateQConfig } from './config.js';
import type { SlateQLearner, SlateQTrainColumns, SlateQUpdateStats } from './learner.js';

const now = (): number => performance.now();

/** SlateQ's learner stats: the last update's (NaN before learning starts), the exploration ε and the buffer size. */
export type SlateQLearnerStats = SlateQUpdateStats & {
  readonly curEpsilon: number;
  readonly replayBufferSize: number;
};

const NOT_YET: SlateQUpdateStats = {
  loss: Number.NaN,
  meanQ: Number.NaN,
  minQ: Number.NaN,
  maxQ: Number.NaN,
  meanTdError: Number.NaN,
  meanTarget: Number.NaN,
  curLr: Number.NaN,
  gradGnorm: Number.NaN,
  clickFraction: Number.NaN,
};

/** The replayed transition columns SlateQ stores: what its loss reads. */
type StoredColumns = Pick<TransitionColumns, 'obs' | 'nextObs' | 'actions' | 'rewards' | 'terminateds'>;

/**
 * The slate each row's episode showed at its next step (−1s when that step is not in the batch: the
 * episode ended or the fragment was cut), for SARSA targets.
 */
export function nextSlates(batch: SampleBatch<TransitionColumns>): Float32Array {
  const { actions, epsId, envId, t, terminateds, truncateds } = batch.columns;
  const S = batch.widths.actions;
  const out = new Float32Array(batch.count * S).fill(-1);
  for (let r = 0; r + 1 < batch.count; r++) {
    const ended = terminateds[r] === 1 || truncateds[r] === 1;
    const continues = epsId[r + 1] === epsId[r] && envId[r + 1] === envId[r] && t[r + 1] === (t[r] as number) + 1;
    if (!ended && continues) out.set(actions.subarray((r + 1) * S, (r + 2) * S), r * S);
  }
  return out;
}

function storedRows(batch: SampleBatch<TransitionColumns>, sarsa: boolean): SampleBatch<StoredColumns & SlateQTrainColumns> {
  const { obs, nextObs, actions, rewards, terminateds } = batch.columns;
  const w = batch.widths;
  const widths = { obs: w.obs, nextObs: w.nextObs, actions: w.actions, rewards: 1, terminateds: 1 };
  const columns = { obs, nextObs, actions, rewards, terminateds };
  if (!sarsa) return new SampleBatch(batch.count, widths as never, columns as never);
  return new SampleBatch(
    batch.count,
    { ...widths, nextActions: w.actions } as never,
    { ...columns, nextActions: nextSlates(batch) } as never,
  );
}

/**
 * SlateQ (RLlib's `SlateQ`): slate-ε-greedy workers fill a prioritized replay buffer; the learner
 * trains item Q values by TD on the clicked document against the best next slate's value under
 * the choice model. Build it with `new SlateQConfig()…build()`.
 */
export class SlateQ extends Algorithm<SlateQConfig, SlateQLearnerStats> {
  private learner: SlateQLearner | null = null;
  private learnerBackend: LearnerBackend | null = null;
  /** What the workers act with (the learner's after each checked update). */
  private state: { policy: Float32Array; choiceModel?: Float32Array } = { policy: new Float32Array(0) };
  private readonly buffer: AnyReplayBuffer<SlateQTrainColumns>;
  private readonly replayRng: Rng;
  private lastTargetUpdate = 0;
  private updateDebt = 0;

  /** Prefer `config.build()`; the config is validated and frozen. */
  constructor(config: SlateQConfig) {
    super(config, WorkerSet.factory);
    this.buffer = createReplayBuffer<SlateQTrainColumns>(this.config.settings.replayBufferConfig, 'training({ replayBufferConfig })');
    this.replayRng = createRng(this.seed, 'replay');
    this.prepareEarly();
  }

  private choiceModelFor(userDim: number, docDim: number): SlateChoiceModelConfig {
    if (this.config.settings.useLearnedChoiceModel) return { type: 'learnedLogit' };
    if (userDim !== docDim) {
      throw new ConfigError(
        `SlateQ's fixed click scores (RLlib's user·doc + 1) need user and document features of one length; this env has ${userDim} user and ${docDim} document features. ` +
          'Set training({ useLearnedChoiceModel: true }) to learn the choice model from the clicks.',
      );
    }
    return { type: 'fixedProportional', minNormalizer: -1, noClickMass: 1 };
  }

  protected moduleSpecs(spaces: EnvSpaces): Record<ModuleId, ModuleSpec> {
    const s = this.config.settings;
    const layout = slateObservationLayout(spaces.observationSpace, spaces.actionSpace);
    const config: SlateQModuleConfig = {
      layout,
      hiddens: [...s.fcnetHiddensPerCandidate],
      towers: s.candidateTowers,
      learnNoClickValue: s.learnNoClickValue,
      choiceModel: this.choiceModelFor(layout.userDim, layout.docDim),
      exploration: this.config.slateEpsilonGreedy(),
      slateSelection: s.slateSelection,
      ...s.moduleConfig,
    };
    const spec = {
      kind: s.moduleKind ?? SLATE_Q_KIND,
      observationSpace: spaces.observationSpace.toJSON(),
      actionSpace: spaces.actionSpace.toJSON(),
      config,
    };
    return { [DEFAULT_MODULE_ID]: spec };
  }

  private moduleConfig(): SlateQModuleConfig {
    return (this.moduleSpecsInUse[DEFAULT_MODULE_ID] as ModuleSpec).config as SlateQModuleConfig;
  }

  protected initialModuleState(specs: Readonly<Record<ModuleId, ModuleSpec>>): Record<ModuleId, ModuleTensors> {
    const spec = specs[DEFAULT_MODULE_ID] as ModuleSpec;
    const network = slateQNetworkOf(spec);
    this.state = { policy: initialWeights(slateQNetworkLayout(network), createRng(this.seed, 'initialWeights')) };
    if ((spec.config as SlateQModuleConfig).choiceModel.type === 'learnedLogit') {
      this.state.choiceModel = new Float32Array(choiceParameterLayout(network.layout).size);
    }
    return { [DEFAULT_MODULE_ID]: { ...this.state } };
  }

  protected async setup(_spaces: EnvSpaces, initial: Readonly<Record<ModuleId, ModuleTensors>>): Promise<void> {
    // The learner's backend loads here, not when the package is imported (TensorFlow.js only when chosen).
    const [backend, { createSlateQLearner }] = await Promise.all([LearnerBackend.load(this.settings.backend), import('./learner.js')]);
    this.learnerBackend = backend;
    backend.use();
    const spec = this.moduleSpecsInUse[DEFAULT_MODULE_ID] as ModuleSpec;
    const tensors = initial[DEFAULT_MODULE_ID] as ModuleTensors;
    const init = {
      spec: slateQNetworkOf(spec),
      choiceModel: this.moduleConfig().choiceModel,
      weights: tensors.policy as Float32Array,
      choiceParams: (tensors.choiceModel as Float32Array | undefined) ?? null,
      settings: this.config.settings,
    };
    this.learner = await createSlateQLearner(init, backend.engine);
  }

  get backend(): string {
    return this.learnerBackend?.name ?? 'none';
  }

  private useBackend(): void {
    this.learnerBackend?.use();
  }

  private requireLearner(): SlateQLearner {
    if (this.learner === null) throw new ConfigError('The SlateQ learner is not set up yet; await algo.ready() first.');
    return this.learner;
  }

  /** Replay updates owed for `envSteps` new env steps: one per sample round, or `trainingIntensity` replayed rows per env step. */
  private updatesFor(envSteps: number): number {
    const owed = owedReplayUpdates(this.updateDebt, envSteps, this.config.settings);
    this.updateDebt = owed.debt;
    return owed.updates;
  }

  protected async trainingStep(): Promise<TrainingStepResult<SlateQLearnerStats>> {
    const s = this.config.settings;
    const t0 = now();
    const round = await this.workers.sample(1);
    this.buffer.add(storedRows(SampleBatch.concat(round.batches[DEFAULT_MODULE_ID] ?? []), s.targetSlateSelection === 'sarsa'));
    const sampled = this.lifetime.numEnvStepsSampled + round.envSteps;
    const t1 = now();
    let learnerStats: SlateQUpdateStats = NOT_YET;
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
      const policy = learner.getWeights();
      const choiceModel = learner.getChoiceParams();
      assertFiniteUpdate('SlateQ', trained > 0 ? learnerStats : {}, policy);
      if (choiceModel !== null) assertFiniteUpdate('SlateQ (choice model)', {}, choiceModel);
      this.state = choiceModel === null ? { policy } : { policy, choiceModel };
    }
    const t2 = now();
    await this.syncWorkers(round.envSteps);
    const stats = {
      ...learnerStats,
      curEpsilon: slateEpsilonAt(this.config.slateEpsilonGreedy(), sampled),
      replayBufferSize: this.buffer.size,
    };
    return trainingStepResult(round, stats, trained, [t0, t1, t2, now()]);
  }

  protected moduleState(): Record<ModuleId, ModuleTensors> {
    const { policy, choiceModel } = this.state;
    const tensors: Record<string, Float32Array> = { policy: new Float32Array(policy) };
    if (choiceModel !== undefined) tensors.choiceModel = new Float32Array(choiceModel);
    return { [DEFAULT_MODULE_ID]: tensors };
  }

  protected loadModuleState(_id: ModuleId, tensors: ModuleTensors): void {
    const policy = new Float32Array(tensors.policy as Float32Array);
    const choice = tensors.choiceModel as Float32Array | undefined;
    this.state = choice === undefined ? { policy } : { policy, choiceModel: new Float32Array(choice) };
    if (this.learner === null) return;
    this.useBackend();
    this.learner.online.setWeights(policy);
    if (choice !== undefined) this.learner.setChoiceParams(choice);
  }

  protected async getLearnerState(): Promise<LearnerState> {
    const learner = this.requireLearner();
    this.useBackend();
    const { replayBuffer, arrays } = replayCheckpoint(this.buffer, this.config.settings.storeBufferInCheckpoints);
    const weights: Record<string, Float32Array> = { policy: new Float32Array(this.state.policy), target: learner.target.getWeights() };
    if (this.state.choiceModel !== undefined) weights.choiceModel = new Float32Array(this.state.choiceModel);
    return {
      weights,
      optimizers: await learner.getOptimizerStates(),
      rngs: { replay: this.replayRng.getState() },
      extra: { lastTargetUpdate: this.lastTargetUpdate, updateDebt: this.updateDebt, replayBuffer },
      arrays,
    };
  }

  protected async setLearnerState(state: LearnerState): Promise<void> {
    const learner = this.requireLearner();
    const { policy, target, choiceModel } = state.weights as Record<string, Float32Array | undefined>;
    this.loadModuleState(DEFAULT_MODULE_ID, { policy: policy as Float32Array, ...(choiceModel === undefined ? {} : { choiceModel }) });
    learner.target.setWeights((target ?? policy) as Float32Array);
    await learner.setOptimizerStates(state.optimizers);
    const replay = state.rngs.replay;
    if (replay !== undefined) this.replayRng.setState(replay);
    if (typeof state.extra.lastTargetUpdate === 'number') this.lastTargetUpdate = state.extra.lastTargetUpdate;
    if (typeof state.extra.updateDebt === 'number') this.updateDebt = state.extra.updateDebt;
    restoreReplayCheckpoint(this.buffer, state);
  }

  protected async disposeLearner(): Promise<void> {
    if (this.learner === null) return;
    this.useBackend();
    this.learner.dispose();
    this.learner = null;
  }
}
