import { ActionError, DataError, describeValue, EnvError } from '../errors.js';
import type { Space } from '../spaces/index.js';
import type { Env, EnvInfo } from './env.js';

/** What `VectorEnv.step` returns. Buffers are reused: read them before the next `step`. */
export interface VectorStepResult {
  /** Flat observations, `numEnvs × obsDim`; for an env whose episode just ended, the first obs of the next one. */
  readonly obs: Float32Array;
  readonly rewards: Float64Array;
  readonly terminateds: Uint8Array;
  readonly truncateds: Uint8Array;
  /** Flat last observations of episodes that ended this step (rows of other envs are stale). */
  readonly finalObs: Float32Array;
  /** Per-env infos; for an env whose episode ended, the info of its last step. */
  readonly infos: EnvInfo[];
}

/**
 * A batch of `numEnvs` copies of one env stepped together, with same-step auto-reset: when an
 * episode ends its final observation is kept in `finalObs` and the env is reset at once.
 * Observations are flattened with `observationSpace.flatten`.
 */
export interface VectorEnv {
  readonly numEnvs: number;
  /** The space of one sub-env's observation. */
  readonly observationSpace: Space<unknown>;
  /** The space of one sub-env's action. */
  readonly actionSpace: Space<unknown>;
  /** `observationSpace.flatDim`. */
  readonly obsDim: number;
  /** Resets every sub-env (sub-env i with `seeds[i]` when given) and returns the flat observations. */
  reset(seeds?: readonly (number | undefined)[]): Float32Array;
  /** Steps sub-env i with `actions[i]`. */
  step(actions: readonly unknown[]): VectorStepResult;
  close(): void;
}

/** Throws an `ActionError` naming the action and the space when `action` is not in `space`. */
export function assertActionInSpace(action: unknown, space: Space<unknown>, where: string): void {
  if (!space.contains(action)) {
    throw new ActionError(`${where}: action ${describeValue(action)} is not in the action space ${space.toString()}`);
  }
}

/** The same-thread `VectorEnv`: steps its sub-envs one after another. */
export class SyncVectorEnv implements VectorEnv {
  readonly numEnvs: number;
  readonly observationSpace: Space<unknown>;
  readonly actionSpace: Space<unknown>;
  readonly obsDim: number;
  /** The sub-envs, in vector order. */
  readonly envs: readonly Env[];
  private readonly validateActions: boolean;
  private readonly result: {
    obs: Float32Array;
    rewards: Float64Array;
    terminateds: Uint8Array;
    truncateds: Uint8Array;
    finalObs: Float32Array;
    infos: EnvInfo[];
  };

  /** A vector over `envs` (≥ 1, all with the same spaces). `validateActions` checks every action against the space. */
  constructor(envs: readonly Env[], options: { validateActions?: boolean } = {}) {
    const first = envs[0];
    if (first === undefined) throw new DataError('SyncVectorEnv needs at least one env');
    this.envs = envs;
    this.numEnvs = envs.length;
    this.observationSpace = first.observationSpace;
    this.actionSpace = first.actionSpace;
    this.obsDim = first.observationSpace.flatDim;
    this.validateActions = options.validateActions ?? true;
    const n = envs.length;
    this.result = {
      obs: new Float32Array(n * this.obsDim),
      rewards: new Float64Array(n),
      terminateds: new Uint8Array(n),
      truncateds: new Uint8Array(n),
      finalObs: new Float32Array(n * this.obsDim),
      infos: new Array<EnvInfo>(n).fill({}),
    };
  }

  reset(seeds?: readonly (number | undefined)[]): Float32Array {
    const out = new Float32Array(this.numEnvs * this.obsDim);
    this.envs.forEach((env, i) => {
      const seed = seeds?.[i];
      const { obs } = this.resetOne(env, i, seed);
      this.observationSpace.flatten(obs, out, i * this.obsDim);
    });
    this.result.obs.set(out);
    return out;
  }

  step(actions: readonly unknown[]): VectorStepResult {
    if (actions.length !== this.numEnvs) {
      throw new DataError(`SyncVectorEnv.step: expected ${this.numEnvs} actions, got ${actions.length}`);
    }
    const r = this.result;
    const dim = this.obsDim;
    for (let i = 0; i < this.numEnvs; i++) {
      const env = this.envs[i] as Env;
      const action = actions[i];
      if (this.validateActions) assertActionInSpace(action, this.actionSpace, `sub-env ${i}`);
      const step = env.step(action);
      if (isThenable(step)) throw asyncEnvError(env, i, 'step');
      r.rewards[i] = step.reward;
      r.terminateds[i] = step.terminated ? 1 : 0;
      r.truncateds[i] = step.truncated ? 1 : 0;
      r.infos[i] = step.info;
      if (step.terminated || step.truncated) {
        this.observationSpace.flatten(step.obs, r.finalObs, i * dim);
        const { obs } = this.resetOne(env, i);
        this.observationSpace.flatten(obs, r.obs, i * dim);
      } else {
        this.observationSpace.flatten(step.obs, r.obs, i * dim);
      }
    }
    return r;
  }

  private resetOne(env: Env, i: number, seed?: number): ReturnType<Env['reset']> {
    const reset = env.reset(seed === undefined ? undefined : { seed });
    if (isThenable(reset)) throw asyncEnvError(env, i, 'reset');
    return reset;
  }

  close(): void {
    for (const env of this.envs) env.close?.();
  }
}

function isThenable(value: unknown): boolean {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

function asyncEnvError(env: Env, index: number, method: 'step' | 'reset'): EnvError {
  return new EnvError(
    `env "${env.spec?.id ?? 'env'}" (sub-env ${index}) returned a Promise from ${method}(): LoomRL steps envs synchronously ` +
      `(Gymnasium semantics), so ${method}() must return its result directly, not an async function's Promise.`,
  );
}
