import { appendFile, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigError, type Env, type Space } from '@loomrl/core';
import { type AgentObservation, checkSlate, type RecSimAgent } from './agent.js';
import { clickMetrics, type EnvMetrics, videoClusterMetrics } from './envMetrics.js';
import { recSimParts } from './layers/sufficientStatistics.js';
import { documentsOf } from './utils.js';

/** What a runner builds its agent from (RecSim's `create_agent_fn(sess, env, summary_writer, eval_mode)`). */
export type CreateAgent = (env: Env, context: { readonly evalMode: boolean }) => RecSimAgent;

/** Options every runner takes (RecSim's `Runner`). */
export interface RunnerOptions {
  /** Where metrics, checkpoints and logs go. */
  readonly baseDir: string;
  readonly createAgent: CreateAgent;
  /** A RecSim env with structured observations `{ user, doc, response }` (not flattened, slate actions). */
  readonly env: Env;
  /**
   * The env's own metrics (RecSim's metric hooks); default: video-cluster metrics when responses
   * have `click` and `clusterId`, else `CTR` when they have `click`, else none.
   */
  readonly metrics?: EnvMetrics | null;
  /** An episode is cut (truncated, not terminated) after this many steps (default 27 000). */
  readonly maxStepsPerEpisode?: number;
  /** A JSON-lines file (under `baseDir`) receiving every episode's steps; unset = none. */
  readonly episodeLogFile?: string;
  readonly checkpointFilePrefix?: string;
  /** Passed to the env's first `reset({ seed })` of the run (train) or of every phase (eval). */
  readonly seed?: number;
}

/** One episode's length, wall time and return. */
export interface EpisodeRecord {
  readonly length: number;
  readonly timeS: number;
  readonly reward: number;
}

/**
 * One line of a runner's `metrics.jsonl`: the phase's statistics (RecSim's summary tags) at
 * `totalSteps` env steps — what a plot reads.
 */
export interface PhaseMetrics {
  readonly phase: 'train' | 'eval';
  readonly iteration: number;
  readonly totalSteps: number;
  readonly episodes: number;
  readonly TimePerStep: number;
  readonly AverageEpisodeLength: number;
  readonly AverageEpisodeRewards: number;
  readonly StdEpisodeRewards: number;
  /** The env's own metrics (`CTR`, `AverageQuality`, `cluster_watch_count_frac/…`). */
  readonly [tag: string]: number | string;
}

function defaultMetrics(space: Space<unknown>): EnvMetrics | null {
  const { response } = recSimParts(space, 'Runner');
  const first = (response as unknown as { spaces?: readonly Space<unknown>[] }).spaces?.[0] as
    | { spaces?: Record<string, unknown> }
    | undefined;
  const keys = Object.keys(first?.spaces ?? {});
  if (keys.includes('click') && keys.includes('clusterId')) return videoClusterMetrics();
  return keys.includes('click') ? clickMetrics() : null;
}

/**
 * Runs an agent in a RecSim env episode by episode (RecSim's `runner_lib.Runner`): `reset`, then
 * `beginEpisode`, `step` after every env step, `endEpisode` with the last reward; the agent never
 * steps on the final observation. The agent sees `response: null` on the reset observation, and a
 * step-limit cut ends the episode with `terminated = false` (RecSim marked it terminal).
 */
export class Runner {
  protected readonly options: RunnerOptions;
  protected readonly env: Env;
  protected agent: RecSimAgent;
  protected readonly metrics: EnvMetrics | null;
  protected readonly outputDir: string;
  protected episodes: EpisodeRecord[] = [];
  private seedPending: number | undefined;
  private episodeIndex = 0;

  /** A runner writing under `options.baseDir/<phase dir>`. */
  constructor(options: RunnerOptions, phaseDir: string, evalMode: boolean) {
    if (typeof options.baseDir !== 'string' || options.baseDir.length === 0) throw new ConfigError('Runner: baseDir is required.');
    this.options = options;
    this.env = options.env;
    recSimParts(this.env.observationSpace, 'Runner');
    this.agent = options.createAgent(this.env, { evalMode });
    if (this.agent.multiUser) throw new ConfigError('Runner: a multi-user agent cannot run in a single-user RecSim env.');
    this.metrics = options.metrics === undefined ? defaultMetrics(this.env.observationSpace) : options.metrics;
    this.outputDir = join(options.baseDir, phaseDir);
    this.seedPending = options.seed;
  }

  /** Restarts the env's streams at `seed` before the next episode. */
  protected reseedNextEpisode(seed: number | undefined): void {
    this.seedPending = seed;
  }

  /** Runs one episode; returns its record (and appends it to this phase's episodes). */
  protected async runOneEpisode(): Promise<EpisodeRecord> {
    const started = performance.now();
    const seed = this.seedPending;
    this.seedPending = undefined;
    const first = this.env.reset(seed === undefined ? undefined : { seed }).obs as AgentObservation;
    const agentName = this.agent.constructor.name;
    let observation: AgentObservation = { ...first, response: null };
    let slate = checkSlate(this.agent.beginEpisode(observation), observation, this.agent.slateSize, agentName);
    const maxSteps = this.options.maxStepsPerEpisode ?? 27_000;
    const log: unknown[] = [];
    let total = 0;
    let steps = 0;
    for (;;) {
      const before = observation;
      const result = this.env.step(Int32Array.from(slate));
      observation = result.obs as AgentObservation;
      if (this.options.episodeLogFile !== undefined) log.push(this.logStep(before, slate, result.reward, result.terminated, observation));
      this.metrics?.update(observation.response ?? []);
      total += result.reward;
      steps += 1;
      const cut = !result.terminated && (result.truncated || steps >= maxSteps);
      if (result.terminated || cut) {
        this.agent.endEpisode(result.reward, observation, result.terminated);
        break;
      }
      slate = checkSlate(this.agent.step(result.reward, observation), observation, this.agent.slateSize, agentName);
    }
    if (this.options.episodeLogFile !== undefined) {
      await mkdir(this.options.baseDir, { recursive: true });
      const line = JSON.stringify({ episode: this.episodeIndex, steps: log });
      await appendFile(join(this.options.baseDir, this.options.episodeLogFile), `${line}\n`);
    }
    this.episodeIndex += 1;
    const record = { length: steps, timeS: (performance.now() - started) / 1000, reward: total };
    this.episodes.push(record);
    return record;
  }

  /** One step of the episode log: the user and candidates before it (flattened), the slate, the reward, the responses by key. */
  private logStep(before: AgentObservation, slate: readonly number[], reward: number, terminal: boolean, after: AgentObservation): unknown {
    const { user, doc } = recSimParts(this.env.observationSpace, 'Runner');
    const docSpace = Object.values(doc.spaces as Record<string, Space<unknown>>)[0] as Space<unknown>;
    return {
      user: Array.from(user.flatten(before.user)),
      slate: [...slate],
      reward,
      isTerminal: terminal,
      doc: documentsOf(before.doc).map((d) => Array.from(docSpace.flatten(d))),
      response: (after.response ?? []).map((r) =>
        Object.fromEntries(
          Object.entries(r as Record<string, unknown>).map(([k, v]) => [k, typeof v === 'number' ? v : Array.from(v as ArrayLike<number>)]),
        ),
      ),
    };
  }

  /** Starts a phase: no episodes, fresh env metrics. */
  protected startPhase(): void {
    this.episodes = [];
    this.metrics?.reset();
  }

  /** The phase's statistics, appended as one line to `<outputDir>/metrics.jsonl` and returned. */
  protected async writeMetrics(phase: 'train' | 'eval', iteration: number, totalSteps: number): Promise<PhaseMetrics> {
    const n = this.episodes.length;
    const lengths = this.episodes.reduce((a, e) => a + e.length, 0);
    const mean = n === 0 ? 0 : this.episodes.reduce((a, e) => a + e.reward, 0) / n;
    const variance = n === 0 ? 0 : this.episodes.reduce((a, e) => a + (e.reward - mean) ** 2, 0) / n;
    const line: PhaseMetrics = {
      phase,
      iteration,
      totalSteps,
      episodes: n,
      TimePerStep: lengths === 0 ? 0 : this.episodes.reduce((a, e) => a + e.timeS, 0) / lengths,
      AverageEpisodeLength: n === 0 ? 0 : lengths / n,
      AverageEpisodeRewards: mean,
      StdEpisodeRewards: Math.sqrt(variance),
      ...(this.metrics?.write() ?? {}),
    };
    await mkdir(this.outputDir, { recursive: true });
    await appendFile(join(this.outputDir, 'metrics.jsonl'), `${JSON.stringify(line)}\n`);
    return line;
  }

  /** The directory of this runner's checkpoints. */
  protected get checkpointDir(): string {
    return join(this.options.baseDir, 'train', 'checkpoints');
  }

  protected get prefix(): string {
    return this.options.checkpointFilePrefix ?? 'ckpt';
  }
}

/** Reads the per-phase lines a runner wrote (`<baseDir>/train/metrics.jsonl` or an eval dir's). */
export async function readRunnerMetrics(file: string): Promise<PhaseMetrics[]> {
  const text = await readFile(file, 'utf8');
  return text
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .map((line) => JSON.parse(line) as PhaseMetrics);
}

/** The newest complete checkpoint iteration in `dir` (the highest sentinel), or −1. */
async function newestCheckpoint(dir: string): Promise<number> {
  const files = await readdir(dir).catch(() => [] as string[]);
  const iterations = files.flatMap((f) => {
    const m = /^sentinel_checkpoint_complete\.(\d+)$/.exec(f);
    return m === null ? [] : [Number(m[1])];
  });
  return iterations.length === 0 ? -1 : Math.max(...iterations);
}

/** Options of `TrainRunner` (RecSim's defaults). */
export interface TrainRunnerOptions extends RunnerOptions {
  /** Env steps per training iteration (the last episode overshoots; default 250 000). */
  readonly maxTrainingSteps?: number;
  readonly numIterations?: number;
  /** Checkpoint every this many iterations (default 1). */
  readonly checkpointFrequency?: number;
}

/**
 * Trains an agent for `numIterations` × `maxTrainingSteps` env steps (RecSim's `TrainRunner`),
 * writing one `metrics.jsonl` line per iteration under `<baseDir>/train` and a JSON checkpoint of the
 * agent's bundle (`ckpt.<iteration>` + sentinel; the newest 4 are kept). `runExperiment` resumes
 * from the newest complete checkpoint, at its iteration + 1 and its step count (RecSim adds 1 to
 * the step count on resume; LoomRL does not).
 */
export class TrainRunner extends Runner {
  private readonly train: Required<Pick<TrainRunnerOptions, 'maxTrainingSteps' | 'numIterations' | 'checkpointFrequency'>>;

  /** A runner whose agent is built with `evalMode: false`. */
  constructor(options: TrainRunnerOptions) {
    super(options, 'train', false);
    this.train = {
      maxTrainingSteps: options.maxTrainingSteps ?? 250_000,
      numIterations: options.numIterations ?? 100,
      checkpointFrequency: options.checkpointFrequency ?? 1,
    };
  }

  /** The agent being trained. */
  get trainedAgent(): RecSimAgent {
    return this.agent;
  }

  /** Runs the remaining iterations; returns the metrics line of each iteration run. */
  async runExperiment(): Promise<PhaseMetrics[]> {
    const { start, totalSteps: resumed } = await this.resume();
    let totalSteps = resumed;
    const lines: PhaseMetrics[] = [];
    for (let iteration = start; iteration < this.train.numIterations; iteration++) {
      this.startPhase();
      let phaseSteps = 0;
      while (phaseSteps < this.train.maxTrainingSteps) phaseSteps += (await this.runOneEpisode()).length;
      totalSteps += phaseSteps;
      lines.push(await this.writeMetrics('train', iteration, totalSteps));
      if (iteration % this.train.checkpointFrequency === 0) await this.checkpoint(iteration, totalSteps);
    }
    return lines;
  }

  private async resume(): Promise<{ start: number; totalSteps: number }> {
    const latest = await newestCheckpoint(this.checkpointDir);
    if (latest < 0) return { start: 0, totalSteps: 0 };
    if (this.options.episodeLogFile !== undefined)
      throw new ConfigError('TrainRunner: resuming with an episode log file is not supported.');
    const data = JSON.parse(await readFile(join(this.checkpointDir, `${this.prefix}.${latest}`), 'utf8')) as Record<string, unknown>;
    if (!this.agent.unbundle(this.checkpointDir, latest, data)) {
      throw new ConfigError(`TrainRunner: the agent could not restore checkpoint ${latest} in ${this.checkpointDir}.`);
    }
    return { start: (data.current_iteration as number) + 1, totalSteps: data.total_steps as number };
  }

  private async checkpoint(iteration: number, totalSteps: number): Promise<void> {
    await mkdir(this.checkpointDir, { recursive: true });
    const bundle = this.agent.bundleAndCheckpoint(this.checkpointDir, iteration);
    if (bundle === null || Object.keys(bundle).length === 0) return;
    const file = join(this.checkpointDir, `${this.prefix}.${iteration}`);
    await writeFile(file, JSON.stringify({ ...bundle, current_iteration: iteration, total_steps: totalSteps }));
    await writeFile(join(this.checkpointDir, `sentinel_checkpoint_complete.${iteration}`), '');
    const stale = iteration - 4;
    if (stale >= 0) {
      await rm(join(this.checkpointDir, `${this.prefix}.${stale}`), { force: true });
      await rm(join(this.checkpointDir, `sentinel_checkpoint_complete.${stale}`), { force: true });
    }
  }
}

/** Options of `EvalRunner` (RecSim's defaults). */
export interface EvalRunnerOptions extends RunnerOptions {
  /** Episodes per evaluation phase (default 125 000). */
  readonly maxEvalEpisodes?: number;
  /** Evaluate one checkpoint and stop (default false: keep polling). */
  readonly testMode?: boolean;
  /** Seconds between polls for a new checkpoint (default 30). */
  readonly minIntervalSecs?: number;
  /** Where the training runner's checkpoints are (default `baseDir`). */
  readonly trainBaseDir?: string;
  /** Stop polling after this many checkpoints (LoomRL; default unlimited unless `testMode`). */
  readonly maxCheckpoints?: number;
}

/**
 * Evaluates a training run's checkpoints as they appear (RecSim's `EvalRunner`): for each new
 * checkpoint it restores the agent (built with `evalMode: true`), restarts the env's streams at
 * `seed` (default 0) so every phase sees the same users and documents, runs `maxEvalEpisodes`
 * episodes, and writes a `metrics.jsonl` line (at the checkpoint's step count) and the file
 * `returns_<totalSteps>` (JSON list of returns) under `<baseDir>/eval_<maxEvalEpisodes>`.
 */
export class EvalRunner extends Runner {
  private readonly evaluation: EvalRunnerOptions;

  /** A runner whose agent is built with `evalMode: true`. */
  constructor(options: EvalRunnerOptions) {
    super(options, `eval_${options.maxEvalEpisodes ?? 125_000}`, true);
    this.evaluation = options;
  }

  protected override get checkpointDir(): string {
    return join(this.evaluation.trainBaseDir ?? this.options.baseDir, 'train', 'checkpoints');
  }

  /** Evaluates checkpoints until `testMode` or `maxCheckpoints` says stop; returns the metrics lines. */
  async runExperiment(): Promise<PhaseMetrics[]> {
    const lines: PhaseMetrics[] = [];
    const episodes = this.evaluation.maxEvalEpisodes ?? 125_000;
    const limit = this.evaluation.testMode ? 1 : (this.evaluation.maxCheckpoints ?? Number.POSITIVE_INFINITY);
    let last = -1;
    while (lines.length < limit) {
      const latest = await newestCheckpoint(this.checkpointDir);
      if (latest <= last) {
        await new Promise((resolve) => setTimeout(resolve, (this.evaluation.minIntervalSecs ?? 30) * 1000));
        continue;
      }
      last = latest;
      const data = JSON.parse(await readFile(join(this.checkpointDir, `${this.prefix}.${latest}`), 'utf8')) as Record<string, unknown>;
      if (!this.agent.unbundle(this.checkpointDir, latest, data)) {
        throw new ConfigError(`EvalRunner: the agent could not restore checkpoint ${latest} in ${this.checkpointDir}.`);
      }
      this.startPhase();
      this.reseedNextEpisode(this.options.seed ?? 0);
      for (let e = 0; e < episodes; e++) await this.runOneEpisode();
      const totalSteps = data.total_steps as number;
      lines.push(await this.writeMetrics('eval', latest, totalSteps));
      await writeFile(join(this.outputDir, `returns_${totalSteps}`), JSON.stringify(this.episodes.map((e) => e.reward)));
    }
    return lines;
  }
}
