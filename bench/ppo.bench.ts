/**
 * Issue 2 benchmark. (1) Local sampling throughput on CartPole-v1 with a 64×64 actor-critic for 1,
 * 8 and 32 envs: RolloutWorker.sample() against the raw loop of rawCartPoleLoop.ts (the same env steps
 * and forward passes, no framework); the ratio is measured in one run.
 * (2) PPO on CartPole-v1 (tuned example): env steps and seconds until the training mean reaches 475.
 */
import { cartPolePPO } from '@loomrl/algorithms';
import { createRng, initialWeights, rolloutFragmentLengthFor } from '@loomrl/core';
import { RolloutWorker } from '@loomrl/workers';
import { rawCartPoleStepsPerS } from './rawCartPoleLoop.js';

const STEPS = 200_000;

function frameworkLoop(numEnvs: number, steps: number): number {
  const settings = cartPolePPO({ numEnvsPerWorker: numEnvs }).rollouts({ rolloutFragmentLength: 256 }).settings;
  const worker = new RolloutWorker({
    settings,
    workerIndex: 0,
    numWorkers: 0,
    remote: false,
    inEvaluation: false,
    recreated: false,
    fragmentLength: rolloutFragmentLengthFor(settings, 0),
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
    const raw = rawCartPoleStepsPerS(numEnvs, STEPS, createRng(2));
    const framework = frameworkLoop(numEnvs, STEPS);
    sampling[`envs${numEnvs}`] = {
      frameworkStepsPerS: Math.round(framework),
      rawStepsPerS: Math.round(raw),
      ratioFrameworkToRaw: Number((framework / raw).toFixed(3)),
    };
  }
  return { localSamplingCartPole64x64: sampling, ppoCartPoleTo475: await timeToSolve() };
}
