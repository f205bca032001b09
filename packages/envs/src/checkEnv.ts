import { type Env, EnvError, type ResetOptions, Rng, type Space } from '@loomrl/core';
import { boxDtypeMismatch, explainMismatch, findNonFinite, sameValue, shortValue } from './checkEnvValues.js';

/** Options of `checkEnv`. */
export interface CheckEnvOptions {
  /** Seed of the determinism checks and of the action stream; default 0. */
  readonly seed?: number;
  /** How many steps with sampled actions to take, across episode ends; default 300. */
  readonly numSteps?: number;
  /**
   * Whether different seeds must give a different first observation or trajectory somewhere over a
   * few resets; default true. Turn it off for envs that are deterministic by design.
   */
  readonly expectSeedVariation?: boolean;
}

/** What `checkEnv` saw when every check passed. */
export interface CheckEnvReport {
  /** Steps taken with sampled actions. */
  readonly steps: number;
  /** Episodes that ended (terminated or truncated) during those steps. */
  readonly episodes: number;
  /** Problems that do not break the contract, e.g. a float32 Box observation that is not a Float32Array. */
  readonly warnings: readonly string[];
}

const SPACE_TYPES = new Set(['Discrete', 'MultiDiscrete', 'Box', 'Dict', 'Tuple']);
const SPACE_METHODS: readonly string[] = ['sample', 'contains', 'flatten', 'unflatten', 'toJSON', 'toString'];
const SEED_VARIATION_RESETS = 4;
const SIGNATURE_STEPS = 10;

function fail(message: string, cause?: unknown): never {
  throw new EnvError(`checkEnv: ${message}`, cause === undefined ? undefined : { cause });
}

/** Whether `value` is a non-array object (class instances count). */
function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !ArrayBuffer.isView(value);
}

function checkSpace(space: unknown, name: string, rng: Rng): Space<unknown> {
  if (!isRecord(space)) fail(`env.${name} must be a Space object, got ${shortValue(space)}`);
  const missing = SPACE_METHODS.filter((m) => typeof space[m] !== 'function');
  if (!SPACE_TYPES.has(space.type as string)) missing.unshift('type');
  if (typeof space.flatDim !== 'number' || !Number.isInteger(space.flatDim) || space.flatDim < 0) missing.push('flatDim');
  if (missing.length > 0) fail(`env.${name} is not a Space: it lacks ${missing.join(', ')}`);
  const typed = space as unknown as Space<unknown>;
  const sample = typed.sample(rng);
  if (!typed.contains(sample)) fail(`env.${name} ${typed.toString()} does not contain its own sample ${shortValue(sample)}`);
  return typed;
}

/** Runs the Gymnasium contract checks over one env; the methods below each check one call. */
class EnvChecker {
  readonly warnings: string[] = [];
  private readonly observationSpace: Space<unknown>;
  private readonly actionSpace: Space<unknown>;

  constructor(
    private readonly env: Env,
    private readonly seed: number,
  ) {
    const rng = new Rng(`checkEnv/${seed}/spaces`);
    if (!isRecord(env) || typeof env.reset !== 'function' || typeof env.step !== 'function') {
      fail(`expected an Env with reset() and step(), got ${shortValue(env)}`);
    }
    this.observationSpace = checkSpace(env.observationSpace, 'observationSpace', rng);
    this.actionSpace = checkSpace(env.actionSpace, 'actionSpace', rng);
  }

  reset(options: ResetOptions | undefined): unknown {
    const where = options?.seed === undefined ? 'reset()' : `reset({ seed: ${options.seed} })`;
    let result: unknown;
    try {
      result = this.env.reset(options);
    } catch (error) {
      fail(`${where} threw: ${error instanceof Error ? error.message : String(error)}`, error);
    }
    if (!isRecord(result) || !('obs' in result)) fail(`${where} must return { obs, info }, got ${shortValue(result)}`);
    if (!isRecord(result.info)) fail(`${where} returned info ${shortValue(result.info)}; info must be a plain object`);
    this.checkObs(result.obs, `${where} returned`);
    return result.obs;
  }

  step(action: unknown, where: string): { obs: unknown; reward: number; done: boolean } {
    if (!this.actionSpace.contains(action))
      fail(`${where}: the sampled action ${shortValue(action)} is not in ${this.actionSpace.toString()}`);
    let result: unknown;
    try {
      result = this.env.step(action);
    } catch (error) {
      fail(`${where}: step(${shortValue(action)}) threw: ${error instanceof Error ? error.message : String(error)}`, error);
    }
    if (!isRecord(result)) fail(`${where}: step() must return { obs, reward, terminated, truncated, info }, got ${shortValue(result)}`);
    const missing = ['obs', 'reward', 'terminated', 'truncated', 'info'].filter((key) => !(key in result));
    if (missing.length > 0) fail(`${where}: step() returned an object without ${missing.join(', ')}`);
    const { obs, reward, terminated, truncated, info } = result;
    if (typeof reward !== 'number' || !Number.isFinite(reward)) fail(`${where}: reward must be a finite number, got ${shortValue(reward)}`);
    if (typeof terminated !== 'boolean')
      fail(`${where}: terminated must be a boolean, got ${shortValue(terminated)} (${typeof terminated})`);
    if (typeof truncated !== 'boolean') fail(`${where}: truncated must be a boolean, got ${shortValue(truncated)} (${typeof truncated})`);
    if (!isRecord(info)) fail(`${where}: info must be a plain object, got ${shortValue(info)}`);
    this.checkObs(obs, `${where} returned`);
    return { obs, reward, done: terminated || truncated };
  }

  private checkObs(obs: unknown, where: string): void {
    const bad = findNonFinite(obs);
    if (bad !== undefined) {
      fail(`${where} an observation containing ${String(bad.value)} at ${bad.path || 'the top level'}: ${shortValue(obs)}`);
    }
    if (!this.observationSpace.contains(obs)) {
      fail(
        `${where} an observation that is not in the observation space ${this.observationSpace.toString()}` +
          `${explainMismatch(this.observationSpace, obs)}: ${shortValue(obs)}`,
      );
    }
    const expected = boxDtypeMismatch(this.observationSpace, obs);
    const warning = `observations should be ${expected} for ${this.observationSpace.toString()}, got ${obs?.constructor?.name ?? typeof obs}`;
    if (expected !== undefined && !this.warnings.includes(warning)) this.warnings.push(warning);
  }

  /** The first observation and up to `SIGNATURE_STEPS` steps under a fixed action stream, from a seeded reset. */
  trajectory(seed: number): unknown[] {
    const actions = new Rng(`checkEnv/${this.seed}/trajectory`);
    const record: unknown[] = [this.reset({ seed })];
    for (let t = 1; t <= SIGNATURE_STEPS; t++) {
      const { obs, reward, done } = this.step(this.actionSpace.sample(actions), `step ${t} after reset({ seed: ${seed} })`);
      record.push(obs, reward);
      if (done) break;
    }
    return record;
  }
}

function checkDeterminism(checker: EnvChecker, seed: number): void {
  const first = checker.reset({ seed });
  const again = checker.reset({ seed });
  if (!sameValue(first, again)) {
    fail(
      `reset({ seed: ${seed} }) twice gave different observations, ${shortValue(first)} then ${shortValue(again)}; ` +
        'draw all randomness from an Rng created in reset() from the seed',
    );
  }
  const a = checker.trajectory(seed);
  const b = checker.trajectory(seed);
  const diverged = a.findIndex((v, i) => !sameValue(v, b[i]));
  if (diverged >= 0 || a.length !== b.length) {
    fail(`the same seed (${seed}) and the same actions gave different trajectories from step ${Math.ceil(Math.max(diverged, 0) / 2)}`);
  }
}

function checkSeedVariation(checker: EnvChecker, seed: number): void {
  const base = checker.trajectory(seed);
  for (let k = 1; k <= SEED_VARIATION_RESETS; k++) {
    if (!sameValue(base, checker.trajectory(seed + k))) return;
  }
  fail(
    `seeds ${seed}..${seed + SEED_VARIATION_RESETS} all gave the same first observation and trajectory; ` +
      'reset({ seed }) seems to ignore the seed (pass { expectSeedVariation: false } for an env that is deterministic by design)',
  );
}

/**
 * Validates an env against the Gymnasium contract, like Gymnasium's env checker: Space objects;
 * `reset` → `{ obs, info }` with `obs` in the observation space; `step` → `{ obs, reward (finite),
 * terminated (boolean), truncated (boolean), info (object) }`; no NaN or Infinity in observations;
 * the same seed gives the same start and trajectory, different seeds differ; and sampled actions
 * are accepted for `numSteps` steps across episode ends. Throws an `EnvError` naming the first
 * problem; returns a report when all is fine.
 */
export function checkEnv(env: Env, options: CheckEnvOptions = {}): CheckEnvReport {
  const seed = options.seed ?? 0;
  const numSteps = options.numSteps ?? 300;
  if (!Number.isInteger(seed) || seed < 0) fail(`options.seed must be an integer >= 0, got ${shortValue(seed)}`);
  if (!Number.isInteger(numSteps) || numSteps < 1) fail(`options.numSteps must be an integer >= 1, got ${shortValue(numSteps)}`);
  const checker = new EnvChecker(env, seed);
  checkDeterminism(checker, seed);
  if (options.expectSeedVariation ?? true) checkSeedVariation(checker, seed);

  const actions = new Rng(`checkEnv/${seed}/actions`);
  checker.reset({ seed });
  let episodes = 0;
  let episodeStep = 0;
  for (let t = 1; t <= numSteps; t++) {
    episodeStep += 1;
    const where = `step ${episodeStep} of episode ${episodes + 1} (step ${t} of the random rollout)`;
    const { done } = checker.step(env.actionSpace.sample(actions), where);
    if (done) {
      episodes += 1;
      episodeStep = 0;
      checker.reset(undefined);
    }
  }
  return { steps: numSteps, episodes, warnings: checker.warnings };
}
