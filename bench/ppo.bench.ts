/**
 * Issue 2 benchmark. (1) Local sampling throughput on CartPole-v1 with a 64×64 actor-critic for 1,
 * 8 and 32 envs: RolloutWorker.sample() against a raw loop that does the same env steps and the same
 * forward passes (policy + value trunks) with no framework; the ratio is measured in one run.
 * (2) PPO on CartPole-v1 (tuned example): env steps and seconds until the training mean reaches 475.
 */
import { cartPolePPO } from '@loomrl/algorithms';
import { createRng, initialWeights, type Rng } from '@loomrl/core';
import { CartPoleEnv } from '@loomrl/envs';
import { fragmentLengthFor, RolloutWorker } from '@loomrl/workers';

const STEPS = 200_000;

function denseTanh(
  x: Float32Array,
  rows: number,
  inputs: number,
  w: Float32Array,
  b: Float32Array,
  outputs: number,
  out: Float32Array,
  tanh: boolean,
): void {
  for (let r = 0; r < rows; r++) {
    for (let o = 0; o < outputs; o++) {
      let sum = b[o] as number;
      for (let i = 0; i < inputs; i++) sum += (x[r * inputs + i] as number) * (w[i * outputs + o] as number);
      out[r * outputs + o] = tanh ? Math.tanh(sum) : sum;
    }
  }
}

/** The raw loop: N CartPoles, a hand-written 64×64 policy and value forward pass, sampled actions. */
function rawLoop(numEnvs: number, steps: number, rng: Rng): number {
  const envs = Array.from({ length: numEnvs }, () => new CartPoleEnv({}));
  const obs = new Float32Array(numEnvs * 4);
  envs.forEach((env, e) => obs.set(env.reset({ seed: e }).obs as Float32Array, e * 4));
  const layer = (i: number, o: number) => ({ w: Float32Array.from({ length: i * o }, () => rng.normal() * 0.1), b: new Float32Array(o) });
  const [p1, p2, pOut, v1, v2, vOut] = [layer(4, 64), layer(64, 64), layer(64, 2), layer(4, 64), layer(64, 64), layer(64, 1)];
  const h1 = new Float32Array(numEnvs * 64);
  const h2 = new Float32Array(numEnvs * 64);
  const logits = new Float32Array(numEnvs * 2);
  const values = new Float32Array(numEnvs);
  const lengths = new Int32Array(numEnvs);
  let done = 0;
  const started = performance.now();
  while (done < steps) {
    denseTanh(obs, numEnvs, 4, p1.w, p1.b, 64, h1, true);
    denseTanh(h1, numEnvs, 64, p2.w, p2.b, 64, h2, true);
    denseTanh(h2, numEnvs, 64, pOut.w, pOut.b, 2, logits, false);
    denseTanh(obs, numEnvs, 4, v1.w, v1.b, 64, h1, true);
    denseTanh(h1, numEnvs, 64, v2.w, v2.b, 64, h2, true);
    denseTanh(h2, numEnvs, 64, vOut.w, vOut.b, 1, values, false);
    for (let e = 0; e < numEnvs; e++) {
      const p1v = 1 / (1 + Math.exp((logits[e * 2] as number) - (logits[e * 2 + 1] as number)));
      const action = rng.random() < p1v ? 1 : 0;
      const env = envs[e] as CartPoleEnv;
      const step = env.step(action);
      lengths[e] = (lengths[e] as number) + 1;
      obs.set((step.terminated || lengths[e] === 500 ? env.reset().obs : step.obs) as Float32Array, e * 4);
      if (step.terminated || lengths[e] === 500) lengths[e] = 0;
    }
    done += numEnvs;
  }
  return done / ((performance.now() - started) / 1000);
}

function frameworkLoop(numEnvs: number, steps: number): number {
  const settings = cartPolePPO({ numEnvsPerWorker: numEnvs }).rollouts({ rolloutFragmentLength: 256 }).settings;
  const worker = new RolloutWorker({
    settings,
    workerIndex: 0,
    numWorkers: 0,
    remote: false,
    inEvaluation: false,
    recreated: false,
    fragmentLength: fragmentLengthFor(settings, 0),
  });
  worker.setWeights(initialWeights(worker.module.layout, createRng(1)), 0);
  worker.sample();
  let done = 0;
  const started = performance.now();
  while (done < steps) done += worker.sample().batch.count;
  return done / ((performance.now() - started) / 1000);
}

async function timeToSolve(): Promise<Record<string, number>> {
  const algo = cartPolePPO({ seed: 1 }).build();
  const started = performance.now();
  let steps = 0;
  let reward = 0;
  let iterations = 0;
  while (steps < 300_000) {
    const result = await algo.train();
    steps = result.timestepsTotal;
    reward = result.episodeRewardMean;
    iterations = result.trainingIteration;
    if (reward >= 475) break;
  }
  const seconds = (performance.now() - started) / 1000;
  const evaluation = (await algo.evaluate()).episodeRewardMean;
  await algo.stop();
  return {
    envStepsTo475: steps,
    secondsTo475: seconds,
    iterations,
    trainingRewardMean: reward,
    greedyEvaluation20Episodes: evaluation,
    targetEnvSteps: 100_000,
    targetSeconds: 60,
  };
}

export default async function run(): Promise<Record<string, unknown>> {
  const sampling: Record<string, unknown> = {};
  for (const numEnvs of [1, 8, 32]) {
    const raw = rawLoop(numEnvs, STEPS, createRng(2));
    const framework = frameworkLoop(numEnvs, STEPS);
    sampling[`envs${numEnvs}`] = {
      frameworkStepsPerS: Math.round(framework),
      rawStepsPerS: Math.round(raw),
      ratioFrameworkToRaw: Number((framework / raw).toFixed(3)),
    };
  }
  return { localSamplingCartPole64x64: sampling, ppoCartPoleTo475: await timeToSolve() };
}
