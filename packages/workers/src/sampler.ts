import {
  type ActionAdapter,
  type ActorCriticInference,
  type EpisodeStats,
  nonFiniteIndex,
  type Rng,
  type RolloutColumns,
  SampleBatch,
  type VectorEnv,
} from '@loomrl/core';
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
}

type RowColumn =
  | 'obs'
  | 'actions'
  | 'rewards'
  | 'terminateds'
  | 'truncateds'
  | 'actionLogp'
  | 'actionDistInputs'
  | 'bootstrapValues'
  | 'epsId'
  | 'envId'
  | 't';

const ROW_KINDS: Record<RowColumn, 'f32' | 'f64' | 'i32' | 'u8'> = {
  obs: 'f32',
  actions: 'f32',
  rewards: 'f32',
  terminateds: 'u8',
  truncateds: 'u8',
  actionLogp: 'f32',
  actionDistInputs: 'f32',
  bootstrapValues: 'f32',
  epsId: 'f64',
  envId: 'i32',
  t: 'i32',
};

function clipReward(reward: number, clip: RewardClip): number {
  if (clip === null || clip === false) return reward;
  if (clip === true) return Math.sign(reward);
  return Math.max(-clip, Math.min(clip, reward));
}

const now = (): number => performance.now();

/**
 * Steps a vector env with one inference call per vector step and writes columnar rows:
 * fragments of `T` steps per env (`'truncate_episodes'`, rows env-major) or whole episodes
 * (`'complete_episodes'`). Keeps episode state across calls; never posts per-step messages.
 */
export class Sampler {
  private readonly vec: VectorEnv;
  private readonly module: ActorCriticInference;
  private readonly options: SamplerOptions;
  private readonly widths: Record<RowColumn, number>;
  private obs: Float32Array | null = null;
  private readonly epsIds: Float64Array;
  private readonly episodeReturns: Float64Array;
  private readonly episodeLengths: Int32Array;
  private episodeCounter = 0;
  /** Vector steps taken since construction; workers step in lockstep, so it orders episodes across workers. */
  private vectorSteps = 0;
  private completed: EpisodeStats[] = [];
  private readonly perf = new SamplerPerfMeter();
  private envActions: unknown[];
  private episodeBuffers: GrowableColumns<RowColumn>[] | null = null;

  /** A sampler over `vec` acting with `module`. */
  constructor(vec: VectorEnv, module: ActorCriticInference, options: SamplerOptions) {
    this.vec = vec;
    this.module = module;
    this.options = options;
    const n = vec.numEnvs;
    this.epsIds = new Float64Array(n);
    this.episodeReturns = new Float64Array(n);
    this.episodeLengths = new Int32Array(n);
    this.envActions = new Array<unknown>(n);
    this.widths = {
      obs: vec.obsDim,
      actions: module.actionDim,
      rewards: 1,
      terminateds: 1,
      truncateds: 1,
      actionLogp: 1,
      actionDistInputs: module.distInputDim,
      bootstrapValues: 1,
      epsId: 1,
      envId: 1,
      t: 1,
    };
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
    for (let e = 0; e < this.vec.numEnvs; e++) this.epsIds[e] = this.newEpisodeId();
  }

  /**
   * One vector step, acting only (V(s) is the learner's job; bootstraps use `valuesOf`).
   * `writeRow(e, …)` receives each env's row data before the env steps and `writeOutcome` its
   * result; envs whose episode ended get a new episode id. Returns those envs and, for truncated
   * ones, the final observations to bootstrap from.
   */
  private step(
    explore: boolean,
    writeRow: ((e: number, obs: Float32Array, batch: ReturnType<ActorCriticInference['computeActions']>) => void) | null,
    writeOutcome: ((e: number, reward: number, terminated: boolean, truncated: boolean) => void) | null,
  ): { ended: number[]; truncatedEnvs: number[]; finalObs: Float32Array } {
    const n = this.vec.numEnvs;
    const obs = this.currentObs();
    this.vectorSteps += 1;
    const t0 = now();
    const acted = this.module.computeActions(obs, n, explore, this.options.rngs, false);
    for (let e = 0; e < n; e++) this.envActions[e] = this.options.adapter(acted.actions, e);
    const t1 = now();
    if (writeRow !== null) for (let e = 0; e < n; e++) writeRow(e, obs, acted);
    const t2 = now();
    const result = this.vec.step(this.envActions);
    const t3 = now();
    const ended: number[] = [];
    const truncatedEnvs: number[] = [];
    for (let e = 0; e < n; e++) {
      const raw = result.rewards[e] as number;
      const terminated = result.terminateds[e] === 1;
      const truncated = result.truncateds[e] === 1;
      const episodeStep = (this.episodeLengths[e] as number) + 1;
      if (!Number.isFinite(raw)) throw this.nonFinite('reward', null, raw, e, episodeStep);
      if (terminated || truncated) {
        this.checkObs(result.finalObs, e, episodeStep);
        this.checkObs(result.obs, e, 0);
      } else {
        this.checkObs(result.obs, e, episodeStep);
      }
      writeOutcome?.(e, clipReward(raw, this.options.clipRewards), terminated, truncated);
      this.episodeReturns[e] = (this.episodeReturns[e] as number) + raw;
      this.episodeLengths[e] = (this.episodeLengths[e] as number) + 1;
      if (terminated || truncated) {
        ended.push(e);
        if (!terminated) truncatedEnvs.push(e);
        this.completed.push({
          episodeReturn: this.episodeReturns[e] as number,
          episodeLength: this.episodeLengths[e] as number,
          envIndex: this.options.globalEnvOffset + e,
          endStep: this.vectorSteps,
        });
        this.episodeReturns[e] = 0;
        this.episodeLengths[e] = 0;
      }
    }
    for (const e of ended) this.epsIds[e] = this.newEpisodeId();
    obs.set(result.obs);
    const t4 = now();
    this.perf.record(t3 - t2, t1 - t0, t2 - t1 + (t4 - t3));
    return { ended, truncatedEnvs, finalObs: result.finalObs };
  }

  /** V(s) of the given envs' rows of `source` (flat observations). */
  private valuesOf(envs: readonly number[], source: Float32Array): Float32Array {
    const dim = this.vec.obsDim;
    const gathered = new Float32Array(envs.length * dim);
    envs.forEach((e, k) => {
      gathered.set(source.subarray(e * dim, (e + 1) * dim), k * dim);
    });
    return new Float32Array(this.module.forward(gathered, envs.length).values);
  }

  /** `fragmentLength` steps from every env, rows env-major (env e's steps are rows `e·T … e·T+T−1`). */
  sampleFragment(fragmentLength: number, explore: boolean): SampleBatch<RolloutColumns> {
    const n = this.vec.numEnvs;
    const T = fragmentLength;
    const rows = n * T;
    const w = this.widths;
    const c = {
      obs: new Float32Array(rows * w.obs),
      actions: new Float32Array(rows * w.actions),
      rewards: new Float32Array(rows),
      terminateds: new Uint8Array(rows),
      truncateds: new Uint8Array(rows),
      actionLogp: new Float32Array(rows),
      actionDistInputs: new Float32Array(rows * w.actionDistInputs),
      bootstrapValues: new Float32Array(rows),
      epsId: new Float64Array(rows),
      envId: new Int32Array(rows),
      t: new Int32Array(rows),
    };
    let t = 0;
    const rowOf = (e: number) => e * T + t;
    const writeRow = (e: number, obs: Float32Array, acted: ReturnType<ActorCriticInference['computeActions']>) => {
      const row = rowOf(e);
      c.obs.set(obs.subarray(e * w.obs, (e + 1) * w.obs), row * w.obs);
      c.actions.set(acted.actions.subarray(e * w.actions, (e + 1) * w.actions), row * w.actions);
      c.actionDistInputs.set(acted.distInputs.subarray(e * w.actionDistInputs, (e + 1) * w.actionDistInputs), row * w.actionDistInputs);
      c.actionLogp[row] = acted.logp[e] as number;
      c.epsId[row] = this.epsIds[e] as number;
      c.envId[row] = e;
      c.t[row] = this.episodeLengths[e] as number;
    };
    const writeOutcome = (e: number, reward: number, terminated: boolean, truncated: boolean) => {
      const row = rowOf(e);
      c.rewards[row] = reward;
      c.terminateds[row] = terminated ? 1 : 0;
      c.truncateds[row] = truncated ? 1 : 0;
    };
    for (t = 0; t < T; t++) {
      const { truncatedEnvs, finalObs } = this.step(explore, writeRow, writeOutcome);
      if (truncatedEnvs.length > 0) {
        const values = this.valuesOf(truncatedEnvs, finalObs);
        truncatedEnvs.forEach((e, k) => {
          c.bootstrapValues[rowOf(e)] = values[k] as number;
        });
      }
    }
    // Fragment ends inside an episode: bootstrap from the value of the next observation.
    t = T - 1;
    const open: number[] = [];
    for (let e = 0; e < n; e++) if (c.terminateds[rowOf(e)] === 0 && c.truncateds[rowOf(e)] === 0) open.push(e);
    if (open.length > 0) {
      const values = this.valuesOf(open, this.currentObs());
      open.forEach((e, k) => {
        c.bootstrapValues[rowOf(e)] = values[k] as number;
      });
    }
    return new SampleBatch<RolloutColumns>(rows, w, c);
  }

  /** Whole episodes only, at least `minSteps` rows in all; unfinished episodes wait for the next call. */
  sampleCompleteEpisodes(minSteps: number, explore: boolean): SampleBatch<RolloutColumns> {
    const n = this.vec.numEnvs;
    const w = this.widths;
    if (this.episodeBuffers === null) {
      this.episodeBuffers = Array.from({ length: n }, () => new GrowableColumns<RowColumn>(ROW_KINDS, w));
    }
    const buffers = this.episodeBuffers;
    const done: SampleBatch<RolloutColumns>[] = [];
    let doneRows = 0;
    const lastRow = new Int32Array(n);
    const writeRow = (e: number, obs: Float32Array, acted: ReturnType<ActorCriticInference['computeActions']>) => {
      const b = buffers[e] as GrowableColumns<RowColumn>;
      const row = b.pushRow();
      lastRow[e] = row;
      b.column('obs').set(obs.subarray(e * w.obs, (e + 1) * w.obs), row * w.obs);
      b.column('actions').set(acted.actions.subarray(e * w.actions, (e + 1) * w.actions), row * w.actions);
      b.column('actionDistInputs').set(
        acted.distInputs.subarray(e * w.actionDistInputs, (e + 1) * w.actionDistInputs),
        row * w.actionDistInputs,
      );
      (b.column('actionLogp') as Float32Array)[row] = acted.logp[e] as number;
      (b.column('epsId') as Float64Array)[row] = this.epsIds[e] as number;
      (b.column('envId') as Int32Array)[row] = e;
      (b.column('t') as Int32Array)[row] = this.episodeLengths[e] as number;
      (b.column('bootstrapValues') as Float32Array)[row] = 0;
    };
    const writeOutcome = (e: number, reward: number, terminated: boolean, truncated: boolean) => {
      const b = buffers[e] as GrowableColumns<RowColumn>;
      const row = lastRow[e] as number;
      (b.column('rewards') as Float32Array)[row] = reward;
      (b.column('terminateds') as Uint8Array)[row] = terminated ? 1 : 0;
      (b.column('truncateds') as Uint8Array)[row] = truncated ? 1 : 0;
    };
    while (doneRows < minSteps) {
      const { ended, truncatedEnvs, finalObs } = this.step(explore, writeRow, writeOutcome);
      if (truncatedEnvs.length > 0) {
        const values = this.valuesOf(truncatedEnvs, finalObs);
        truncatedEnvs.forEach((e, k) => {
          ((buffers[e] as GrowableColumns<RowColumn>).column('bootstrapValues') as Float32Array)[lastRow[e] as number] = values[
            k
          ] as number;
        });
      }
      for (const e of ended) {
        const b = buffers[e] as GrowableColumns<RowColumn>;
        const rows = b.rows;
        done.push(new SampleBatch<RolloutColumns>(rows, w, b.drain() as unknown as RolloutColumns));
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
}
