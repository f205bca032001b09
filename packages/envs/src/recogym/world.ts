import { ConfigError, type Rng } from '@loomrl/core';
import type { ResolvedRecoGymConfig } from './config.js';

/** The user's Markov state: browsing organically, at an ad slot, or gone. */
export const RecoGymState = Object.freeze({ organic: 0, bandit: 1, stop: 2 } as const);
/** One of `RecoGymState`'s values. */
export type RecoGymStateId = (typeof RecoGymState)[keyof typeof RecoGymState];

/**
 * The 3×3 transition matrix as cumulative rows (organic, bandit, stop). Each diagonal entry is 1
 * minus the rest of its row. The bandit row leaves with `probLeaveOrganic`: RecoGym ignores
 * `probLeaveBandit`, and so do we.
 */
export function transitionCdf(config: ResolvedRecoGymConfig): Float64Array[] {
  const pOb = config.probOrganicToBandit;
  const pBo = config.probBanditToOrganic;
  const pLo = config.probLeaveOrganic;
  const rows = [
    [1 - (pOb + pLo), pOb, pLo],
    [pBo, 1 - (pBo + pLo), pLo],
    [0, 0, 1],
  ];
  return rows.map((row) => {
    const cdf = new Float64Array(3);
    let sum = 0;
    for (let i = 0; i < 3; i++) {
      sum += row[i] ?? 0;
      cdf[i] = sum;
    }
    for (let i = 0; i < 3; i++) cdf[i] = (cdf[i] ?? 0) / sum;
    return cdf;
  });
}

/** The products of a RecoGym-v1 world: organic embeddings Γ and popularity μ, and their bandit counterparts β and μ_bandit. */
export interface RecoGymWorldV1 {
  readonly numProducts: number;
  readonly k: number;
  /** Γ, P×K row-major. */
  readonly gamma: Float64Array;
  /** μ_organic, P. */
  readonly muOrganic: Float64Array;
  /** β, P×K row-major (= Γ unless flipped or normalised). */
  readonly beta: Float64Array;
  /** μ_bandit, P (= μ_organic unless flipped). */
  readonly muBandit: Float64Array;
  /** For each product, whose embedding drives its clicks (identity unless flipped). */
  readonly flipIndex: Int32Array;
}

/** Draws a v1 world in RecoGym's order: P·K normals for Γ (row-major), then P normals for μ; then flips and normalisation. */
export function generateWorldV1(config: ResolvedRecoGymConfig, rng: Rng): RecoGymWorldV1 {
  const p = config.numProducts;
  const gamma = new Float64Array(p * config.k);
  for (let i = 0; i < gamma.length; i++) gamma[i] = rng.normal();
  const muOrganic = new Float64Array(p);
  for (let i = 0; i < p; i++) muOrganic[i] = config.sigmaMuOrganic * rng.normal();
  return worldV1From(config, gamma, muOrganic);
}

/**
 * A v1 world from given organic embeddings Γ (P×K, row-major) and popularities μ (P), e.g. one
 * drawn elsewhere: β and μ_bandit follow from them with the config's flips and normalisation, as
 * in `generateWorldV1`.
 */
export function worldV1From(config: ResolvedRecoGymConfig, gamma: Float64Array, muOrganic: Float64Array): RecoGymWorldV1 {
  const p = config.numProducts;
  const k = config.k;
  const flipIndex = greedyFlips(gamma, p, k, config.numberOfFlips);
  const beta = new Float64Array(p * k);
  const muBandit = new Float64Array(p);
  for (let i = 0; i < p; i++) {
    const source = flipIndex[i] ?? i;
    for (let d = 0; d < k; d++) beta[i * k + d] = gamma[source * k + d] ?? 0;
    muBandit[i] = muOrganic[source] ?? 0;
  }
  if (config.normalizeBeta) normalizeRows(beta, p, k);
  return { numProducts: p, k, gamma, muOrganic, beta, muBandit, flipIndex };
}

/** A world to inject into `RecoGymEnv` instead of drawing one (RecoGym's `generate_world`-style reuse). */
export interface RecoGymWorldParameters {
  /** Γ, the organic product embeddings: P rows of K numbers, or P·K numbers row-major. */
  readonly gamma: ArrayLike<number> | ReadonlyArray<ArrayLike<number>>;
  /** μ_organic, the P product popularities. */
  readonly muOrganic: ArrayLike<number>;
}

function flatNumbers(name: string, value: ArrayLike<number> | ReadonlyArray<ArrayLike<number>>, rows: number, cols: number): Float64Array {
  const nested = Array.isArray(value) && value.length > 0 && typeof value[0] === 'object';
  if (nested && (value.length !== rows || (value as ReadonlyArray<ArrayLike<number>>).some((row) => row.length !== cols))) {
    throw new ConfigError(`RecoGym world: ${name} must have ${rows} rows of ${cols} numbers (numProducts × k).`);
  }
  const flat = nested
    ? Float64Array.from((value as ReadonlyArray<ArrayLike<number>>).flatMap((row) => Array.from(row)))
    : Float64Array.from(value as ArrayLike<number>);
  if (flat.length !== rows * cols) {
    throw new ConfigError(`RecoGym world: ${name} must hold ${rows * cols} numbers (${rows} × ${cols}), got ${flat.length}.`);
  }
  const bad = flat.findIndex((x) => !Number.isFinite(x));
  if (bad >= 0) throw new ConfigError(`RecoGym world: ${name}[${bad}] must be a finite number, got ${flat[bad]}.`);
  return flat;
}

/** Checks and copies an injected v1 world's Γ and μ against the config's P and K; a `ConfigError` names a bad shape or value. */
export function injectedWorldV1(config: ResolvedRecoGymConfig, world: RecoGymWorldParameters): RecoGymWorldV1 {
  const gamma = flatNumbers('gamma', world.gamma, config.numProducts, config.k);
  const muOrganic = flatNumbers('muOrganic', world.muOrganic, 1, config.numProducts);
  return worldV1From(config, gamma, muOrganic);
}

/**
 * RecoGym's greedy pairing: visit the entries of ΓΓᵀ (diagonal set to 0) from the largest down,
 * and pair (i, j) when neither is used yet, until `flips` pairs are made. Ties keep index order.
 */
function greedyFlips(gamma: Float64Array, p: number, k: number, flips: number): Int32Array {
  const index = Int32Array.from({ length: p }, (_, i) => i);
  if (flips === 0) return index;
  const similarity = new Float64Array(p * p);
  for (let i = 0; i < p; i++) {
    for (let j = 0; j < p; j++) {
      if (i === j) continue;
      let dot = 0;
      for (let d = 0; d < k; d++) dot += (gamma[i * k + d] ?? 0) * (gamma[j * k + d] ?? 0);
      similarity[i * p + j] = dot;
    }
  }
  const order = Array.from({ length: p * p }, (_, e) => e).sort((a, b) => (similarity[b] ?? 0) - (similarity[a] ?? 0) || a - b);
  const used = new Uint8Array(p);
  let made = 0;
  for (const entry of order) {
    if (made >= flips) break;
    const i = Math.floor(entry / p);
    const j = entry % p;
    if (used[i] || used[j]) continue;
    index[i] = j;
    index[j] = i;
    used[i] = 1;
    used[j] = 1;
    made++;
  }
  return index;
}

function normalizeRows(matrix: Float64Array, rows: number, cols: number): void {
  for (let i = 0; i < rows; i++) {
    let norm = 0;
    for (let d = 0; d < cols; d++) norm += (matrix[i * cols + d] ?? 0) ** 2;
    norm = Math.sqrt(norm);
    if (norm === 0) continue;
    for (let d = 0; d < cols; d++) matrix[i * cols + d] = (matrix[i * cols + d] ?? 0) / norm;
  }
}

/** The products of a RecoGym-v0 world: contiguous clusters and the click matrix indexed [recommended, last viewed]. */
export interface RecoGymWorldV0 {
  readonly numProducts: number;
  readonly clusterSize: number;
  /** Click probabilities, P×P row-major, [recommended * P + lastViewed]. */
  readonly clickMatrix: Float64Array;
}

/**
 * Draws a v0 world: P² normals φ (row-major) with variance `phiVar` (standard deviation √phiVar,
 * as RecoGym draws them), click p = σ(P/5 · 2/c · [same cluster] + φ − 5).
 */
export function generateWorldV0(config: ResolvedRecoGymConfig, rng: Rng): RecoGymWorldV0 {
  const p = config.numProducts;
  const clusterSize = p / config.numClusters;
  const sameClusterBonus = ((p / 5) * 2) / clusterSize;
  const clickMatrix = new Float64Array(p * p);
  const phiStd = Math.sqrt(config.phiVar);
  for (let a = 0; a < p; a++) {
    for (let v = 0; v < p; v++) {
      const phi = phiStd * rng.normal();
      const same = Math.floor(a / clusterSize) === Math.floor(v / clusterSize) ? 1 : 0;
      clickMatrix[a * p + v] = 1 / (1 + Math.exp(-(sameClusterBonus * same + phi - 5)));
    }
  }
  return { numProducts: p, clusterSize, clickMatrix };
}
