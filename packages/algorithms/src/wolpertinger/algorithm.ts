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
  type TrainingStepResult,
  type TransitionColumns,
  trainingStepResult,
  WOLPERTINGER_KIND,
  type WolpertingerModuleConfig,
} from '@loomrl/core';
import {
  assertFiniteUpdate,
  epsilonAt,
  initialWeights,
  slateObservationLayout,
  wolpertingerActorLayout,
  wolpertingerCriticLayout,
  wolpertingerSpecOf,
} from '@loomrl/core/internal';
import { WorkerSet } from '@loomrl/workers';
import { LearnerBackend } from '../learnerEngine.js';
import { replayCheckpoint, restoreReplayCheckpoint } from '../replay/checkpointState.js';
import { type AnyReplayBuffer, createReplayBuffer } from '../replay/index.js';
import { owedReplayUpdates } from '../replay/trainingIntensity.js';
import type { WolpertingerConfig } from './config.js';
import type { WolpertingerLearner, WolpertingerTrainColumns, WolpertingerUpdateStats, WolpertingerWeights } from './learner.js';

const now = (): number => performance.now();

/** Wolpertinger's learner stats: the last update's (NaN before learning starts), ε and the buffer size. */
export type WolpertingerLearnerStats = WolpertingerUpdateStats & {
  readonly curEpsilon: number;
  readonly replayBufferSize: number;
};

const NOT_YET: WolpertingerUpdateStats = {
  criticLoss: Number.NaN,
  actorLoss: Number.NaN,
  meanQ: Number.NaN,
  meanTarget: Number.NaN,
  curLr: Number.NaN,
};

/** Where the state features are: a RecSim observation's user part (when it has numbers), or the whole observation. */
function stateFeatures(spaces: EnvSpaces, choice: 'user' | 'observation' | null): { stateOffset: number; stateDim: number } {
  const whole = { stateOffset: 0, stateDim: spaces.observationSpace.flatDim };
  if (choice === 'observation') return whole;
  try {
    const layout = slateObservationLayout(spaces.observationSpace, spaces.actionSpace);
    if (layout.userDim > 0) return { stateOffset: layout.userOffset, stateDim: layout.userDim };
    if (choice === null) return whole;
    throw new ConfigError(
      "training({ stateFeatures: 'user' }): this env's user observation is empty (0 numbers); use stateFeatures 'observation' (or null).",
    );
  } catch (error) {
    if (choice === 'user') throw error;
    return whole;
  }
}

/**
 * A Wolpertinger-style actor-critic over learned item embeddings: ε-random workers fill a replay
 * buffer; the learner takes DDPG steps for the critic (and embeddings) and the actor with soft
 * target updates. Build it with `new WolpertingerConfig()…build()`.
 */
export class Wolpertinger extends Algorithm<WolpertingerConfig, WolpertingerLearnerStats> {
  private learner: WolpertingerLearner | null = null;
  /** The learner's backend (LoomRL's kernels or a TensorFlow.js backend). */
  private tf: LearnerBackend | null = null;
  private weights: WolpertingerWeights = { actor: new Float32Array(0), critic: new Float32Array(0), embeddings: new Float32Array(0) };
  private readonly buffer: AnyReplayBuffer<WolpertingerTrainColumns>;
  private readonly replayRng: Rng;
  private updateDebt = 0;

  /** Prefer `config.build()`; the config is validated and frozen. */
  constructor(config: WolpertingerConfig) {
    super(config, WorkerSet.factory);
    this.buffer = createReplayBuffer<WolpertingerTrainColumns>(this.config.settings.replayBufferConfig, 'training({ replayBufferConfig })');
    this.replayRng = createRng(this.seed, 'replay');
    this.prepareEarly();
  }

  protected moduleSpecs(spaces: EnvSpaces): Record<ModuleId, ModuleSpec> {
    const s = this.config.settings;
    const config: WolpertingerModuleConfig = {
      ...stateFeatures(spaces, s.stateFeatures),
      embeddingDim: s.embeddingDim,
      actorHiddens: [...s.actorHiddens],
      criticHiddens: [...s.criticHiddens],
      k: s.k,
      exploration: this.config.epsilonGreedy(),
      ...s.moduleConfig,
    };
    const spec = {
      kind: s.moduleKind ?? WOLPERTINGER_KIND,
      observationSpace: spaces.observationSpace.toJSON(),
      actionSpace: spaces.actionSpace.toJSON(),
      config,
    };
    // Fails early, naming the action space or k, when they do not fit.
    wolpertingerSpecOf(spec);
    return { [DEFAULT_MODULE_ID]: spec };
  }

  protected initialModuleState(specs: Readonly<Record<ModuleId, ModuleSpec>>): Record<ModuleId, ModuleTensors> {
    const spec = wolpertingerSpecOf(specs[DEFAULT_MODULE_ID] as ModuleSpec);
    const rng = createRng(this.seed, 'initialWeights');
    this.weights = {
      actor: initialWeights(wolpertingerActorLayout(spec), rng),
      critic: initialWeights(wolpertingerCriticLayout(spec), rng),
      // N(0, 1) like torch's Embedding.
      embeddings: Float32Array.from({ length: spec.numItems * spec.embeddingDim }, () => rng.normal()),
    };
    return { [DEFAULT_MODULE_ID]: this.copyWeights() };
  }

  private copyWeights(): Record<string, Float32Array> {
    const { actor, critic, embeddings } = this.weights;
    return { actor: new Float32Array(actor), critic: new Float32Array(critic), embeddings: new Float32Array(embeddings) };
  }

  protected async setup(_spaces: EnvSpaces, initial: Readonly<Record<ModuleId, ModuleTensors>>): Promise<void> {
    const [tf, { createWolpertingerLearner }] = await Promise.all([LearnerBackend.load(this.settings.backend), import('./learner.js')]);
    this.tf = tf;
    tf.use();
    const spec = wolpertingerSpecOf(this.moduleSpecsInUse[DEFAULT_MODULE_ID] as ModuleSpec);
    const weights = initial[DEFAULT_MODULE_ID] as unknown as WolpertingerWeights;
    this.learner = await createWolpertingerLearner(spec, weights, this.config.settings, tf.engine);
  }

  get backend(): string {
    return this.tf?.name ?? 'none';
  }

  private requireLearner(): WolpertingerLearner {
    if (this.learner === null) throw new ConfigError('The Wolpertinger learner is not set up yet; await algo.ready() first.');
    return this.learner;
  }

  private updatesFor(envSteps: number): number {
    const owed = owedReplayUpdates(this.updateDebt, envSteps, this.config.settings);
    this.updateDebt = owed.debt;
    return owed.updates;
  }

  protected async trainingStep(): Promise<TrainingStepResult<WolpertingerLearnerStats>> {
    const s = this.config.settings;
    const t0 = now();
    const round = await this.workers.sample(1);
    const rows = SampleBatch.concat(round.batches[DEFAULT_MODULE_ID] ?? []) as SampleBatch<TransitionColumns>;
    const { obs, nextObs, actions, rewards, terminateds } = rows.columns;
    const w = rows.widths;
    this.buffer.add(
      new SampleBatch(
        rows.count,
        { obs: w.obs, nextObs: w.nextObs, actions: 1, rewards: 1, terminateds: 1 } as never,
        {
          obs,
          nextObs,
          actions,
          rewards,
          terminateds,
        } as never,
      ),
    );
    const sampled = this.lifetime.numEnvStepsSampled + round.envSteps;
    const t1 = now();
    let stats: WolpertingerUpdateStats = NOT_YET;
    let trained = 0;
    if (sampled >= s.numStepsSampledBeforeLearningStarts && this.buffer.size > 0) {
      this.tf?.use();
      const learner = this.requireLearner();
      for (let k = this.updatesFor(round.envSteps); k > 0; k--) {
        const replayed = this.buffer.sample(s.trainBatchSize, this.replayRng, { timestep: sampled });
        stats = learner.update(replayed);
        learner.updateTargets(s.tau);
        trained += replayed.count;
      }
      const next = learner.online.get();
      assertFiniteUpdate('Wolpertinger', trained > 0 ? stats : {}, next.actor);
      assertFiniteUpdate('Wolpertinger', {}, next.critic);
      assertFiniteUpdate('Wolpertinger', {}, next.embeddings);
      this.weights = next;
    }
    const t2 = now();
    await this.syncWorkers(round.envSteps);
    const learnerStats = { ...stats, curEpsilon: epsilonAt(this.config.epsilonGreedy(), sampled), replayBufferSize: this.buffer.size };
    return trainingStepResult(round, learnerStats, trained, [t0, t1, t2, now()]);
  }

  protected moduleState(): Record<ModuleId, ModuleTensors> {
    return { [DEFAULT_MODULE_ID]: this.copyWeights() };
  }

  protected loadModuleState(_id: ModuleId, tensors: ModuleTensors): void {
    this.weights = {
      actor: new Float32Array(tensors.actor as Float32Array),
      critic: new Float32Array(tensors.critic as Float32Array),
      embeddings: new Float32Array(tensors.embeddings as Float32Array),
    };
    if (this.learner === null) return;
    this.tf?.use();
    this.learner.online.set(this.weights);
  }

  protected async getLearnerState(): Promise<LearnerState> {
    const learner = this.requireLearner();
    this.tf?.use();
    const target = learner.target.get();
    const { replayBuffer, arrays } = replayCheckpoint(this.buffer, this.config.settings.storeBufferInCheckpoints);
    return {
      weights: { ...this.copyWeights(), targetActor: target.actor, targetCritic: target.critic, targetEmbeddings: target.embeddings },
      optimizers: await learner.getOptimizerStates(),
      rngs: { replay: this.replayRng.getState() },
      extra: { updateDebt: this.updateDebt, replayBuffer },
      arrays,
    };
  }

  protected async setLearnerState(state: LearnerState): Promise<void> {
    const learner = this.requireLearner();
    const w = state.weights as Record<string, Float32Array>;
    this.loadModuleState(DEFAULT_MODULE_ID, {
      actor: w.actor as Float32Array,
      critic: w.critic as Float32Array,
      embeddings: w.embeddings as Float32Array,
    });
    learner.setTargets({
      actor: w.targetActor ?? (w.actor as Float32Array),
      critic: w.targetCritic ?? (w.critic as Float32Array),
      embeddings: w.targetEmbeddings ?? (w.embeddings as Float32Array),
    });
    await learner.setOptimizerStates(state.optimizers);
    const replay = state.rngs.replay;
    if (replay !== undefined) this.replayRng.setState(replay);
    if (typeof state.extra.updateDebt === 'number') this.updateDebt = state.extra.updateDebt;
    restoreReplayCheckpoint(this.buffer, state);
  }

  protected async disposeLearner(): Promise<void> {
    if (this.learner === null) return;
    this.tf?.use();
    this.learner.dispose();
    this.learner = null;
  }
}
