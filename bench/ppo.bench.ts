/**
 * Issue 2 benchmark. (1) Local sampling throughput on CartPole-v1 with a 64×64 actor-critic for 1,
 * 8 and 32 envs: RolloutWorker.sample() against the raw loop of rawCartPoleLoop.ts (the same env steps
 * and forward passes, no framework); the ratio is measured in one run.
 * (2) PPO on CartPole-v1 (tuned example): env steps and seconds until the training mean reaches 475.
 * (3) The cost of the sampler's NaN/Infinity check of every observation and reward, as a share of
 * the framework's time per env step (the framework ÷ raw ratios above already include it).
 */
import { loadavg } from 'node:os';
import { cartPolePPO } from '@loomrl/algorithms';
import { createRng } from '@loomrl/core';
import { nonFiniteIndex, rolloutFragmentLengthFor } from '@loomrl/core/internal';
import { RolloutWorker } from '@loomrl/workers';
import { actorCriticSpecs, initialState } from './actorCriticModule.js';
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
  const specs = actorCriticSpecs(worker);
  worker.setModules(specs);
  worker.syncState(initialState(specs));
  worker.sample();
  let done = 0;
  const started = performance.now();
  while (done < steps) done += worker.sample().batches.default?.count ?? 0;
  return done / ((performance.now() - started) / 1000);
}

/** Seconds per env step of the sampler's finite check on CartPole's rows (4 observation values + 1 reward per env step). */
function finiteCheckSecondsPerEnvStep(numEnvs: number, steps: number): number {
  const rng = createRng(3);
  const obs = Float32Array.from({ length: numEnvs * 4 }, () => rng.normal());
  const rewards = new Float64Array(numEnvs).fill(1);
  let found = 0;
  const started = performance.now();
  for (let done = 0; done < steps; done += numEnvs) {
    for (let e = 0; e < numEnvs; e++) {
      found += nonFiniteIndex(obs, 4, e * 4) + nonFiniteIndex(rewards, 1, e);
    }
  }
  const seconds = (performance.now() - started) / 1000;
  if (found !== -2 * Math.ceil(steps / numEnvs) * numEnvs) throw new Error('finite check found a bad value in finite data');
  return seconds / steps;
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

/** The median of `values`. */
function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Alternating short runs of the raw loop and the framework, so load from other processes hits both alike; the median ratio. */
function samplingRatio(numEnvs: number, rounds = 7): Record<string, number> {
  const ratios: number[] = [];
  const raws: number[] = [];
  const frameworks: number[] = [];
  for (let round = 0; round < rounds; round++) {
    const raw = rawCartPoleStepsPerS(numEnvs, STEPS / 4, createRng(2));
    const framework = frameworkLoop(numEnvs, STEPS / 4);
    raws.push(raw);
    frameworks.push(framework);
    ratios.push(framework / raw);
  }
  return {
    frameworkStepsPerS: Math.round(median(frameworks)),
    rawStepsPerS: Math.round(median(raws)),
    ratioFrameworkToRaw: Number(median(ratios).toFixed(3)),
    ratioMin: Number(Math.min(...ratios).toFixed(3)),
    ratioMax: Number(Math.max(...ratios).toFixed(3)),
  };
}

export default async function run(): Promise<Record<string, unknown>> {
  const loadAverage1mAtStart = loadavg()[0];
  const sampling: Record<string, unknown> = {};
  for (const numEnvs of [1, 8, 32]) sampling[`envs${numEnvs}`] = samplingRatio(numEnvs);
  const framework32 = frameworkLoop(32, STEPS);
  const checkSeconds = finiteCheckSecondsPerEnvStep(32, 2_000_000);
  const nanCheck = {
    checkNsPerEnvStep: Number((checkSeconds * 1e9).toFixed(2)),
    samplerNsPerEnvStep: Number((1e9 / framework32).toFixed(1)),
    shareOfSamplerTime: Number((checkSeconds * framework32).toFixed(4)),
  };
  return {
    loadAverage1mAtStart,
    localSamplingCartPole64x64: sampling,
    nanCheckCost32Envs: nanCheck,
    ppoCartPoleTo475: await timeToSolve(),
  };
}
