/**
 * The benches' baseline: N CartPole-v1 envs stepped by the same 64×64 policy forward pass the
 * framework's samplers use (`ActorCriticInference.forward` without the value branch — samplers only
 * act), with actions sampled inline — and nothing else:
 * no sampler, vector env, action adapter, batch building or threads. framework ÷ raw is the
 * framework's overhead around the same arithmetic.
 */
import { createRng, type Rng } from '@loomrl/core';
import { ActorCriticInference, initialWeights } from '@loomrl/core/internal';
import { CartPoleEnv } from '@loomrl/envs';

/** Env steps per second of the raw loop over `numEnvs` envs for at least `steps` steps. */
export function rawCartPoleStepsPerS(numEnvs: number, steps: number, rng: Rng = createRng(2), hiddens: number[] = [64, 64]): number {
  const module = new ActorCriticInference({
    obsDim: 4,
    dist: { type: 'categorical', n: 2 },
    hiddens,
    activation: 'tanh',
    vfShareLayers: false,
    freeLogStd: false,
  });
  module.setWeights(initialWeights(module.layout, rng));
  const envs = Array.from({ length: numEnvs }, () => new CartPoleEnv({}));
  const obs = new Float32Array(numEnvs * 4);
  for (const [e, env] of envs.entries()) obs.set(env.reset({ seed: e }).obs as Float32Array, e * 4);
  const lengths = new Int32Array(numEnvs);
  let done = 0;
  const started = performance.now();
  while (done < steps) {
    const { distInputs } = module.forward(obs, numEnvs, false);
    for (let e = 0; e < numEnvs; e++) {
      const pRight = 1 / (1 + Math.exp((distInputs[e * 2] as number) - (distInputs[e * 2 + 1] as number)));
      const env = envs[e] as CartPoleEnv;
      const step = env.step(rng.random() < pRight ? 1 : 0);
      lengths[e] = (lengths[e] as number) + 1;
      const ended = step.terminated || lengths[e] === 500;
      obs.set((ended ? env.reset().obs : step.obs) as Float32Array, e * 4);
      if (ended) lengths[e] = 0;
    }
    done += numEnvs;
  }
  return done / ((performance.now() - started) / 1000);
}
