/**
 * Single-thread env steps/s of the stock RecSim envs: Long Term Satisfaction with 20 candidates and
 * Interest Evolution with 10 candidates (slate 2, resampling on, as RLlib's defaults), stepping with a
 * precomputed cycle of random slates and resetting on episode end. Target: 300k steps/s for LTS.
 * Also `evaluatePolicy` episodes/s on the current thread and on 1 and 2 worker threads (the random
 * baseline on LTS with the tutorial's user params, 120-step episodes; pool start-up included).
 */
import { loadavg } from 'node:os';
import { type Env, makeEnv, Rng } from '@loomrl/core';
import { evaluatePolicy } from '@loomrl/envs';

const LTS_TARGET_STEPS_PER_SECOND = 300_000;

function stepsPerSecond(env: Env, seconds: number): number {
  const rng = new Rng('recsim-bench/actions');
  const actions = Array.from({ length: 1024 }, () => env.actionSpace.sample(rng));
  env.reset({ seed: 0 });
  let steps = 0;
  const run = (budgetMs: number): void => {
    const end = performance.now() + budgetMs;
    while (performance.now() < end) {
      for (let i = 0; i < 1000; i++) {
        const r = env.step(actions[steps & 1023]);
        steps += 1;
        if (r.terminated || r.truncated) env.reset();
      }
    }
  };
  run(300); // warm-up
  steps = 0;
  const start = performance.now();
  run(seconds * 1000);
  return steps / ((performance.now() - start) / 1000);
}

const TUTORIAL_LTS = { numCandidates: 20, slateSize: 2, sensitivity: 0.058, timeBudget: 120, chocStddev: 0.1, kaleStddev: 0.1 };

async function evaluationEpisodesPerSecond(numThreads: number, episodes: number): Promise<{ rate: number; meanReturn: number }> {
  const options = {
    envId: 'RecSim/LongTermSatisfaction-v0',
    envConfig: TUTORIAL_LTS,
    policy: 'random',
    episodes,
    episodesPerChunk: 25,
    seed: 0,
  };
  const start = performance.now();
  const result = await evaluatePolicy({ ...options, numThreads });
  return { rate: episodes / ((performance.now() - start) / 1000), meanReturn: result.meanReturn };
}

export default async () => {
  const loadAtStart = loadavg()[0] as number;
  await evaluationEpisodesPerSecond(0, 100); // warm-up
  const startup = await evaluationEpisodesPerSecond(1, 1); // a pool's start-up and one episode
  const evalEpisodes = 12_000;
  const current = await evaluationEpisodesPerSecond(0, evalEpisodes);
  const oneThread = await evaluationEpisodesPerSecond(1, evalEpisodes);
  const twoThreads = await evaluationEpisodesPerSecond(2, evalEpisodes);
  if (oneThread.meanReturn !== current.meanReturn || twoThreads.meanReturn !== current.meanReturn) {
    throw new Error(
      `evaluation means differ across thread counts: ${current.meanReturn}, ${oneThread.meanReturn}, ${twoThreads.meanReturn}`,
    );
  }
  const ltsEnv = makeEnv('RecSim/LongTermSatisfaction-v0', { numCandidates: 20, slateSize: 2 });
  const ievEnv = makeEnv('RecSim/InterestEvolution-v0', { numCandidates: 10, slateSize: 2 });
  const lts = stepsPerSecond(ltsEnv, 2);
  const iev = stepsPerSecond(ievEnv, 2);
  return {
    ltsStepsPerSecond20Candidates: Math.round(lts),
    interestEvolutionStepsPerSecond10Candidates: Math.round(iev),
    ltsRatioToTarget: Number((lts / LTS_TARGET_STEPS_PER_SECOND).toFixed(3)),
    ltsTargetStepsPerSecond: LTS_TARGET_STEPS_PER_SECOND,
    evaluationEpisodes: evalEpisodes,
    evaluationEpisodesPerSecondCurrentThread: Math.round(current.rate),
    evaluationEpisodesPerSecond1Thread: Math.round(oneThread.rate),
    evaluationEpisodesPerSecond2Threads: Math.round(twoThreads.rate),
    evaluation2Over1ThreadSpeedup: Number((twoThreads.rate / oneThread.rate).toFixed(2)),
    evaluationPoolStartupMs: Math.round(1000 / startup.rate),
    loadAverage1mAtStart: Number(loadAtStart.toFixed(2)),
  };
};
