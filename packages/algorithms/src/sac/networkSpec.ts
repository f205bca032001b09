/**
 * The plain-JS side of SAC's (and CQL's, CRR's) networks: their shapes, fresh critic weights and
 * the seeded noise, without TensorFlow.js (the algorithms import this eagerly; `networks.ts`, which
 * loads tfjs, only when a learner is set up).
 */
import type { Activation, Rng } from '@loomrl/core';
import { type ActorSpec, initialWeights, mlpLayout, type PlainMlpLayout } from '@loomrl/core/internal';

/** The shapes of SAC's (and CQL's) networks. */
export interface SacNetworkSpec {
  readonly actor: ActorSpec;
  /** Continuous: Q(concat(s, a)) → 1; Discrete: Q(s) → one value per action. */
  readonly critic: PlainMlpLayout;
  readonly criticActivation: Activation;
  readonly twinQ: boolean;
  readonly discrete: boolean;
}

/** The critic layout for `actor`'s spaces and the hidden sizes. */
export function criticLayout(actor: ActorSpec, hiddens: readonly number[]): PlainMlpLayout {
  const discrete = actor.distribution === 'categorical';
  return mlpLayout(actor.obsDim + (discrete ? 0 : actor.actionSize), hiddens, discrete ? actor.actionSize : 1);
}

/** Fresh critic weights (one set per Q network), drawn from `rng`. */
export function initialCriticWeights(spec: SacNetworkSpec, rng: Rng): Float32Array[] {
  return Array.from({ length: spec.twinQ ? 2 : 1 }, () => initialWeights(spec.critic, rng));
}

/** `rows × dim` standard normals from `rng` (the reparameterisation noise, drawn in JS so runs are seeded). */
export function normalNoise(rng: Rng, rows: number, dim: number): Float32Array {
  return Float32Array.from({ length: rows * dim }, () => rng.normal());
}
