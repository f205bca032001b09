import {
  type ActOutput,
  type Column,
  type ColumnDtype,
  DataError,
  type EpisodeStats,
  type InferenceModule,
  type Rng,
  type RngState,
  SampleBatch,
  type TransitionColumns,
  type VectorEnv,
} from '@loomrl/core';
import { type ActionAdapter, allocateColumn, nonFiniteIndex } from '@loomrl/core/internal';
import { nonFiniteValueError } from './finiteCheck.js';
import { GrowableColumns } from './growableColumns.js';
import { SamplerPerfMeter } from './samplerPerf.js';

/** How a sampler turns env rewards into training rewards (RLlib `clip_rewards`). */
export type RewardClip = boolean | number | null;

/** Options of a `Sampler`. */
export interface SamplerOptions {
  readonly workerIndex: number;
  /** One action stream per env, keyed by the env's global index. */
  readonly rngs: readonly Rng[];
  /** Global index of this worker's first env (worker offset), used to tag finished episodes. */
  readonly globalEnvOffset: number;
  readonly adapter: ActionAdapter;
  readonly clipRewards: RewardClip;
  /** Per-env seeds for the first reset. */
  readonly envSeeds: readonly (number | undefined)[];
  /** The env id, for error messages. */
  readonly envId?: string;
  /** Numeric `info` keys summed per episode into `EpisodeStats.customMetrics`. */
  readonly infoMetrics?: readonly string[];
  /**
   * Env steps all workers take together per env step of this sampler (the number of workers
   * stepping in lockstep; 1 for the local worker), so exploration sees the same global timestep
   * however the envs are split across workers.
   */
  readonly timestepScale?: number;
}

/** A sampler's whole state between calls (plain data), for checkpoints that continue episodes bit for bit. */
export interface SamplerState {
  readonly obs: number[] | null;
  readonly epsIds: number[];
  readonly episodeReturns: number[];
  readonly episodeLengths: number[];
  readonly episodeCounter: number;
  readonly vectorSteps: number;
  readonly envSteps: number;
  readonly rngs: RngState[];
  /** Per env, the custom-metric sums of its current episode. */
  readonly infoSums: Record<string, number>[];
  /** Unfinished episodes of `'complete_episodes'` sampling: rows and columns per env. */
  readonly episodeBuffers: { rows: number; columns: Record<string, number[]> }[] | null;
}

const BASE_KINDS = {
  obs: 'f32',
  nextObs: 'f32',
  actions: 'f32',
  rewards: 'f32',
  terminateds: 'u8',
  truncateds: 'u8',
  epsId: 'f64',
  envId: 'i32',
  t: 'i32',
} as const satisfies Record<keyof TransitionColumns & string, ColumnDtype>;

function clipReward(reward: number, clip: RewardClip): number {
  if (clip === null || clip === false) return reward;
  if (clip === true) return Math.sign(reward);
  return Math.max(-clip, Math.min(clip, reward));
}

const now = (): number => performance.now();

/** Writes one env's row of a step: where to put it, given the observation, actions and the module's columns. */
type RowWriter = (e: number, obs: Float32Array, acted: ActOutput) => void;
/** Writes one env's outcome: reward, flags and the observation after the step. */
type OutcomeWriter = (e: number, reward: number, terminated: boolean, truncated: boolean, nextObs: Float32Array) => void;

/**
 * Steps a vector env with one module call per vector step and writes columnar transition rows
 * (obs, nextObs, actions, rewards, flags, episode ids and the module's declared columns):
 * fragments of `T` steps per env (`'truncate_episodes'`, rows env-major) or whole episodes
 * (`'complete_episodes'`). Keeps episode state across calls; never posts per-step messages.
 * Refuses NaN/±Infinity observations and rewards, and module output that disagrees with its declaration.
 */
export class Sampler {
  private readonly vec: VectorEnv;
  private module: InferenceModule;
  private readonly options: SamplerOptions;
  private kinds: Record<string, ColumnDtype>;
  private widths: Record<string, number>;
  private obs: Float32Array | null = null;
  private readonly epsIds: Float64Array;
  private readonly episodeReturns: Float64Array;
  private readonly episodeLengths: Int32Array;
  private episodeCounter = 0;
  /** Vector steps taken since construction; workers step in lockstep, so it orders episodes across workers. */
  private vectorSteps = 0;
  /** Env steps taken since the last `setTimestep`. */
  private stepsSinceTimestep = 0;
  private timestepBase = 0;
  private completed: EpisodeStats[] = [];
  private readonly perf = new SamplerPerfMeter();
  private readonly envActions: unknown[];
  private episodeBuffers: GrowableColumns<string>[] | null = null;
  /** Per env, the sums of the `infoMetrics` keys over its current episode (empty when none are asked for). */
  private readonly infoSums: Record<string, number>[];

  /** A sampler over `vec` acting with `module`. */
  constructor(vec: VectorEnv, module: InferenceModule, options: SamplerOptions) {
    this.vec = vec;
    this.options = options;
    const n = vec.numEnvs;
    this.epsIds = new Float64Array(n);
    this.episodeReturns = new Float64Array(n);
    this.episodeLengths = new Int32Array(n);
    this.envActions = new Array<unknown>(n);
    this.infoSums = Array.from({ length: n }, () => ({}));
    this.module = module;
    ({ kinds: this.kinds, widths: this.widths } = this.columnsOf(module));
  }

  private columnsOf(module: InferenceModule): { kinds: Record<string, ColumnDtype>; widths: Record<string, number> } {
    const dim = this.vec.obsDim;
    const kinds: Record<string, ColumnDtype> = { ...BASE_KINDS };
    const widths: Record<string, number> = {
      obs: dim,
      nextObs: dim,
      actions: module.actionDim,
      rewards: 1,
      terminateds: 1,
      truncateds: 1,
      epsId: 1,
      envId: 1,
      t: 1,
    };
    for (const [name, decl] of Object.entries(module.outputColumns)) {
      if (name in BASE_KINDS)
        throw new DataError(`Module "${module.spec.kind}" declares column "${name}", which the sampler writes itself.`);
      kinds[name] = decl.dtype;
      widths[name] = decl.width;
    }
    return { kinds, widths };
  }

  /** Acts with another module from now on (its columns replace the old module's). */
  setModule(module: InferenceModule): void {
    this.module = module;
    ({ kinds: this.kinds, widths: this.widths } = this.columnsOf(module));
    this.episodeBuffers = null;
  }

  /** The global timestep the learner reported; exploration sees it plus the env steps sampled since. */
  setTimestep(timestep: number): void {
    this.timestepBase = timestep;
    this.stepsSinceTimestep = 0;
  }

  private newEpisodeId(): number {
    this.episodeCounter += 1;
    // Unique across workers: worker index in the high part, a per-worker counter below.
    return this.options.workerIndex * 2 ** 32 + this.episodeCounter;
  }

  /** Refuses NaN/±Infinity in env `e`'s row of `obs` (one multiply-add per value when all is well, no allocation). */
  private checkObs(obs: Float32Array, e: number, episodeStep: number): void {
    const dim = this.vec.obsDim;
    const bad = nonFiniteIndex(obs, dim, e * dim);
    if (bad >= 0) throw this.nonFinite('observation', bad, obs[e * dim + bad] as number, e, episodeStep);
  }

  private nonFinite(what: 'observation' | 'reward', component: number | null, value: number, e: number, episodeStep: number): Error {
    const origin = { envId: this.options.envId ?? 'env', workerIndex: this.options.workerIndex, envIndex: e, episodeStep };
    return nonFiniteValueError(what, component, value, origin);
  }

  private resetAll(seeds?: readonly (number | undefined)[]): Float32Array {
    const obs = this.vec.reset(seeds);
    for (let e = 0; e < this.vec.numEnvs; e++) this.checkObs(obs, e, 0);
    return obs;
  }

  private currentObs(): Float32Array {
    if (this.obs === null) {
      this.obs = this.resetAll(this.options.envSeeds);
      for (let e = 0; e < this.vec.numEnvs; e++) this.epsIds[e] = this.newEpisodeId();
    }
    return this.obs;
  }

  /** Starts fresh episodes in every env (their partial episodes are dropped). */
  resetEpisodes(): void {
    // The first reset of a sampler's envs uses their seeds; later ones continue their streams.
    this.obs = this.obs === null ? this.resetAll(this.options.envSeeds) : this.resetAll();
    this.episodeReturns.fill(0);
    this.episodeLengths.fill(0);
    this.episodeBuffers = null;
    for (let e = 0; e < this.vec.numEnvs; e++) {
      this.epsIds[e] = this.newEpisodeId();
      this.infoSums[e] = {};
    }
  }

  /** Throws a `DataError` when the module's output does not match what it declared. */
  private checkOutput(acted: ActOutput, rows: number): void {
    const m = this.module;
    const declared = m.outputColumns;
    if (acted.actions.length !== rows * m.actionDim) {
      throw new DataError(
        `Module "${m.spec.kind}" wrote ${acted.actions.length} action values for ${rows} rows; it declared actionDim ${m.actionDim}.`,
      );
    }
    const written = Object.keys(acted.columns);
    const names = Object.keys(declared);
    if (written.length !== names.length || written.some((name) => declared[name] === undefined)) {
      throw new DataError(`Module "${m.spec.kind}" wrote columns [${written.join(', ')}]; it declared [${names.join(', ')}].`);
    }
    for (const name of names) {
      const column = acted.columns[name] as Column;
      const decl = declared[name] as { width: number };
      if (column.length !== rows * decl.width) {
        throw new DataError(
          `Module "${m.spec.kind}" wrote ${column.length} values of column "${name}" for ${rows} rows; it declared width ${decl.width}.`,
        );
      }
    }
  }

  /**
   * One vector step. `writeRow(e, …)` receives each env's row before the env steps and
   * `writeOutcome` its result; envs whose episode ended get a new episode id. Returns those envs.
   */
  private step(explore: boolean, writeRow: RowWriter | null, writeOutcome: OutcomeWriter | null): number[] {
    const n = this.vec.numEnvs;
    const obs = this.currentObs();
    this.vectorSteps += 1;
    const t0 = now();
    const timestep = this.timestepBase + this.stepsSinceTimestep;
    const acted = this.module.computeActions(obs, n, { explore, rngs: this.options.rngs, timestep });
    this.checkOutput(acted, n);
    for (let e = 0; e < n; e++) this.envActions[e] = this.options.adapter(acted.actions, e);
    const t1 = now();
    if (writeRow !== null) for (let e = 0; e < n; e++) writeRow(e, obs, acted);
    const t2 = now();
    const result = this.vec.step(this.envActions);
    const t3 = now();
    this.stepsSinceTimestep += n * (this.options.timestepScale ?? 1);
    const ended: number[] = [];
    for (let e = 0; e < n; e++) {
      const raw = result.rewards[e] as number;
      const terminated = result.terminateds[e] === 1;
      const truncated = result.truncateds[e] === 1;
      const episodeStep = (this.episodeLengths[e] as number) + 1;
      if (!Number.isFinite(raw)) throw this.nonFinite('reward', null, raw, e, episodeStep);
      const done = terminated || truncated;
      const next = done ? result.finalObs : result.obs;
      this.checkObs(next, e, episodeStep);
      if (done) this.checkObs(result.obs, e, 0);
      writeOutcome?.(e, clipReward(raw, this.options.clipRewards), terminated, truncated, next);
      this.episodeReturns[e] = (this.episodeReturns[e] as number) + raw;
      this.episodeLengths[e] = episodeStep;
      const infoMetrics = this.options.infoMetrics;
      if (infoMetrics !== undefined && infoMetrics.length > 0) this.addInfo(e, result.infos[e], infoMetrics);
      if (done) {
        ended.push(e);
        this.completed.push({
          episodeReturn: this.episodeReturns[e] as number,
          episodeLength: episodeStep,
          envIndex: this.options.globalEnvOffset + e,
          endStep: this.vectorSteps,
          ...(infoMetrics !== undefined && infoMetrics.length > 0 ? { customMetrics: this.infoSums[e] } : {}),
        });
        this.infoSums[e] = {};
        this.episodeReturns[e] = 0;
        this.episodeLengths[e] = 0;
      }
    }
    for (const e of ended) this.epsIds[e] = this.newEpisodeId();
    obs.set(result.obs);
    const t4 = now();
    this.perf.record(t3 - t2, t1 - t0, t2 - t1 + (t4 - t3));
    return ended;
  }

  /** Adds the numeric `keys` of env `e`'s step info to its episode sums. */
  private addInfo(e: number, info: Readonly<Record<string, unknown>> | undefined, keys: readonly string[]): void {
    const sums = this.infoSums[e] as Record<string, number>;
    for (const key of keys) {
      const value = info?.[key];
      if (typeof value === 'number' && Number.isFinite(value)) sums[key] = (sums[key] ?? 0) + value;
    }
  }

  /** Copies env `e`'s row of a module column into `target` at `row`. */
  private static copyRow(target: Column, source: Column, e: number, row: number, width: number): void {
    if (width === 1) target[row] = source[e] as number;
    else target.set(source.subarray(e * width, (e + 1) * width), row * width);
  }

  /** `fragmentLength` steps from every env, rows env-major (env e's steps are rows `e·T … e·T+T−1`). */
  sampleFragment(fragmentLength: number, explore: boolean): SampleBatch<TransitionColumns> {
    const n = this.vec.numEnvs;
    const T = fragmentLength;
    const rows = n * T;
    const w = this.widths;
    const dim = this.vec.obsDim;
    const c: Record<string, Column> = {};
    for (const [name, kind] of Object.entries(this.kinds)) c[name] = allocateColumn(kind, rows * (w[name] as number));
    const obsColumn = c.obs as Float32Array;
    const nextObsColumn = c.nextObs as Float32Array;
    const moduleColumns = Object.keys(this.module.outputColumns);
    let t = 0;
    const writeRow: RowWriter = (e, obs, acted) => {
      const row = e * T + t;
      obsColumn.set(obs.subarray(e * dim, (e + 1) * dim), row * dim);
      Sampler.copyRow(c.actions as Column, acted.actions, e, row, w.actions as number);
      for (const name of moduleColumns) Sampler.copyRow(c[name] as Column, acted.columns[name] as Column, e, row, w[name] as number);
      (c.epsId as Float64Array)[row] = this.epsIds[e] as number;
      (c.envId as Int32Array)[row] = e;
      (c.t as Int32Array)[row] = this.episodeLengths[e] as number;
    };
    const writeOutcome: OutcomeWriter = (e, reward, terminated, truncated, nextObs) => {
      const row = e * T + t;
      (c.rewards as Float32Array)[row] = reward;
      (c.terminateds as Uint8Array)[row] = terminated ? 1 : 0;
      (c.truncateds as Uint8Array)[row] = truncated ? 1 : 0;
      nextObsColumn.set(nextObs.subarray(e * dim, (e + 1) * dim), row * dim);
    };
    for (t = 0; t < T; t++) this.step(explore, writeRow, writeOutcome);
    return new SampleBatch<TransitionColumns>(rows, w as never, c as unknown as TransitionColumns);
  }

  /** Whole episodes only, at least `minSteps` rows in all; unfinished episodes wait for the next call. */
  sampleCompleteEpisodes(minSteps: number, explore: boolean): SampleBatch<TransitionColumns> {
    const n = this.vec.numEnvs;
    const w = this.widths;
    const dim = this.vec.obsDim;
    if (this.episodeBuffers === null) {
      this.episodeBuffers = Array.from({ length: n }, () => new GrowableColumns<string>(this.kinds, w));
    }
    const buffers = this.episodeBuffers;
    const moduleColumns = Object.keys(this.module.outputColumns);
    const done: SampleBatch<TransitionColumns>[] = [];
    let doneRows = 0;
    const lastRow = new Int32Array(n);
    const writeRow: RowWriter = (e, obs, acted) => {
      const b = buffers[e] as GrowableColumns<string>;
      const row = b.pushRow();
      lastRow[e] = row;
      b.column('obs').set(obs.subarray(e * dim, (e + 1) * dim), row * dim);
      Sampler.copyRow(b.column('actions'), acted.actions, e, row, w.actions as number);
      for (const name of moduleColumns) Sampler.copyRow(b.column(name), acted.columns[name] as Column, e, row, w[name] as number);
      b.column('epsId')[row] = this.epsIds[e] as number;
      b.column('envId')[row] = e;
      b.column('t')[row] = this.episodeLengths[e] as number;
    };
    const writeOutcome: OutcomeWriter = (e, reward, terminated, truncated, nextObs) => {
      const b = buffers[e] as GrowableColumns<string>;
      const row = lastRow[e] as number;
      b.column('rewards')[row] = reward;
      b.column('terminateds')[row] = terminated ? 1 : 0;
      b.column('truncateds')[row] = truncated ? 1 : 0;
      b.column('nextObs').set(nextObs.subarray(e * dim, (e + 1) * dim), row * dim);
    };
    while (doneRows < minSteps) {
      for (const e of this.step(explore, writeRow, writeOutcome)) {
        const b = buffers[e] as GrowableColumns<string>;
        const rows = b.rows;
        done.push(new SampleBatch<TransitionColumns>(rows, w as never, b.drain() as unknown as TransitionColumns));
        doneRows += rows;
      }
    }
    return SampleBatch.concat(done);
  }

  /** Steps until `count` episodes (unit `'episodes'`) or env steps (`'timesteps'`) are done; returns the episodes that finished. */
  run(unit: 'episodes' | 'timesteps', count: number, explore: boolean): { episodes: EpisodeStats[]; envSteps: number } {
    const before = this.completed.length;
    let envSteps = 0;
    const finished = () => (unit === 'episodes' ? this.completed.length - before >= count : envSteps >= count);
    while (!finished()) {
      this.step(explore, null, null);
      envSteps += this.vec.numEnvs;
    }
    const episodes = this.completed.splice(before);
    return { episodes: unit === 'episodes' ? episodes.slice(0, count) : episodes, envSteps };
  }

  /** Episodes finished since the last call. */
  takeEpisodes(): EpisodeStats[] {
    const episodes = this.completed;
    this.completed = [];
    return episodes;
  }

  /** Phase timings since the last call. */
  takePerf(): ReturnType<SamplerPerfMeter['take']> {
    return this.perf.take();
  }

  /** The sampler's state between calls (episodes in progress, counters, action streams). */
  getState(): SamplerState {
    return {
      obs: this.obs === null ? null : Array.from(this.obs),
      epsIds: Array.from(this.epsIds),
      episodeReturns: Array.from(this.episodeReturns),
      episodeLengths: Array.from(this.episodeLengths),
      episodeCounter: this.episodeCounter,
      vectorSteps: this.vectorSteps,
      envSteps: this.stepsSinceTimestep,
      rngs: this.options.rngs.map((rng) => rng.getState()),
      infoSums: this.infoSums.map((sums) => ({ ...sums })),
      episodeBuffers:
        this.episodeBuffers?.map((b) => {
          const columns: Record<string, number[]> = {};
          for (const [name, column] of Object.entries(b.copyRows())) columns[name] = Array.from(column);
          return { rows: b.rows, columns };
        }) ?? null,
    };
  }

  /** Continues from `getState()` output (the envs' own states are restored by the worker). */
  setState(state: SamplerState): void {
    this.obs = state.obs === null ? null : Float32Array.from(state.obs);
    this.epsIds.set(state.epsIds);
    this.episodeReturns.set(state.episodeReturns);
    this.episodeLengths.set(state.episodeLengths);
    this.episodeCounter = state.episodeCounter;
    this.vectorSteps = state.vectorSteps;
    this.stepsSinceTimestep = state.envSteps;
    state.infoSums.forEach((sums, e) => {
      this.infoSums[e] = { ...sums };
    });
    state.rngs.forEach((rngState, i) => {
      this.options.rngs[i]?.setState(rngState);
    });
    this.episodeBuffers =
      state.episodeBuffers?.map((saved) => {
        const buffer = new GrowableColumns<string>(this.kinds, this.widths);
        buffer.load(saved.rows, saved.columns);
        return buffer;
      }) ?? null;
  }
}
