import { createRng } from '@loomrl/core';
import type { RecoGymAction, RecoGymAgent, RecoGymObservation } from '../types.js';
import { recoGymAction } from './action.js';
import { RecoGymLastViewed } from './lastViewed.js';
import { assertFiniteParameters, type RecoGymMFSquareOptions, resolveMFSquareOptions } from './mfOptions.js';
import { RmsProp } from './rmsprop.js';

/**
 * RecoGym's `BanditMFSquare`: click matrix factorisation. The click logit of recommending `a` after
 * a last view of `v` is `⟨A[a], U[v]⟩` (two P × d embedding tables, both N(0, 1) at the start), trained
 * by logistic loss (mean over the batch) on the logged (last view, action, click) triples; `act`
 * recommends the argmax logit for the last view (kept across observations).
 *
 * Kept from RecoGym: one RMSprop step per `miniBatchSize` training calls, the triple of the call that
 * triggers it dropped, and `ps` is the chosen action's **logit**, not a probability (RecoGym's).
 * Organic-only calls (no action) only move the last view.
 */
export class RecoGymBanditMFSquareAgent implements RecoGymAgent {
  readonly numProducts: number;
  readonly embedDim: number;
  /** [A (action embeddings, P·d) | U (last-view embeddings, P·d)]. */
  readonly parameters: Float64Array;
  /** Training calls so far (RecoGym `curr_step`). */
  currentStep = 0;
  private readonly miniBatchSize: number;
  private readonly withPsAll: boolean;
  private readonly optimizer: RmsProp;
  private readonly acting = new RecoGymLastViewed();
  private readonly training = new RecoGymLastViewed();
  private trainData: { viewed: number; action: number; reward: number }[] = [];

  /** An untrained agent over `numProducts` products. */
  constructor(options: RecoGymMFSquareOptions = {}) {
    const resolved = resolveMFSquareOptions('RecoGymBanditMFSquareAgent', options);
    this.numProducts = resolved.numProducts;
    this.embedDim = resolved.embedDim;
    this.miniBatchSize = resolved.miniBatchSize;
    this.withPsAll = resolved.withPsAll;
    this.parameters = new Float64Array(2 * this.numProducts * this.embedDim);
    const rng = createRng(resolved.randomSeed, 'recogym-agent', 'banditMFSquare');
    for (let i = 0; i < this.parameters.length; i++) this.parameters[i] = rng.normal();
    this.optimizer = new RmsProp(this.parameters.length, resolved.learningRate);
  }

  /** The click logit of recommending `action` after a last view of `viewed`. */
  logit(viewed: number, action: number): number {
    const { embedDim: d, parameters: theta } = this;
    const users = this.numProducts * d;
    let z = 0;
    for (let j = 0; j < d; j++) z += (theta[action * d + j] as number) * (theta[users + viewed * d + j] as number);
    return z;
  }

  act(observation: RecoGymObservation, _reward: number | null = null, _done = false): RecoGymAction {
    this.acting.observe(observation);
    const z = Array.from({ length: this.numProducts }, (_, a) => this.logit(this.acting.product, a));
    let best = 0;
    for (let a = 1; a < z.length; a++) if ((z[a] as number) > (z[best] as number)) best = a;
    const psA = this.withPsAll ? z.map((_, a) => (a === best ? 1 : 0)) : undefined;
    return recoGymAction(observation, best, z[best] as number, psA);
  }

  train(observation: RecoGymObservation, action: RecoGymAction | null, reward: number | null, _done = false): void {
    this.training.observe(observation);
    this.currentStep += 1;
    if (this.currentStep % this.miniBatchSize === 0) {
      this.update();
      this.trainData = [];
    } else if (action !== null && reward !== null) {
      this.trainData.push({ viewed: this.training.product, action: action.a, reward });
    }
  }

  private update(): void {
    if (this.trainData.length === 0) return;
    const { embedDim: d, parameters: theta } = this;
    const users = this.numProducts * d;
    const gradient = new Float64Array(theta.length);
    for (const { viewed, action, reward } of this.trainData) {
      const g = (1 / (1 + Math.exp(-this.logit(viewed, action))) - reward) / this.trainData.length;
      for (let j = 0; j < d; j++) {
        const a = action * d + j;
        const u = users + viewed * d + j;
        gradient[a] = (gradient[a] as number) + g * (theta[u] as number);
        gradient[u] = (gradient[u] as number) + g * (theta[a] as number);
      }
    }
    this.optimizer.step(theta, gradient);
    assertFiniteParameters('RecoGymBanditMFSquareAgent', theta);
  }

  reset(): void {}
}
