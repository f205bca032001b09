import type { AlgorithmConfig } from '../config/algorithmConfig.js';
import type { AllSettings } from '../config/settings.js';
import { AlgorithmError, CheckpointError, ConfigError, DataError, describeValue, EnvError } from '../errors.js';
import { nonFiniteIndex } from '../finite.js';
import { createLogger, type Logger } from '../logger.js';
import { EpisodeMetricsWindow, summarizeCustomMetrics, summarizeEpisodes } from '../metrics.js';
import { type ActionAdapter, createActionAdapter } from '../models/actionAdapter.js';
import type { InferenceModule } from '../modules/module.js';
import { checkModuleTensors, createModule, loadModuleKinds } from '../modules/registry.js';
import { DEFAULT_MODULE_ID, type ModuleId, type ModuleSpec, type ModuleTensors } from '../modules/spec.js';
import { createEstimators, estimateOffPolicy, offPolicyInputColumns, targetPolicyOf } from '../ope/estimators.js';
import type { OffPolicyEstimator } from '../ope/types.js';
import { createRng, entropySeed, type Rng } from '../rng.js';
import type { Space } from '../spaces/index.js';
import {
  assertRestorable,
  type Counters,
  type LearnerState,
  readSnapshot,
  type SpacesJSON,
  type WorkerLayout,
  writeSnapshot,
} from './checkpoint.js';
import type { EnvRunnerGroup, EnvRunnerGroupFactory, EvaluationRound } from './envRunnerGroup.js';
import { configFromJSON, lookupAlgorithm } from './registry.js';
import type { EvaluationResult, LearnerStats, TrainingStepResult, TrainResult } from './result.js';

/** Options of `computeSingleAction`. */
export interface ComputeActionOptions {
  /** Sample / explore (true) or act greedily (false); defaults to the config's `explore`. */
  readonly explore?: boolean;
}

/** The env's single-env spaces. */
export interface EnvSpaces {
  readonly observationSpace: Space<unknown>;
  readonly actionSpace: Space<unknown>;
}

/** The acting side the algorithm keeps on the main thread: specs, the local modules and the action mapping. */
interface Policies {
  readonly spaces: EnvSpaces;
  readonly specs: Readonly<Record<ModuleId, ModuleSpec>>;
  readonly modules: Readonly<Record<ModuleId, InferenceModule>>;
  readonly adapter: ActionAdapter;
  /** The modules' state before any learning (from the seed), for `setup`. */
  readonly initialState: Readonly<Record<ModuleId, ModuleTensors>>;
}

const now = (): number => performance.now();

/**
 * The training loop shared by every algorithm (RLlib's `Algorithm`): `build()` returns it at once
 * and starts workers in the background; `await train()` runs one iteration — the algorithm's
 * `trainingStep`, evaluation when due — and returns the result.
 *
 * An algorithm describes the modules that act (`moduleSpecs`, plain data built by every thread's
 * kind registry) and supplies the learner: its setup, its training step, its module state for the
 * workers and its named state for checkpoints. The loop does the rest: module specs and state
 * sync to training and evaluation workers, `computeSingleAction`, counters, results, checkpoints.
 */
export abstract class Algorithm<C extends AlgorithmConfig = AlgorithmConfig, S extends LearnerStats = LearnerStats> {
  /** The frozen config this algorithm runs with. */
  readonly config: C;
  /** Pino logger bound to this algorithm. */
  readonly logger: Logger;
  /** The training env runners (the local worker and any remote ones). */
  protected readonly workers: EnvRunnerGroup;
  /** The seed every stream of this algorithm derives from (the config's, or fresh entropy). */
  protected readonly seed: number;
  private evaluationWorkers: EnvRunnerGroup | null;
  private evaluationModulesSet = false;
  private readonly createEnvRunners: EnvRunnerGroupFactory;
  private readonly counters: Counters = {
    trainingIteration: 0,
    numEnvStepsSampled: 0,
    numEnvStepsTrained: 0,
    episodesTotal: 0,
    timeTotalS: 0,
    weightsVersion: 0,
  };
  private readonly metricsWindow: EpisodeMetricsWindow;
  private readonly actionRng: Rng;
  private policies: Policies | null = null;
  private initialization: Promise<void> | null = null;
  private stopped = false;
  /** The first error a `train()` or `evaluate()` threw; the algorithm refuses to go on after it. */
  private failure: Error | null = null;
  /** The estimators of `evaluation({ offPolicyEstimationMethods })` (built on the first evaluation). */
  private estimators: Record<string, OffPolicyEstimator> | null = null;

  /** Validates and freezes (a copy of) `config` and starts the env runners in the background. */
  protected constructor(config: C, createEnvRunners: EnvRunnerGroupFactory) {
    config.validate();
    this.config = config.isFrozen ? config : config.copy().freeze();
    const s = this.config.settings;
    this.logger = createLogger(s.logLevel, { algorithm: this.config.algorithm });
    this.metricsWindow = new EpisodeMetricsWindow(s.metricsNumEpisodesForSmoothing);
    this.seed = s.seed ?? entropySeed();
    this.actionRng = createRng(this.seed, 'computeSingleAction');
    this.createEnvRunners = createEnvRunners;
    this.workers = createEnvRunners(this.config.settingsForWorkers() as AllSettings, {
      inEvaluation: false,
      requiredInputColumns: this.config.requiredInputColumns(),
    });
    const wantsEvaluation = s.evaluationInterval !== null && s.evaluationInterval > 0;
    this.evaluationWorkers = wantsEvaluation || s.evaluationNumWorkers > 0 ? this.createEvaluationWorkers() : null;
  }

  /**
   * Call at the end of a subclass constructor: when the env's spaces are known at once (a local
   * worker on a registered env), the modules are built, so `computeSingleAction` works right after `build()`.
   */
  protected prepareEarly(): void {
    // A user's module kind registers in a module imported asynchronously, in initialize().
    if (this.settings.modules.length > 0) return;
    const spaces = this.workers.spaces();
    if (spaces !== undefined) this.preparePolicies(spaces);
  }

  private preparePolicies(spaces: EnvSpaces): Policies {
    if (this.policies !== null) return this.policies;
    const specs = this.moduleSpecs(spaces);
    const modules: Record<ModuleId, InferenceModule> = {};
    const initialState = this.initialModuleState(specs);
    for (const [id, spec] of Object.entries(specs)) {
      const module = createModule(spec);
      const tensors = initialState[id];
      if (tensors !== undefined) {
        checkModuleTensors(module, tensors);
        module.setState(tensors);
      }
      modules[id] = module;
    }
    this.policies = { spaces, specs, modules, adapter: createActionAdapter(spaces.actionSpace, this.settings), initialState };
    return this.policies;
  }

  private createEvaluationWorkers(): EnvRunnerGroup {
    const estimators = Object.values(this.settings.offPolicyEstimationMethods);
    return this.createEnvRunners(this.config.getEvaluationConfig().settingsForWorkers() as AllSettings, {
      inEvaluation: true,
      requiredInputColumns: estimators.length === 0 ? this.config.requiredInputColumns() : offPolicyInputColumns(estimators),
    });
  }

  /** The settings of the frozen config. */
  protected get settings(): Readonly<AllSettings> {
    return this.config.settings as AllSettings;
  }

  /** Lifetime counters (env steps sampled and trained, iterations, weights version). */
  protected get lifetime(): Readonly<Counters> {
    return this.counters;
  }

  /** The module specs the workers act with (after `ready()`, or at once when spaces are known). */
  get moduleSpecsInUse(): Readonly<Record<ModuleId, ModuleSpec>> {
    return this.requirePolicies('moduleSpecsInUse').specs;
  }

  private requirePolicies(what: string): Policies {
    if (this.policies === null) {
      throw new EnvError(
        `${what}: the env's spaces are not known yet (its module is imported in the background); await algo.ready() first.`,
      );
    }
    return this.policies;
  }

  /** Resolves when the workers and the learner are ready; `train()` awaits it. */
  ready(): Promise<void> {
    if (this.initialization === null) {
      this.initialization = this.initialize();
    }
    return this.initialization;
  }

  private async initialize(): Promise<void> {
    await loadModuleKinds(this.settings.modules);
    await Promise.all([this.workers.ready(), this.evaluationWorkers?.ready()]);
    const spaces = this.workers.spaces();
    if (spaces === undefined) throw new ConfigError('The workers reported no observation/action spaces.');
    const policies = this.preparePolicies(spaces);
    await this.setup(spaces, policies.initialState);
    await this.workers.setModules(policies.specs);
    await this.pushState(this.counters.weightsVersion, this.counters.numEnvStepsSampled, this.workers);
  }

  /** The modules that act, as plain-data specs (one per module id; single-agent algorithms use `'default'`). */
  protected abstract moduleSpecs(spaces: EnvSpaces): Record<ModuleId, ModuleSpec>;
  /** The modules' state before any learning, drawn from the algorithm's seed (the learner starts from it). */
  protected abstract initialModuleState(specs: Readonly<Record<ModuleId, ModuleSpec>>): Record<ModuleId, ModuleTensors>;
  /** Builds the learner (tfjs backend, networks, optimizers) starting from `initial`. */
  protected abstract setup(spaces: EnvSpaces, initial: Readonly<Record<ModuleId, ModuleTensors>>): Promise<void>;
  /** One iteration of learning: sample, update, sync (RLlib's `training_step`); call `syncWorkers` after updating. */
  protected abstract trainingStep(): Promise<TrainingStepResult<S>>;
  /** The learner's current module state, what the workers act with (fresh arrays). */
  protected abstract moduleState(): Record<ModuleId, ModuleTensors>;
  /** Replaces the learner's module state for `id` (checked against the module's layout). */
  protected abstract loadModuleState(id: ModuleId, tensors: ModuleTensors): void;
  /** The learner's named state for a checkpoint. */
  protected abstract getLearnerState(): Promise<LearnerState>;
  /** Restores the learner from a checkpoint's named state. */
  protected abstract setLearnerState(state: LearnerState): Promise<void>;
  /** Frees learner resources (tensors); called once by `stop()`. */
  protected abstract disposeLearner(): Promise<void>;
  /** The TensorFlow.js backend the learner runs on (`'none'` for learners without tensors). */
  abstract get backend(): string;

  private async pushState(version: number, timestep: number, target: EnvRunnerGroup): Promise<void> {
    const modules = this.moduleState();
    const policies = this.requirePolicies('sync');
    for (const [id, tensors] of Object.entries(modules)) policies.modules[id]?.setState(tensors);
    await target.syncState({ version, timestep, modules });
  }

  /**
   * Sends the learner's new module state to the workers (and the local copy `computeSingleAction`
   * uses) under the next weights version; `sampledThisIteration` env steps are added to the global
   * timestep the workers' exploration sees.
   */
  protected async syncWorkers(sampledThisIteration: number): Promise<void> {
    this.counters.weightsVersion += 1;
    await this.pushState(this.counters.weightsVersion, this.counters.numEnvStepsSampled + sampledThisIteration, this.workers);
  }

  /** The default module's `policy` weights as one flat `Float32Array` (PPO, DQN). */
  getWeights(): Float32Array {
    const policy = this.moduleState()[DEFAULT_MODULE_ID]?.policy;
    if (!(policy instanceof Float32Array)) {
      throw new ConfigError(
        `getWeights(): the ${this.config.algorithm} module has no flat float32 "policy" weights; use getModuleState().`,
      );
    }
    return policy;
  }

  /**
   * Replaces the default module's `policy` weights (the learner's and the local inference copy;
   * workers get them at the next sync). Weights of the wrong length, or holding NaN or ±Infinity,
   * are a `DataError`.
   */
  setWeights(weights: Float32Array): void {
    this.assertUsable('setWeights', false);
    const expected = this.getWeights().length;
    if (!(weights instanceof Float32Array) || weights.length !== expected) {
      throw new DataError(`setWeights: expected a Float32Array of ${expected} weights, got ${describeValue(weights)}.`);
    }
    this.setModuleState(DEFAULT_MODULE_ID, { ...this.moduleState()[DEFAULT_MODULE_ID], policy: weights });
  }

  /** The named state tensors of module `id` (copies), as the workers get them. */
  getModuleState(id: ModuleId = DEFAULT_MODULE_ID): ModuleTensors {
    const tensors = this.moduleState()[id];
    if (tensors === undefined)
      throw new ConfigError(`getModuleState: there is no module "${id}" (modules: ${Object.keys(this.moduleState()).join(', ')}).`);
    return tensors;
  }

  /** Replaces module `id`'s state in the learner and the local copy; a missing, resized or non-finite tensor is a `DataError`. */
  setModuleState(id: ModuleId, tensors: ModuleTensors): void {
    this.assertUsable('setModuleState', false);
    const module = this.requirePolicies('setModuleState').modules[id];
    if (module === undefined) throw new ConfigError(`setModuleState: there is no module "${id}".`);
    checkModuleTensors(module, tensors);
    for (const [name, tensor] of Object.entries(tensors)) {
      const bad = nonFiniteIndex(tensor);
      if (bad >= 0)
        throw new DataError(`setModuleState: value ${bad} of "${name}" is ${tensor[bad]}; state tensors must be finite numbers.`);
    }
    this.loadModuleState(id, tensors);
    module.setState(tensors);
  }

  /**
   * The action for one observation of the env's observation space: sampled / explored when
   * `explore` (default: the config's `explore`), else the greedy one. An observation outside the
   * space is an `EnvError` naming it; a non-boolean `explore` is a `ConfigError`.
   */
  computeSingleAction(obs: unknown, options: ComputeActionOptions = {}): unknown {
    this.assertUsable('computeSingleAction', false);
    if (typeof options !== 'object' || options === null) {
      throw new ConfigError(`computeSingleAction: options must be an object like { explore: false }, got ${describeValue(options)}.`);
    }
    const explore = options.explore ?? this.settings.explore;
    if (typeof explore !== 'boolean') {
      throw new ConfigError(`computeSingleAction: explore must be true or false, got ${describeValue(explore)}.`);
    }
    const policies = this.requirePolicies('computeSingleAction');
    const space = policies.spaces.observationSpace;
    if (!space.contains(obs)) {
      throw new EnvError(`computeSingleAction: observation ${describeValue(obs)} is not in the observation space ${space.toString()}.`);
    }
    const module = policies.modules[DEFAULT_MODULE_ID] as InferenceModule;
    const acted = module.computeActions(space.flatten(obs), 1, {
      explore,
      rngs: this.actionRng,
      timestep: this.counters.numEnvStepsSampled,
    });
    return policies.adapter(acted.actions, 0);
  }

  /** `computeSingleAction` for a `Discrete` action space, typed: the action index. A `ConfigError` for another space. */
  computeDiscreteAction(obs: unknown, options: ComputeActionOptions = {}): number {
    this.assertActionSpace('computeDiscreteAction', 'Discrete');
    return this.computeSingleAction(obs, options) as number;
  }

  /** `computeSingleAction` for a `Box` action space, typed: the action vector. A `ConfigError` for another space. */
  computeContinuousAction(obs: unknown, options: ComputeActionOptions = {}): Float32Array | Float64Array {
    this.assertActionSpace('computeContinuousAction', 'Box');
    return this.computeSingleAction(obs, options) as Float32Array | Float64Array;
  }

  /** `computeSingleAction` for a `MultiDiscrete` action space (e.g. a RecSim slate), typed. A `ConfigError` for another space. */
  computeMultiDiscreteAction(obs: unknown, options: ComputeActionOptions = {}): Int32Array {
    this.assertActionSpace('computeMultiDiscreteAction', 'MultiDiscrete');
    return this.computeSingleAction(obs, options) as Int32Array;
  }

  private assertActionSpace(what: string, type: 'Discrete' | 'Box' | 'MultiDiscrete'): void {
    const space = this.requirePolicies(what).spaces.actionSpace;
    if (space.type !== type)
      throw new ConfigError(`${what}() needs a ${type} action space; this env's is ${space.toString()}: use computeSingleAction().`);
  }

  /** Throws when `stop()` was called, or (when `failedToo`) when an earlier `train()`/`evaluate()` failed. */
  private assertUsable(what: string, failedToo = true): void {
    if (this.stopped) {
      throw new AlgorithmError('ALGORITHM_STOPPED', `${what}() was called after stop(); build a new algorithm.`);
    }
    if (failedToo && this.failure !== null) {
      throw new AlgorithmError(
        'ALGORITHM_FAILED',
        `${what}() cannot continue: this ${this.config.algorithm} algorithm failed earlier with: ${this.failure.message.split('\n')[0]} ` +
          'Build a new algorithm (restore a checkpoint to continue from one); with remote workers, ' +
          'faultTolerance({ recreateFailedWorkers: true }) or ({ ignoreWorkerFailures: true }) keeps training through worker failures.',
        { cause: this.failure },
      );
    }
  }

  /** Runs `work`; an error it throws marks the algorithm failed for every later `train()`/`evaluate()`. */
  private async failOnError<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      this.failure ??= error instanceof Error ? error : new Error(String(error));
      throw error;
    }
  }

  /** Runs one training iteration and returns its result. */
  async train(): Promise<TrainResult<S>> {
    this.assertUsable('train');
    return this.failOnError(() => this.runIteration());
  }

  private async runIteration(): Promise<TrainResult<S>> {
    await this.ready();
    const started = now();
    const c = this.counters;
    const iteration = c.trainingIteration + 1;
    const interval = this.settings.evaluationInterval;
    const evaluationDue = interval !== null && interval > 0 && iteration % interval === 0;
    let step: TrainingStepResult<S>;
    let evaluation: EvaluationResult | undefined;
    if (evaluationDue && this.settings.evaluationParallelToTraining) {
      // Evaluation threads measure the weights from before this step while the learner updates.
      [step, evaluation] = await Promise.all([this.runTrainingSteps(started), this.runEvaluation()]);
    } else {
      step = await this.runTrainingSteps(started);
      evaluation = evaluationDue ? await this.runEvaluation() : undefined;
    }
    c.trainingIteration = iteration;
    c.episodesTotal += step.episodes.length;
    const summary = this.metricsWindow.update(step.episodes);
    const timeThisIterS = (now() - started) / 1000;
    c.timeTotalS += timeThisIterS;
    const health = this.workers.health();
    const result: TrainResult<S> = {
      ...summary,
      trainingIteration: c.trainingIteration,
      timestepsTotal: c.numEnvStepsSampled,
      episodesTotal: c.episodesTotal,
      numEnvStepsSampled: c.numEnvStepsSampled,
      numEnvStepsTrained: c.numEnvStepsTrained,
      numEnvStepsSampledThisIter: step.envStepsSampled,
      numEnvStepsTrainedThisIter: step.envStepsTrained,
      timeThisIterS,
      timeTotalS: c.timeTotalS,
      learnerStats: step.learnerStats,
      customMetrics: summarizeCustomMetrics(step.episodes),
      samplerPerf: step.samplerPerf,
      timers: {
        trainingIterationTimeMs: timeThisIterS * 1000,
        sampleTimeMs: step.sampleTimeMs,
        learnTimeMs: step.learnTimeMs,
        synchWeightsTimeMs: step.synchWeightsTimeMs,
      },
      numHealthyWorkers: health.numHealthyWorkers,
      numRemoteWorkerRestarts: health.numRemoteWorkerRestarts,
      weightsVersion: c.weightsVersion,
      weightVersionLag: step.weightVersionLag,
      backend: this.backend,
      ...(evaluation === undefined ? {} : { evaluation }),
    };
    this.logger.info(
      { trainingIteration: c.trainingIteration, episodeRewardMean: summary.episodeRewardMean, timestepsTotal: c.numEnvStepsSampled },
      'iteration done',
    );
    return result;
  }

  /**
   * Repeats `trainingStep` until the iteration's minimums are met (RLlib's
   * `min_time_s_per_iteration`, `min_sample_timesteps_per_iteration`,
   * `min_train_timesteps_per_iteration`; one step when all are unset) and merges the steps.
   */
  private async runTrainingSteps(started: number): Promise<TrainingStepResult<S>> {
    const s = this.settings;
    const c = this.counters;
    const steps: TrainingStepResult<S>[] = [];
    let sampled = 0;
    let trained = 0;
    const satisfied = () =>
      sampled >= s.minSampleTimestepsPerIteration &&
      trained >= s.minTrainTimestepsPerIteration &&
      (s.minTimeSPerIteration === null || now() - started >= s.minTimeSPerIteration * 1000);
    do {
      const step = await this.trainingStep();
      steps.push(step);
      sampled += step.envStepsSampled;
      trained += step.envStepsTrained;
      c.numEnvStepsSampled += step.envStepsSampled;
      c.numEnvStepsTrained += step.envStepsTrained;
    } while (!satisfied());
    return mergeSteps(steps);
  }

  /**
   * Runs the policy on the evaluation workers for `evaluationDuration` episodes or timesteps (with
   * `evaluationConfig` applied, e.g. `explore: false`) and summarizes those episodes.
   */
  async evaluate(): Promise<EvaluationResult> {
    this.assertUsable('evaluate');
    return this.failOnError(() => this.runEvaluation());
  }

  private async runEvaluation(): Promise<EvaluationResult> {
    await this.ready();
    // Read the state before any await: with parallel evaluation the training step may update it meanwhile.
    const modules = this.moduleState();
    const version = this.counters.weightsVersion;
    const timestep = this.counters.numEnvStepsSampled;
    if (this.evaluationWorkers === null) this.evaluationWorkers = this.createEvaluationWorkers();
    const evalWorkers = this.evaluationWorkers;
    await evalWorkers.ready();
    if (!this.evaluationModulesSet) {
      await evalWorkers.setModules(this.requirePolicies('evaluate').specs);
      this.evaluationModulesSet = true;
    }
    await evalWorkers.syncState({ version, timestep, modules });
    const s = this.settings;
    const duration = s.evaluationDuration === 'auto' ? 10 : s.evaluationDuration;
    const round = await evalWorkers.evaluate(s.evaluationDurationUnit, duration);
    const summary = { ...summarizeEpisodes(round.episodes), numEnvStepsSampledThisIter: round.envSteps };
    if (round.batches === undefined || Object.keys(s.offPolicyEstimationMethods).length === 0) return summary;
    return { ...summary, offPolicyEstimator: await this.estimateOffPolicy(round.batches) };
  }

  /** Runs the off-policy estimators on rows read from the evaluation input, with the default module as the target policy. */
  private async estimateOffPolicy(batches: NonNullable<EvaluationRound['batches']>): Promise<Record<string, Record<string, number>>> {
    const s = this.settings;
    this.estimators ??= createEstimators(s.offPolicyEstimationMethods, { seed: this.seed, backend: s.backend });
    const policies = this.requirePolicies('evaluate');
    const policy = targetPolicyOf(policies.modules[DEFAULT_MODULE_ID] as InferenceModule, policies.spaces.actionSpace);
    return estimateOffPolicy(this.estimators, batches, { policy, gamma: s.gamma, splitByEpisode: s.opeSplitBatchByEpisode });
  }

  private workerLayout(): WorkerLayout {
    const s = this.settings;
    return { env: s.env, envConfig: s.envConfig, numRolloutWorkers: s.numRolloutWorkers, numEnvsPerWorker: s.numEnvsPerWorker };
  }

  private spacesJSON(): SpacesJSON | null {
    const spaces = this.workers.spaces();
    return spaces === undefined ? null : { observationSpace: spaces.observationSpace.toJSON(), actionSpace: spaces.actionSpace.toJSON() };
  }

  /**
   * Writes a checkpoint to directory `dir` and returns its absolute path: the config, counters, the
   * env's spaces, the module specs, the learner's named state (weight sets, optimizers, random
   * streams, extras), and — when every env can report its state — the workers' episodes, so a
   * restored run continues bit for bit. Whenever the process dies, `dir` holds a complete
   * checkpoint, the previous one or this one (see `writeCheckpointDir`). Works after a failed
   * `train()` too (the last good state), but never writes non-finite state.
   */
  async save(dir: string): Promise<string> {
    this.assertUsable('save', false);
    await this.ready();
    const learner = await this.getLearnerState();
    for (const [name, weights] of Object.entries(learner.weights)) {
      const bad = nonFiniteIndex(weights);
      if (bad >= 0)
        throw new DataError(
          `save("${dir}"): weight ${bad} of "${name}" is ${weights[bad]}; refusing to write a checkpoint with non-finite weights.`,
        );
    }
    for (const [name, optimizer] of Object.entries(learner.optimizers)) {
      for (const tensor of optimizer.tensors) {
        const at = nonFiniteIndex(tensor.values);
        if (at >= 0) {
          throw new DataError(
            `save("${dir}"): optimizer "${name}" tensor "${tensor.name}"[${at}] is ${tensor.values[at]}; refusing to write non-finite state.`,
          );
        }
      }
    }
    const workerStates = await this.workers.getWorkerStates();
    return writeSnapshot(dir, {
      algorithm: this.config.algorithm,
      config: this.config.toJSON(),
      counters: { ...this.counters },
      metricsWindow: this.metricsWindow.getState(),
      spaces: this.spacesJSON(),
      moduleSpecs: this.requirePolicies('save').specs,
      learner,
      workers: workerStates.every((state) => state !== null) ? workerStates : null,
      workerLayout: this.workerLayout(),
    });
  }

  /**
   * Loads a checkpoint written by `save` into this algorithm and pushes its state to the workers
   * (their episodes too, when the checkpoint holds them and the worker count matches). The
   * checkpoint must come from the same algorithm, env spaces and module settings; a
   * `CheckpointError` says what differs (or what is tampered with) otherwise.
   */
  async restore(dir: string): Promise<void> {
    this.assertUsable('restore');
    await this.ready();
    const snapshot = await readSnapshot(dir);
    const current = await this.getLearnerState();
    assertRestorable(snapshot, {
      algorithm: this.config.algorithm,
      spaces: this.spacesJSON(),
      moduleSpecs: this.requirePolicies('restore').specs,
      weights: current.weights,
    });
    await this.setLearnerState(snapshot.learner);
    Object.assign(this.counters, snapshot.counters);
    this.metricsWindow.setState(snapshot.metricsWindow);
    await this.pushState(this.counters.weightsVersion, this.counters.numEnvStepsSampled, this.workers);
    // Episodes continue only on the same env split the same way (a checkpoint may seed other envs, e.g. an external env).
    if (snapshot.workers !== null && JSON.stringify(snapshot.workerLayout) === JSON.stringify(this.workerLayout())) {
      await this.workers.setWorkerStates(snapshot.workers);
    }
  }

  /** Builds the algorithm a checkpoint was saved from (its config, learner state, counters and episodes). */
  static async fromCheckpoint(dir: string): Promise<Algorithm> {
    const snapshot = await readSnapshot(dir);
    let config: AlgorithmConfig;
    try {
      config = configFromJSON(snapshot.config);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new CheckpointError(`Checkpoint "${snapshot.path}" holds a config that does not load: ${reason}`, { cause: error });
    }
    const algorithm = lookupAlgorithm(config.algorithm).createAlgorithm(config);
    try {
      await algorithm.restore(dir);
    } catch (error) {
      await algorithm.stop();
      throw error;
    }
    return algorithm;
  }

  /** Ends every worker thread and frees the learner; a script that calls it exits on its own. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    await Promise.allSettled([this.workers.stop(), this.evaluationWorkers?.stop()]);
    await this.disposeLearner();
  }
}

/** One iteration's training steps as one: sums of steps and times, all episodes, the last learner stats, mean sampler timings. */
function mergeSteps<S extends LearnerStats>(steps: readonly TrainingStepResult<S>[]): TrainingStepResult<S> {
  const last = steps[steps.length - 1] as TrainingStepResult<S>;
  if (steps.length === 1) return last;
  const sum = (pick: (s: TrainingStepResult<S>) => number) => steps.reduce((n, s) => n + pick(s), 0);
  const mean = (pick: (s: TrainingStepResult<S>) => number) => sum(pick) / steps.length;
  const trainedStats = [...steps].reverse().find((s) => Object.keys(s.learnerStats).length > 0);
  return {
    learnerStats: trainedStats?.learnerStats ?? last.learnerStats,
    envStepsSampled: sum((s) => s.envStepsSampled),
    envStepsTrained: sum((s) => s.envStepsTrained),
    episodes: steps.flatMap((s) => s.episodes),
    samplerPerf: {
      meanEnvWaitMs: mean((s) => s.samplerPerf.meanEnvWaitMs),
      meanInferenceMs: mean((s) => s.samplerPerf.meanInferenceMs),
      meanBatchBuildingMs: mean((s) => s.samplerPerf.meanBatchBuildingMs),
    },
    weightVersionLag: Math.max(...steps.map((s) => s.weightVersionLag)),
    sampleTimeMs: sum((s) => s.sampleTimeMs),
    learnTimeMs: sum((s) => s.learnTimeMs),
    synchWeightsTimeMs: sum((s) => s.synchWeightsTimeMs),
  };
}
