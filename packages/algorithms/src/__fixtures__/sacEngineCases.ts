/**
 * What the kernel-vs-tfjs tests of SAC's and CQL's learners share: small network specs, starting
 * weights that reach every branch (log-std clip on both sides), replayed batches, and comparisons.
 */
import { createRng, type Rng, SampleBatch } from '@loomrl/core';
import { type ActorSpec, actorLayout, initialWeights, type OptimizerState } from '@loomrl/core/internal';
import type { DQNTrainColumns } from '../dqn/learner.js';
import { criticLayout, type SacNetworkSpec } from '../sac/networkSpec.js';
import type { SacWeights } from '../sac/networks.js';
import { expectClose } from './closeness.js';

/** SAC's networks for `actor`, with relu critics of `criticHiddens`. */
export function networkSpec(actor: ActorSpec, criticHiddens: number[], twinQ: boolean): SacNetworkSpec {
  const discrete = actor.distribution === 'categorical';
  return { actor, critic: criticLayout(actor, criticHiddens), criticActivation: 'relu', twinQ, discrete };
}

/** A squashed-Gaussian actor: 3 observations, 3 action dimensions, hiddens [8, 6]. */
export const squashed = (activation: ActorSpec['activation']): ActorSpec => ({
  obsDim: 3,
  distribution: 'squashedGaussian',
  actionSize: 3,
  hiddens: [8, 6],
  activation,
  temperature: 1,
});

/** Fresh weights with noisy biases; the actor's log-std biases push one dimension above and one below the clip. */
export function startingWeights(spec: SacNetworkSpec, rng: Rng): Omit<SacWeights, 'qTarget'> {
  const noisy = (layout: Parameters<typeof initialWeights>[0]) => {
    const w = initialWeights(layout, rng);
    for (let i = 0; i < w.length; i++) w[i] = (w[i] as number) + 0.1 * rng.normal();
    return w;
  };
  const layout = actorLayout(spec.actor);
  const policy = noisy(layout);
  if (!spec.discrete) {
    const bias = layout.entries.find((e) => e.name === 'out/bias')?.offset as number;
    const k = spec.actor.actionSize;
    policy[bias + k] = 2.4;
    policy[bias + k + 1] = -5.6;
  }
  return { policy, q: Array.from({ length: spec.twinQ ? 2 : 1 }, () => noisy(spec.critic)), logAlpha: Math.log(0.7) };
}

/** A replayed batch for `spec`: rewards large enough to pass the Huber knee, some terminals, prioritized-replay weights. */
export function replayed(spec: SacNetworkSpec, rows: number, seed: number): SampleBatch<DQNTrainColumns> {
  const rng = createRng(seed);
  const f = (n: number, draw: () => number) => Float32Array.from({ length: n }, draw);
  const { obsDim, actionSize } = spec.actor;
  const actionWidth = spec.discrete ? 1 : actionSize;
  return new SampleBatch<DQNTrainColumns>(
    rows,
    { obs: obsDim, nextObs: obsDim, actions: actionWidth, rewards: 1, terminateds: 1, nStepDiscounts: 1, batchIndexes: 1, weights: 1 },
    {
      obs: f(rows * obsDim, () => rng.normal()),
      nextObs: f(rows * obsDim, () => rng.normal()),
      actions: spec.discrete ? f(rows, () => rng.int(actionSize)) : f(rows * actionSize, () => 2 * rng.random() - 1),
      // Rewards of both signs and size so that some TD errors pass the Huber knee at |TD| = 1.
      rewards: f(rows, () => 3 * rng.normal()),
      terminateds: Uint8Array.from({ length: rows }, () => (rng.random() < 0.2 ? 1 : 0)),
      nStepDiscounts: new Float32Array(rows).fill(0.99),
      batchIndexes: Int32Array.from({ length: rows }, (_, i) => i),
      weights: f(rows, () => 0.5 + rng.random()),
    } as unknown as DQNTrainColumns,
  );
}

/** Each optimizer's first moments after its first step: 0.1 × the (clipped) gradients. */
export function firstStepGradients(states: Record<string, OptimizerState>): Record<string, Float32Array> {
  return Object.fromEntries(
    Object.entries(states).map(([name, state]) => {
      const moments = state.tensors.filter((t) => t.name !== 'iter' && !t.name.startsWith('loomrl/'));
      const first = moments.slice(0, moments.length / 2);
      return [name, Float32Array.from(first.flatMap((t) => Array.from(t.values, (m) => m / 0.1)))];
    }),
  );
}

/** Every weight set of `a` and `b` agrees to 1e-5. */
export function expectSameWeights(a: SacWeights, b: SacWeights, when: string): void {
  expectClose(a.policy, b.policy, `policy ${when}`);
  for (const [i, w] of a.q.entries()) expectClose(w, b.q[i] as Float32Array, `q${i + 1} ${when}`);
  for (const [i, w] of a.qTarget.entries()) expectClose(w, b.qTarget[i] as Float32Array, `q${i + 1}Target ${when}`);
  expectClose([a.logAlpha], [b.logAlpha], `logAlpha ${when}`);
}
