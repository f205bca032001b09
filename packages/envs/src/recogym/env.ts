import { ActionError, ConfigError, createRng, EnvError, type Rng } from '@loomrl/core';
import { normalClock, type RecoGymClock, unitClock } from './clock.js';
import { type RecoGymConfig, type RecoGymVersion, type ResolvedRecoGymConfig, resolveRecoGymConfig } from './config.js';
import { drawClick, drawFromCdf } from './draws.js';
import type {
  RecoGymAction,
  RecoGymAgent,
  RecoGymObservation,
  RecoGymOfflineStepResult,
  RecoGymOrganicEvent,
  RecoGymStepResult,
} from './types.js';
import { type RecoGymUserModel, RecoGymUserModelV0, RecoGymUserModelV1 } from './userModel.js';
import {
  generateWorldV0,
  generateWorldV1,
  injectedWorldV1,
  RecoGymState,
  type RecoGymStateId,
  type RecoGymWorldParameters,
  type RecoGymWorldV0,
  type RecoGymWorldV1,
  transitionCdf,
} from './world.js';

/** Options of `RecoGymEnv` beside its plain-data config. */
export interface RecoGymEnvOptions {
  /** `'v1'` (default) or `'v0'`. */
  readonly version?: RecoGymVersion;
  /** The logging policy of `stepOffline` (RecoGym's config key `agent`); omitted = uniform from the env's stream. */
  readonly loggingAgent?: RecoGymAgent | null;
  /**
   * Extra path of the user stream's seed, e.g. `[workerIndex, vectorIndex]`, so parallel copies
   * of one world see different users. Empty (default) reproduces RecoGym's re-seed quirk: user 0's
   * ω is σ₀·Γ[0].
   */
  readonly userStream?: ReadonlyArray<string | number>;
  /**
   * A v1 world (Γ, μ_organic) to use instead of drawing one from `randomSeed`, e.g. to reproduce a
   * world drawn elsewhere; β and μ_bandit follow with the config's flips and normalisation. The
   * users' stream is the same as with a drawn world. v1 only.
   */
  readonly world?: RecoGymWorldParameters;
}

const STREAM = 'recogym';

/**
 * RecoGym with its own API: `reset(userId)`, then `step(null)` for the user's first organic
 * session, then `step(product)` per impression until `done`; `stepOffline` lets the logging policy
 * choose. One seeded stream drives the world, the users, the clicks and the uniform logging policy.
 */
export class RecoGymEnv {
  /** The resolved config (every field filled in). */
  readonly config: ResolvedRecoGymConfig;
  /** `'v1'` or `'v0'`. */
  readonly version: RecoGymVersion;
  /** The world: `RecoGymWorldV1` or `RecoGymWorldV0`. */
  readonly world: RecoGymWorldV1 | RecoGymWorldV0;
  /** The number of products P. */
  readonly numProducts: number;
  /** The logging policy of `stepOffline`; null = uniform. */
  loggingAgent: RecoGymAgent | null;

  private readonly model: RecoGymUserModel;
  private readonly transitions: Float64Array[];
  private readonly clock: RecoGymClock;
  private readonly userStream: ReadonlyArray<string | number>;
  private rng: Rng;
  private state: RecoGymStateId = RecoGymState.stop;
  private firstStep = true;
  private started = false;
  private userId = 0;
  private time = 0;

  /** Builds the world from `config.randomSeed`, then restarts the stream for the users (as RecoGym's `init_gym`). */
  constructor(config: RecoGymConfig = {}, options: RecoGymEnvOptions = {}) {
    this.version = options.version ?? 'v1';
    this.config = resolveRecoGymConfig(config as Record<string, unknown>, this.version);
    this.numProducts = this.config.numProducts;
    this.loggingAgent = options.loggingAgent ?? null;
    this.userStream = options.userStream ?? [];
    this.transitions = transitionCdf(this.config);
    const worldRng = createRng(this.config.randomSeed, STREAM);
    if (options.world !== undefined && this.version !== 'v1') {
      throw new ConfigError('RecoGymEnv: an injected world (Γ, μ) is a v1 world; RecoGym-v0 draws its click matrix.');
    }
    if (this.version === 'v1') {
      const world = options.world === undefined ? generateWorldV1(this.config, worldRng) : injectedWorldV1(this.config, options.world);
      this.world = world;
      this.model = new RecoGymUserModelV1(world, this.config);
    } else {
      const world = generateWorldV0(this.config, worldRng);
      this.world = world;
      this.model = new RecoGymUserModelV0(world);
    }
    this.clock =
      this.version === 'v1' && this.config.timeGenerator === 'normal'
        ? normalClock(createRng(this.config.randomSeed, STREAM, 'time'), this.config.normalTimeMu, this.config.normalTimeSigma)
        : unitClock();
    this.rng = this.userRng(this.config.randomSeed);
  }

  private userRng(seed: number): Rng {
    return createRng(seed, STREAM, ...this.userStream);
  }

  /** Re-seeds the user stream with `randomSeed + epoch` (RecoGym's `reset_random_seed`); the world stays. */
  resetRandomSeed(epoch = 0): void {
    this.rng = this.userRng(this.config.randomSeed + epoch);
  }

  /** Re-seeds the user stream with `seed`; the world stays. */
  reseed(seed: number): void {
    this.rng = this.userRng(seed);
  }

  /** The current user's id. */
  get currentUser(): number {
    return this.userId;
  }

  /** Whether the current user has left (or no user was started). */
  get done(): boolean {
    return this.state === RecoGymState.stop;
  }

  /** The user model (e.g. to read a v1 user's ω in tests and diagnostics). */
  get userModel(): RecoGymUserModel {
    return this.model;
  }

  /** Starts user `userId` in the organic state with a fresh latent state; resets an attached logging agent. */
  reset(userId = 0): RecoGymObservation {
    this.userId = userId;
    this.state = RecoGymState.organic;
    this.firstStep = true;
    this.started = true;
    this.time = this.clock.reset();
    this.model.startUser(this.rng);
    this.loggingAgent?.reset();
    return this.observation([]);
  }

  /**
   * The first call after `reset` takes `null` and returns the user's first organic session with
   * reward `null`. Later calls show product `action`: a click (reward 1) always leads to an
   * organic session, even if the user was about to leave. The observation holds only the organic
   * events of this step.
   */
  step(action: number | null): RecoGymStepResult {
    if (!this.started) throw new EnvError('RecoGymEnv.step: call reset() before step()');
    if (this.state === RecoGymState.stop) throw new EnvError(`RecoGymEnv.step: user ${this.userId} has left (done); call reset()`);
    if (this.firstStep) {
      if (action !== null && action !== undefined) {
        throw new ActionError(`RecoGymEnv.step: the first step of a user takes no action (null), got ${String(action)}`);
      }
      this.firstStep = false;
      const sessions = this.organicSession();
      return { observation: this.observation(sessions), reward: null, done: this.done, info: {} };
    }
    this.checkAction(action);
    const reward = drawClick(this.rng, this.model.clickProbability(action));
    this.transition();
    if (reward === 1) this.state = RecoGymState.organic;
    const sessions = this.state === RecoGymState.organic ? this.organicSession() : [];
    return { observation: this.observation(sessions), reward, done: this.done, info: {} };
  }

  /**
   * One step chosen by the logging policy (RecoGym's `step_offline`): no action on a user's first
   * step; otherwise the logging agent's action, or a uniform one from the env's stream. With
   * `done` true an action is still drawn (it shifts the policy's stream) but nothing is stepped,
   * and the reward is 0: this is the terminal row of RecoGym's logs.
   */
  stepOffline(observation: RecoGymObservation, reward: number | null, done: boolean): RecoGymOfflineStepResult {
    if (this.firstStep && !done) return { action: null, ...this.step(null) };
    const action = this.loggingAgent ? this.loggingAgent.act(observation, reward, done) : this.uniformAction(observation);
    if (done) return { action, observation: this.observation([]), reward: 0, done: true, info: {} };
    return { action, ...this.step(action.a) };
  }

  private uniformAction(observation: RecoGymObservation): RecoGymAction {
    const p = this.numProducts;
    const a = this.rng.int(p);
    const base = { t: observation.context.time, u: observation.context.user, a, ps: 1 / p };
    return this.config.withPsAll ? { ...base, psA: new Array<number>(p).fill(1 / p) } : base;
  }

  private checkAction(action: number | null): asserts action is number {
    if (typeof action !== 'number' || !Number.isInteger(action) || action < 0 || action >= this.numProducts) {
      throw new ActionError(
        `RecoGymEnv.step: action must be a product id, an integer in [0, ${this.numProducts - 1}], got ${typeof action === 'number' ? action : JSON.stringify(action)}`,
      );
    }
  }

  private transition(): void {
    const row = this.transitions[this.state];
    if (row === undefined) throw new EnvError(`RecoGymEnv: invalid state ${this.state}`);
    const next = drawFromCdf(this.rng, row) as RecoGymStateId;
    const before = this.time;
    if (this.version === 'v1') this.time = this.clock.next();
    this.state = next;
    this.model.afterTransition(this.rng, next, this.time - before);
  }

  private organicSession(): RecoGymOrganicEvent[] {
    const session: RecoGymOrganicEvent[] = [];
    while (this.state === RecoGymState.organic) {
      const v = this.model.drawView(this.rng);
      session.push({ t: this.time, u: this.userId, z: 'pageview', v });
      this.transition();
    }
    return session;
  }

  private observation(sessions: RecoGymOrganicEvent[]): RecoGymObservation {
    return { context: { time: this.time, user: this.userId }, sessions };
  }
}
