import { ConfigError, type Env, type Rng } from '@loomrl/core';
import type { RecSimObservation } from '../framework/recsimEnv.js';
import { indexFromSlate } from '../wrappers/slateIndex.js';

/** What `RecSimPolicy.observe` hears after each env step. */
export interface PolicyStep<O = unknown> {
  readonly reward: number;
  readonly obs: O;
  readonly terminated: boolean;
  readonly truncated: boolean;
}

/** A policy evaluated episode by episode: `reset` at the start of each episode, then `act` per step. */
export interface RecSimPolicy<O = unknown, A = unknown> {
  /** Forgets per-episode memory; optional. */
  reset?(): void;
  /** The action for `obs`. */
  act(obs: O): A;
  /** Hears each step's outcome (reward, next observation, end of episode; `truncated` too when the evaluation cuts it); optional. */
  observe?(step: PolicyStep<O>): void;
}

/** What a policy factory receives: the env it will act in, how it was built, and its own seeded stream. */
export interface PolicyContext {
  readonly env: Env;
  /** The registered id the env was made from. */
  readonly envId: string;
  /** The envConfig it was made with. */
  readonly envConfig: Readonly<Record<string, unknown>>;
  /** The policy's private stream (derived from the evaluation seed and chunk). */
  readonly rng: Rng;
}

/** Builds a policy for one env; the unit a (future) worker thread builds from a policy name. */
export type RecSimPolicyFactory = (context: PolicyContext) => RecSimPolicy;

/** The observation as RecSim's structure, or a `ConfigError` naming the policy when the env was wrapped. */
export function structuredObservation(obs: unknown, policy: string): RecSimObservation {
  const o = obs as Partial<RecSimObservation> | null;
  if (typeof o !== 'object' || o === null || typeof o.doc !== 'object' || o.doc === null) {
    throw new ConfigError(
      `Policy "${policy}" reads RecSim's structured observation { user, doc, response }; build the env with wrapForBandits and flattenObservations false.`,
    );
  }
  return o as RecSimObservation;
}

/** The `k` highest-scoring distinct candidate positions, best first (ties: lower position first). */
export function topPositions(scores: ArrayLike<number>, k: number): Int32Array {
  const out = new Int32Array(k);
  const taken = new Uint8Array(scores.length);
  for (let p = 0; p < k; p++) {
    let best = -1;
    let bestScore = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < scores.length; i++) {
      const s = scores[i] as number;
      if (taken[i] === 0 && (best === -1 || s > bestScore)) {
        best = i;
        bestScore = s;
      }
    }
    taken[best] = 1;
    out[p] = best;
  }
  return out;
}

/** `slate` as the env's action: the slate itself, or its Discrete(C^S) index when actions were converted. */
export function slateAsAction(env: Env, slate: Int32Array, numCandidates: number): unknown {
  return env.actionSpace.type === 'Discrete' ? indexFromSlate(slate, numCandidates) : slate;
}

/** The slate size of an env whose actions are slates or Discrete(C^S) indices. */
export function slateSizeOf(env: Env, numCandidates: number): number {
  const space = env.actionSpace as unknown as { type: string; nvec?: readonly number[]; n?: number };
  if (space.type === 'MultiDiscrete' && space.nvec) return space.nvec.length;
  if (space.type === 'Discrete' && space.n !== undefined) return Math.round(Math.log(space.n) / Math.log(numCandidates));
  throw new ConfigError(`RecSim policies need slate actions (MultiDiscrete or Discrete), got ${env.actionSpace.toString()}`);
}
