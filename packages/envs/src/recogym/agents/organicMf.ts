import { createRng } from '@loomrl/core';
import type { RecoGymAction, RecoGymAgent, RecoGymObservation } from '../types.js';
import { recoGymAction } from './action.js';
import { assertFiniteParameters, type RecoGymMFSquareOptions, resolveMFSquareOptions } from './mfOptions.js';
import { RmsProp } from './rmsprop.js';

/**
 * RecoGym's `OrganicMFSquare`: next-view matrix factorisation of organic sessions. A viewed
 * product's embedding E[v] (d numbers) goes through a linear layer to P logits, `W·E[v] + b`,
 * trained by cross-entropy on every consecutive pair of views (v → next v) inside each training
 * observation; `act` recommends the argmax logit of the last view with `ps` = 1 (an observation
 * without views repeats the previous recommendation).
 *
 * Kept from RecoGym: one RMSprop step per `miniBatchSize` training calls on the summed gradients of
 * the observations collected so far, and the observation of the call that triggers the update is
 * dropped. Bandit feedback is ignored. Initialisation as PyTorch: E ~ N(0, 1), W and b ~
 * U(−1/√d, 1/√d), from the agent's seed.
 */
export class RecoGymOrganicMFSquareAgent implements RecoGymAgent {
  readonly numProducts: number;
  readonly embedDim: number;
  /** [E (P·d, row per product) | W (P·d, row per output product) | b (P)]. */
  readonly parameters: Float64Array;
  /** Training calls so far (RecoGym `curr_step`). */
  currentStep = 0;
  private readonly miniBatchSize: number;
  private readonly withPsAll: boolean;
  private readonly optimizer: RmsProp;
  private trainData: number[][] = [];
  private action = 0;

  /** An untrained agent over `numProducts` products. */
  constructor(options: RecoGymMFSquareOptions = {}) {
    const resolved = resolveMFSquareOptions('RecoGymOrganicMFSquareAgent', options);
    const { numProducts: p, embedDim: d } = resolved;
    this.numProducts = p;
    this.embedDim = d;
    this.miniBatchSize = resolved.miniBatchSize;
    this.withPsAll = resolved.withPsAll;
    this.parameters = new Float64Array(2 * p * d + p);
    const rng = createRng(resolved.randomSeed, 'recogym-agent', 'organicMFSquare');
    const bound = 1 / Math.sqrt(d);
    for (let i = 0; i < this.parameters.length; i++) this.parameters[i] = i < p * d ? rng.normal() : rng.uniform(-bound, bound);
    this.optimizer = new RmsProp(this.parameters.length, resolved.learningRate);
  }

  /** The P next-view logits after a view of `product`. */
  logits(product: number): Float64Array {
    const { numProducts: p, embedDim: d, parameters: theta } = this;
    const out = new Float64Array(p);
    for (let k = 0; k < p; k++) {
      let z = theta[2 * p * d + k] as number;
      for (let j = 0; j < d; j++) z += (theta[p * d + k * d + j] as number) * (theta[product * d + j] as number);
      out[k] = z;
    }
    return out;
  }

  act(observation: RecoGymObservation, _reward: number | null = null, _done = false): RecoGymAction {
    const last = observation.sessions.at(-1);
    if (last !== undefined) {
      const z = this.logits(last.v);
      this.action = 0;
      for (let a = 1; a < z.length; a++) if ((z[a] as number) > (z[this.action] as number)) this.action = a;
    }
    const psA = this.withPsAll ? Array.from({ length: this.numProducts }, (_, a) => (a === this.action ? 1 : 0)) : undefined;
    return recoGymAction(observation, this.action, 1, psA);
  }

  train(observation: RecoGymObservation, _action: RecoGymAction | null = null, _reward: number | null = null, _done = false): void {
    this.currentStep += 1;
    if (this.currentStep % this.miniBatchSize === 0) {
      this.update();
      this.trainData = [];
    } else {
      this.trainData.push(observation.sessions.map((event) => event.v));
    }
  }

  private update(): void {
    const { numProducts: p, embedDim: d, parameters: theta } = this;
    const gradient = new Float64Array(theta.length);
    for (const views of this.trainData) {
      for (let i = 0; i + 1 < views.length; i++) {
        const viewed = views[i] as number;
        const z = this.logits(viewed);
        const max = Math.max(...z);
        let sum = 0;
        for (let k = 0; k < p; k++) sum += Math.exp((z[k] as number) - max);
        for (let k = 0; k < p; k++) {
          const g = Math.exp((z[k] as number) - max) / sum - (k === views[i + 1] ? 1 : 0);
          gradient[2 * p * d + k] = (gradient[2 * p * d + k] as number) + g;
          for (let j = 0; j < d; j++) {
            const w = p * d + k * d + j;
            const e = viewed * d + j;
            gradient[w] = (gradient[w] as number) + g * (theta[e] as number);
            gradient[e] = (gradient[e] as number) + g * (theta[w] as number);
          }
        }
      }
    }
    this.optimizer.step(theta, gradient);
    assertFiniteParameters('RecoGymOrganicMFSquareAgent', theta);
  }

  reset(): void {}
}
