import type { AlgorithmConfig } from '../config/algorithmConfig.js';
import type { AllSettings } from '../config/settings.js';
import { CheckpointError, ConfigError } from '../errors.js';
import { createLogger, type Logger } from '../logger.js';
import { EpisodeMetricsWindow, type EpisodeStats, summarizeEpisodes } from '../metrics.js';
import type { Space } from '../spaces/index.js';
// Type-only (erased at run time): the main entry never loads tfjs.
import type { OptimizerState } from '../tf/optimizer.js';
import { bytesToFloat32, float32ToBytes, readCheckpointDir, writeCheckpointDir } from './checkpointFiles.js';
import type { EnvRunnerGroup, EnvRunnerGroupFactory } from './envRunnerGroup.js';
import { configFromJSON, lookupAlgorithm } from './registry.js';
import type { EvaluationResult, TrainingStepResult, TrainResult } from './result.js';

/** The learner's part of a checkpoint: flat weights, optimizer tensors and algorithm-specific scalars. */
export interface LearnerCheckpoint {
  readonly weights: Float32Array;
  /** The optimizer's tensors (names, shapes, values); `null` for a learner without optimizer state. */
  readonly optimizer: OptimizerState | null;
  /** Plain-data learner state, e.g. PPO's current KL coefficient. */
  readonly extra: Record<string, unknown>;
}

/** Options of `computeSingleAction`. */
export interface ComputeActionOptions {
  /** Sample (true) or take the most likely action (false); defaults to the config's `explore`. */
  readonly explore?: boolean;
}

interface Counters {
  trainingIteration: number;
  numEnvStepsSampled: number;
  numEnvStepsTrained: number;
  episodesTotal: number;
  timeTotalS: number;
  weightsVersion: number;
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
  /** Replaces the policy's weights (the learner's and the local inference copy; workers get them at the next sync). */
  abstract setWeights(weights: Float32Array): void;
  /** The action for one observation of the env's observation space. */
  abstract computeSingleAction(obs: unknown, options?: ComputeActionOptions): unknown;

  /** Bumps and returns the weights version; call after each learner update. */
  protected nextWeightsVersion(): number {
    this.counters.weightsVersion += 1;
    return this.counters.weightsVersion;
  }

  private assertRunning(what: string): void {
    if (this.stopped) throw new ConfigError(`${what}() was called after stop(); build a new algorithm.`);
  }

  /** Runs one training iteration and returns its result. */
  async train(): Promise<TrainResult> {
    this.assertRunning('train');
    await this.ready();
    const started = now();
    const c = this.counters;
    c.trainingIteration += 1;
    const interval = this.settings.evaluationInterval;
    const evaluationDue = interval !== null && interval > 0 && c.trainingIteration % interval === 0;
    let step: TrainingStepResult;
    let evaluation: EvaluationResult | undefined;
    if (evaluationDue && this.settings.evaluationParallelToTraining) {
      // Evaluation threads measure the weights from before this step while the learner updates.
      [step, evaluation] = await Promise.all([this.trainingStep(), this.evaluate()]);
    } else {
      step = await this.trainingStep();
      evaluation = evaluationDue ? await this.evaluate() : undefined;
    }
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
    this.assertRunning('evaluate');
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
   * Writes a checkpoint (config, weights, optimizer state, counters) to `dir` atomically and
   * returns its absolute path. An existing checkpoint there is replaced only once the new one is complete.
   */
  async save(dir: string): Promise<string> {
    this.assertRunning('save');
    await this.ready();
    const learner = await this.getLearnerState();
    const optimizerTensors = learner.optimizer?.tensors ?? [];
    const totalOptimizer = optimizerTensors.reduce((n, t) => n + t.values.length, 0);
    const optimizerValues = new Float32Array(totalOptimizer);
    let offset = 0;
    const optimizerIndex = optimizerTensors.map((t) => {
      optimizerValues.set(t.values, offset);
      const entry = { name: t.name, shape: [...t.shape], offset, length: t.values.length };
      offset += t.values.length;
      return entry;
    });
    const metadata = {
      algorithm: this.config.algorithm,
      config: this.config.toJSON(),
      counters: { ...this.counters },
      metricsWindow: this.metricsWindow.getState(),
      learnerExtra: learner.extra,
      optimizerIndex: learner.optimizer === null ? null : optimizerIndex,
      weightsLength: learner.weights.length,
    };
    return writeCheckpointDir(dir, metadata, {
      'weights.bin': float32ToBytes(learner.weights),
      'optimizer.bin': float32ToBytes(optimizerValues),
    });
  }

  /** Loads a checkpoint written by `save` into this algorithm (same algorithm and model shape) and pushes the weights to the workers. */
  async restore(dir: string): Promise<void> {
    this.assertRunning('restore');
    await this.ready();
    const { metadata, files } = await readCheckpointDir(dir);
    if (metadata.algorithm !== this.config.algorithm) {
      throw new CheckpointError(
        `Checkpoint "${dir}" holds a ${String(metadata.algorithm)} algorithm; this one is ${this.config.algorithm}.`,
      );
    }
    const weights = bytesToFloat32(files['weights.bin'] ?? new Uint8Array());
    const modelSize = this.getWeights().length;
    if (weights.length !== modelSize) {
      throw new CheckpointError(
        `Checkpoint "${dir}" has ${weights.length} weights; this model has ${modelSize} (different model settings or env?).`,
      );
    }
    const optimizerValues = bytesToFloat32(files['optimizer.bin'] ?? new Uint8Array());
    const index = metadata.optimizerIndex as Array<{ name: string; shape: number[]; offset: number; length: number }> | null;
    await this.setLearnerState({
      weights,
      optimizer:
        index === null
          ? null
          : { tensors: index.map((t) => ({ name: t.name, shape: t.shape, values: optimizerValues.slice(t.offset, t.offset + t.length) })) },
      extra: (metadata.learnerExtra ?? {}) as Record<string, unknown>,
    });
    Object.assign(this.counters, metadata.counters as Counters);
    this.metricsWindow.setState((metadata.metricsWindow ?? []) as EpisodeStats[]);
    await this.workers.syncWeights(this.getWeights(), this.counters.weightsVersion);
  }

  /** Builds the algorithm a checkpoint was saved from (its config, weights, optimizer and counters). */
  static async fromCheckpoint(dir: string): Promise<Algorithm> {
    const { metadata } = await readCheckpointDir(dir);
    const config = configFromJSON(metadata.config as Record<string, unknown>);
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
