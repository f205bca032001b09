import type { AlgorithmConfig } from '../config/algorithmConfig.js';
import type { AllSettings } from '../config/settings.js';
import { AlgorithmError, CheckpointError, ConfigError, DataError, describeValue } from '../errors.js';
import { nonFiniteIndex } from '../finite.js';
import { createLogger, type Logger } from '../logger.js';
import { EpisodeMetricsWindow, summarizeEpisodes } from '../metrics.js';
import type { Space } from '../spaces/index.js';
import { assertRestorable, type Counters, type LearnerCheckpoint, readSnapshot, writeSnapshot } from './checkpoint.js';
import type { EnvRunnerGroup, EnvRunnerGroupFactory } from './envRunnerGroup.js';
import { configFromJSON, lookupAlgorithm } from './registry.js';
import type { EvaluationResult, TrainingStepResult, TrainResult } from './result.js';

/** Options of `computeSingleAction`. */
export interface ComputeActionOptions {
  /** Sample (true) or take the most likely action (false); defaults to the config's `explore`. */
  readonly explore?: boolean;
}

const now = (): number => performance.now();

/**
 * The training loop shared by every algorithm (RLlib's `Algorithm`): `build()` returns it at once
 * and starts workers in the background; `await train()` runs one iteration — the algorithm's
 * `trainingStep`, evaluation when due — and returns the result. Subclasses supply the learner.
 */
export abstract class Algorithm<C extends AlgorithmConfig = AlgorithmConfig> {
  /** The frozen config this algorithm runs with. */
  readonly config: C;
  /** Pino logger bound to this algorithm. */
  readonly logger: Logger;
  /** The training env runners (the local worker and any remote ones). */
  protected readonly workers: EnvRunnerGroup;
  private evaluationWorkers: EnvRunnerGroup | null;
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
  private initialization: Promise<void> | null = null;
  private stopped = false;
  /** The first error a `train()` or `evaluate()` threw; the algorithm refuses to go on after it. */
  private failure: Error | null = null;

  /** Validates and freezes (a copy of) `config` and starts the env runners in the background. */
  protected constructor(config: C, createEnvRunners: EnvRunnerGroupFactory) {
    config.validate();
    this.config = config.isFrozen ? config : config.copy().freeze();
    const s = this.config.settings;
    this.logger = createLogger(s.logLevel, { algorithm: this.config.algorithm });
    this.metricsWindow = new EpisodeMetricsWindow(s.metricsNumEpisodesForSmoothing);
    this.createEnvRunners = createEnvRunners;
    this.workers = createEnvRunners(s as AllSettings, { inEvaluation: false });
    const wantsEvaluation = s.evaluationInterval !== null && s.evaluationInterval > 0;
    this.evaluationWorkers = wantsEvaluation || s.evaluationNumWorkers > 0 ? this.createEvaluationWorkers() : null;
  }

  private createEvaluationWorkers(): EnvRunnerGroup {
    return this.createEnvRunners(this.config.getEvaluationConfig().settings as AllSettings, { inEvaluation: true });
  }

  /** The settings of the frozen config. */
  protected get settings(): Readonly<AllSettings> {
    return this.config.settings as AllSettings;
  }

  /** Lifetime counters (env steps sampled and trained, iterations, weights version). */
  protected get lifetime(): Readonly<Counters> {
    return this.counters;
  }

  /** Resolves when the workers and the learner are ready; `train()` awaits it. */
  ready(): Promise<void> {
    if (this.initialization === null) {
      this.initialization = this.initialize();
    }
    return this.initialization;
  }

  private async initialize(): Promise<void> {
    await Promise.all([this.workers.ready(), this.evaluationWorkers?.ready()]);
    const spaces = this.workers.spaces();
    if (spaces === undefined) throw new ConfigError('The workers reported no observation/action spaces.');
    await this.setup(spaces);
    await this.workers.syncWeights(this.getWeights(), this.counters.weightsVersion);
  }

  /** Builds the learner for the env's spaces (tfjs backend, model, optimizer). */
  protected abstract setup(spaces: { observationSpace: Space<unknown>; actionSpace: Space<unknown> }): Promise<void>;
  /** One iteration of learning: sample, update, sync weights (RLlib's `training_step`). */
  protected abstract trainingStep(): Promise<TrainingStepResult>;
  /** The learner's state for a checkpoint. */
  protected abstract getLearnerState(): Promise<LearnerCheckpoint>;
  /** Restores the learner from a checkpoint. */
  protected abstract setLearnerState(state: LearnerCheckpoint): Promise<void>;
  /** The TensorFlow.js backend the learner runs on. */
  abstract get backend(): string;
  /** The policy's weights as one flat array. */
  abstract getWeights(): Float32Array;
  /** Installs checked weights in the learner and the local inference copy. */
  protected abstract loadWeights(weights: Float32Array): void;
  /** The action for one observation already checked against the observation space. */
  protected abstract computeAction(obs: unknown, explore: boolean): unknown;

  /**
   * Replaces the policy's weights (the learner's and the local inference copy; workers get them at
   * the next sync). Weights of the wrong length, or holding NaN or ±Infinity, are a `DataError`.
   */
  setWeights(weights: Float32Array): void {
    this.assertUsable('setWeights', false);
    const expected = this.getWeights().length;
    if (!(weights instanceof Float32Array) || weights.length !== expected) {
      throw new DataError(`setWeights: expected a Float32Array of ${expected} weights, got ${describeValue(weights)}.`);
    }
    const bad = nonFiniteIndex(weights);
    if (bad >= 0) throw new DataError(`setWeights: weight ${bad} is ${weights[bad]}; weights must be finite numbers.`);
    this.loadWeights(weights);
  }

  /**
   * The action for one observation of the env's observation space: sampled when `explore`
   * (default: the config's `explore`), else the most likely one. An observation outside the
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
    return this.computeAction(obs, explore);
  }

  /** Bumps and returns the weights version; call after each learner update. */
  protected nextWeightsVersion(): number {
    this.counters.weightsVersion += 1;
    return this.counters.weightsVersion;
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
  async train(): Promise<TrainResult> {
    this.assertUsable('train');
    return this.failOnError(() => this.runIteration());
  }

  private async runIteration(): Promise<TrainResult> {
    await this.ready();
    const started = now();
    const c = this.counters;
    const iteration = c.trainingIteration + 1;
    const interval = this.settings.evaluationInterval;
    const evaluationDue = interval !== null && interval > 0 && iteration % interval === 0;
    let step: TrainingStepResult;
    let evaluation: EvaluationResult | undefined;
    if (evaluationDue && this.settings.evaluationParallelToTraining) {
      // Evaluation threads measure the weights from before this step while the learner updates.
      [step, evaluation] = await Promise.all([this.trainingStep(), this.runEvaluation()]);
    } else {
      step = await this.trainingStep();
      evaluation = evaluationDue ? await this.runEvaluation() : undefined;
    }
    c.trainingIteration = iteration;
    c.numEnvStepsSampled += step.envStepsSampled;
    c.numEnvStepsTrained += step.envStepsTrained;
    c.episodesTotal += step.episodes.length;
    const summary = this.metricsWindow.update(step.episodes);
    const timeThisIterS = (now() - started) / 1000;
    c.timeTotalS += timeThisIterS;
    const health = this.workers.health();
    const result: TrainResult = {
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
   * Runs the policy on the evaluation workers for `evaluationDuration` episodes or timesteps (with
   * `evaluationConfig` applied, e.g. `explore: false`) and summarizes those episodes.
   */
  async evaluate(): Promise<EvaluationResult> {
    this.assertUsable('evaluate');
    return this.failOnError(() => this.runEvaluation());
  }

  private async runEvaluation(): Promise<EvaluationResult> {
    await this.ready();
    // Read the weights before any await: with parallel evaluation the training step may update them meanwhile.
    const weights = this.getWeights();
    const version = this.counters.weightsVersion;
    if (this.evaluationWorkers === null) this.evaluationWorkers = this.createEvaluationWorkers();
    const evalWorkers = this.evaluationWorkers;
    await evalWorkers.ready();
    await evalWorkers.syncWeights(weights, version);
    const s = this.settings;
    const duration = s.evaluationDuration === 'auto' ? 10 : s.evaluationDuration;
    const round = await evalWorkers.evaluate(s.evaluationDurationUnit, duration);
    return { ...summarizeEpisodes(round.episodes), numEnvStepsSampledThisIter: round.envSteps };
  }

  /**
   * Writes a checkpoint (config, weights, optimizer state, counters, the env's spaces) to directory
   * `dir` and returns its absolute path. Whenever the process dies, `dir` holds a complete
   * checkpoint — the previous one or this one (see `writeCheckpointDir`). Works after a failed
   * `train()` too (the last good state), but never writes non-finite weights.
   */
  async save(dir: string): Promise<string> {
    this.assertUsable('save', false);
    await this.ready();
    const learner = await this.getLearnerState();
    const bad = nonFiniteIndex(learner.weights);
    if (bad >= 0)
      throw new DataError(
        `save("${dir}"): weight ${bad} is ${learner.weights[bad]}; refusing to write a checkpoint with non-finite weights.`,
      );
    for (const tensor of learner.optimizer?.tensors ?? []) {
      const at = nonFiniteIndex(tensor.values);
      if (at >= 0) {
        throw new DataError(
          `save("${dir}"): optimizer tensor "${tensor.name}"[${at}] is ${tensor.values[at]}; refusing to write a checkpoint with non-finite state.`,
        );
      }
    }
    return writeSnapshot(dir, {
      algorithm: this.config.algorithm,
      config: this.config.toJSON(),
      counters: { ...this.counters },
      metricsWindow: this.metricsWindow.getState(),
      spaces: this.spacesJSON(),
      learner,
    });
  }

  private spacesJSON(): {
    observationSpace: ReturnType<Space<unknown>['toJSON']>;
    actionSpace: ReturnType<Space<unknown>['toJSON']>;
  } | null {
    const spaces = this.workers.spaces();
    return spaces === undefined ? null : { observationSpace: spaces.observationSpace.toJSON(), actionSpace: spaces.actionSpace.toJSON() };
  }

  /**
   * Loads a checkpoint written by `save` into this algorithm and pushes the weights to the workers.
   * The checkpoint must come from the same algorithm, env spaces and policy settings; a
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
      spec: current.spec,
      weightsLength: current.weights.length,
    });
    await this.setLearnerState(snapshot.learner);
    Object.assign(this.counters, snapshot.counters);
    this.metricsWindow.setState(snapshot.metricsWindow);
    await this.workers.syncWeights(this.getWeights(), this.counters.weightsVersion);
  }

  /** Builds the algorithm a checkpoint was saved from (its config, weights, optimizer and counters). */
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

  /** Frees learner resources (tensors); called once by `stop()`. */
  protected abstract disposeLearner(): Promise<void>;
}
