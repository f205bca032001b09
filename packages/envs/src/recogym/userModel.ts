import type { Rng } from '@loomrl/core';
import type { ResolvedRecoGymConfig } from './config.js';
import { drawFromWeights, recoGymCtr } from './draws.js';
import { RecoGymState, type RecoGymStateId, type RecoGymWorldV0, type RecoGymWorldV1 } from './world.js';

/**
 * The per-user part of a RecoGym env (a strategy: v1 and v0 differ only here): the user's
 * latent state, how it moves, which product the user views next, and the click probability.
 */
export interface RecoGymUserModel {
  /** Draws a new user's latent state. */
  startUser(rng: Rng): void;
  /** Called after every Markov transition into `newState`, `dt` time units later. */
  afterTransition(rng: Rng, newState: RecoGymStateId, dt: number): void;
  /** Draws the next organic page view. */
  drawView(rng: Rng): number;
  /** The probability that recommending `action` now is clicked. */
  clickProbability(action: number): number;
}

/**
 * RecoGym-v1 users: a latent ω ~ N(0, σ₀² I_K) that random-walks with std σ_ω·Δt on transitions
 * into organic (or on every transition with `changeOmegaForBandits`). Views ~ softmax(Γω + μ);
 * CTR of a = ff(β_a·ω + μ_bandit_a).
 */
export class RecoGymUserModelV1 implements RecoGymUserModel {
  /** The current user's latent vector. */
  readonly omega: Float64Array;
  private readonly weights: Float64Array;

  /** A model over `world` with the dynamics of `config`. */
  constructor(
    private readonly world: RecoGymWorldV1,
    private readonly config: ResolvedRecoGymConfig,
  ) {
    this.omega = new Float64Array(world.k);
    this.weights = new Float64Array(world.numProducts);
  }

  startUser(rng: Rng): void {
    for (let d = 0; d < this.omega.length; d++) this.omega[d] = this.config.sigmaOmegaInitial * rng.normal();
  }

  afterTransition(rng: Rng, newState: RecoGymStateId, dt: number): void {
    if (!this.config.changeOmegaForBandits && newState !== RecoGymState.organic) return;
    const scale = this.config.sigmaOmega * (dt === 0 ? 1 : dt);
    for (let d = 0; d < this.omega.length; d++) this.omega[d] = (this.omega[d] ?? 0) + scale * rng.normal();
  }

  drawView(rng: Rng): number {
    const { gamma, muOrganic, numProducts: p, k } = this.world;
    const w = this.weights;
    let max = Number.NEGATIVE_INFINITY;
    for (let i = 0; i < p; i++) {
      let score = muOrganic[i] ?? 0;
      for (let d = 0; d < k; d++) score += (gamma[i * k + d] ?? 0) * (this.omega[d] ?? 0);
      w[i] = score;
      if (score > max) max = score;
    }
    let total = 0;
    for (let i = 0; i < p; i++) {
      const e = Math.exp((w[i] ?? 0) - max);
      w[i] = e;
      total += e;
    }
    return drawFromWeights(rng, w, total);
  }

  clickProbability(action: number): number {
    const { beta, muBandit, k } = this.world;
    let score = muBandit[action] ?? 0;
    for (let d = 0; d < k; d++) score += (beta[action * k + d] ?? 0) * (this.omega[d] ?? 0);
    return recoGymCtr(score);
  }
}

/**
 * RecoGym-v0 users: the state is the product last viewed. The next view is uniform over its
 * cluster (itself included); the click matrix is indexed [recommended, last viewed]. The initial
 * product is drawn at reset and never emitted.
 */
export class RecoGymUserModelV0 implements RecoGymUserModel {
  private current = 0;

  /** A model over `world`. */
  constructor(private readonly world: RecoGymWorldV0) {}

  /** The product the user viewed last (or started from). */
  get lastViewed(): number {
    return this.current;
  }

  startUser(rng: Rng): void {
    this.current = Math.min(this.world.numProducts - 1, Math.floor(rng.random() * this.world.numProducts));
  }

  afterTransition(): void {}

  drawView(rng: Rng): number {
    const c = this.world.clusterSize;
    const start = Math.floor(this.current / c) * c;
    this.current = start + Math.min(c - 1, Math.floor(rng.random() * c));
    return this.current;
  }

  clickProbability(action: number): number {
    return this.world.clickMatrix[action * this.world.numProducts + this.current] ?? 0;
  }
}
